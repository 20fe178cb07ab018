// A receipt's image, made small in main, with its loading and failure states.
import { useEffect, useState } from 'react';
import { errorMessage, invoke } from '../../lib/api';

export type Thumbnail = { state: 'loading' } | { state: 'ready'; url: string } | { state: 'failed'; message: string };

export function useThumbnail(id: number, maxSize: number): Thumbnail {
  const [image, setImage] = useState<Thumbnail>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setImage({ state: 'loading' });
    invoke('ledger:thumbnail', { id, maxSize }).then(
      ({ dataUrl }) => live && setImage({ state: 'ready', url: dataUrl }),
      (error) => live && setImage({ state: 'failed', message: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [id, maxSize]);
  return image;
}
