// A receipt's image, made small in main, with its loading and failure states.
import { useEffect, useState } from 'react';
import { errorMessage, invoke } from '../../lib/api';

export type Thumbnail =
  { state: 'loading' } | { state: 'ready'; url: string; width: number; height: number } | { state: 'failed'; message: string };

const LOADING: Thumbnail = { state: 'loading' };

/**
 * `file`: the sha-256 of a file merged into the receipt, to show that one instead of its own; `page`:
 * which page of the receipt as read (0-based).
 */
export function useThumbnail(id: number, maxSize: number, file?: string, page = 0): Thumbnail {
  // The answer remembers what it answers, so a new receipt shows "loading" rather than the last image.
  const key = `${id}:${maxSize}:${file ?? ''}:${page}`;
  const [answer, setAnswer] = useState<{ key: string; image: Thumbnail } | null>(null);
  useEffect(() => {
    let live = true;
    invoke('ledger:thumbnail', { id, maxSize, ...(file ? { file } : { page }) }).then(
      ({ dataUrl, width, height }) => live && setAnswer({ key, image: { state: 'ready', url: dataUrl, width, height } }),
      (error) => live && setAnswer({ key, image: { state: 'failed', message: errorMessage(error) } }),
    );
    return () => {
      live = false;
    };
  }, [key, id, maxSize, file, page]);
  return answer?.key === key ? answer.image : LOADING;
}
