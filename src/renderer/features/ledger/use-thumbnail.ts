// A receipt's image, made small in main, with its loading and failure states.
import { useEffect, useState } from 'react';
import { errorMessage, invoke } from '../../lib/api';

export type Thumbnail =
  { state: 'loading' } | { state: 'ready'; url: string; width: number; height: number } | { state: 'failed'; message: string };

/** `file`: the sha-256 of a file merged into the receipt, to show that one instead of its own. */
export function useThumbnail(id: number, maxSize: number, file?: string): Thumbnail {
  const [image, setImage] = useState<Thumbnail>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setImage({ state: 'loading' });
    invoke('ledger:thumbnail', { id, maxSize, ...(file && { file }) }).then(
      ({ dataUrl, width, height }) => live && setImage({ state: 'ready', url: dataUrl, width, height }),
      (error) => live && setImage({ state: 'failed', message: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [id, maxSize, file]);
  return image;
}
