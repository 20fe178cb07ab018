// A receipt's image, made small in main, with its loading and failure states.
import { useEffect, useState } from 'react';
import { errorMessage, invoke } from '../../lib/api';

export type Thumbnail =
  | { state: 'loading' }
  /** `page`: the page of the receipt as read that the image is of. */
  | { state: 'ready'; url: string; width: number; height: number; page: number }
  | { state: 'failed'; message: string };

const LOADING: Thumbnail = { state: 'loading' };

/**
 * `file`: the sha-256 of a file merged into the receipt, to show that one instead of its own; `page`:
 * which page of the receipt as read (0-based).
 */
export function useThumbnail(id: number, maxSize: number, file?: string, page = 0): Thumbnail {
  // The answer remembers what it answers, so a new receipt shows "loading" rather than the last image.
  const image = `${id}:${maxSize}:${file ?? ''}`;
  const key = `${image}:${page}`;
  const [answer, setAnswer] = useState<{ key: string; image: string; thumbnail: Thumbnail } | null>(null);
  useEffect(() => {
    let live = true;
    const answered = (thumbnail: Thumbnail) => live && setAnswer({ key, image, thumbnail });
    invoke('ledger:thumbnail', { id, maxSize, ...(file ? { file } : { page }) }).then(
      ({ dataUrl, width, height }) => answered({ state: 'ready', url: dataUrl, width, height, page }),
      (error) => answered({ state: 'failed', message: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [key, image, id, maxSize, file, page]);
  if (answer?.key === key) return answer.thumbnail;
  // While another page of the same image loads, the page before stays up (it says which page it is),
  // so the viewer keeps its place and the keyboard focus.
  if (answer?.image === image && answer.thumbnail.state === 'ready') return answer.thumbnail;
  return LOADING;
}
