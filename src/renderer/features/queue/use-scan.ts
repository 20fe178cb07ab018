// Starting scans: dropped or picked files and folders, and receipt links. The renderer never sees a
// path: the preload sends a drop's paths to main itself, and main shows the open dialog and queues the
// picks. Main walks folders and queues one job per file.
import { useCallback } from 'react';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';

export interface ScanActions {
  addDropped(files: File[]): Promise<void>;
  pick(kind: 'files' | 'folder'): Promise<void>;
  addUrl(url: string): Promise<boolean>;
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

export function useScan(onQueued: () => void): ScanActions {
  const toasts = useToasts();

  const reportQueued = useCallback(
    (queued: number) => {
      onQueued();
      toasts.push({
        kind: queued > 0 ? 'success' : 'warning',
        message: queued > 0 ? `Queued ${plural(queued, 'file')}.` : 'No files found to scan there.',
      });
    },
    [onQueued, toasts],
  );

  const addDropped = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      try {
        const { queued, unlocated } = await window.api.addDropped(files);
        if (unlocated > 0) {
          toasts.push({
            kind: 'warning',
            message: `${unlocated} dropped item${unlocated === 1 ? ' has' : 's have'} no location on disk; save ${unlocated === 1 ? 'it' : 'them'} to a folder first, or paste the link.`,
          });
        }
        if (unlocated < files.length) reportQueued(queued);
      } catch (error) {
        toasts.push({ kind: 'error', message: `Could not add files: ${errorMessage(error)}` });
      }
    },
    [reportQueued, toasts],
  );

  const pick = useCallback(
    async (kind: 'files' | 'folder') => {
      try {
        const { picked, queued } = await invoke('scan:pick', { kind });
        if (picked) reportQueued(queued);
      } catch (error) {
        toasts.push({ kind: 'error', message: `Could not add files: ${errorMessage(error)}` });
      }
    },
    [reportQueued, toasts],
  );

  const addUrl = useCallback(
    async (url: string) => {
      try {
        await invoke('scan:add-url', { url: url.trim() });
        onQueued();
        toasts.push({ kind: 'success', message: 'Link queued; it downloads when its turn comes.' });
        return true;
      } catch (error) {
        toasts.push({ kind: 'error', message: `Could not add the link: ${errorMessage(error)}` });
        return false;
      }
    },
    [onQueued, toasts],
  );

  return { addDropped, pick, addUrl };
}
