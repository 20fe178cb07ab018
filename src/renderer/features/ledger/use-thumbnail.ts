// A receipt's image, made small in main, with its loading and failure states.
import { useEffect, useState } from 'react';
import { errorMessage, invoke } from '../../lib/api';

export type Thumbnail =
  { state: 'loading' } | { state: 'ready'; url: string; width: number; height: number } | { state: 'failed'; message: string };

const LOADING: Thumbnail = { state: 'loading' };

/** `file`: the sha-256 of a file merged into the receipt, to show that one instead of its own. */
export function useThumbnail(id: number, maxSize: number, file?: string): Thumbnail {
  // The answer remembers what it answers, so a new receipt shows "loading" rather than the last image.
  const key = `${id}:${maxSize}:${file ?? ''}`;
  const [answer, setAnswer] = useState<{ key: string; image: Thumbnail } | null>(null);
  useEffect(() => {
    let live = true;
    invoke('ledger:thumbnail', { id, maxSize, ...(file && { file }) }).then(
      ({ dataUrl, width, height }) => live && setAnswer({ key, image: { state: 'ready', url: dataUrl, width, height } }),
      (error) => live && setAnswer({ key, image: { state: 'failed', message: errorMessage(error) } }),
    );
    return () => {
      live = false;
    };
  }, [key, id, maxSize, file]);
  return answer?.key === key ? answer.image : LOADING;
}
