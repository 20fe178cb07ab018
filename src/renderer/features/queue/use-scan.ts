// Starting scans: dropped or picked files and folders, and receipt links. Main walks folders and
// queues one job per file; the renderer only passes on what the person chose.
import { useCallback } from 'react';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';

export interface ScanActions {
  addPaths(paths: string[]): Promise<void>;
  pick(kind: 'files' | 'folder'): Promise<void>;
  addUrl(url: string): Promise<boolean>;
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

export function useScan(onQueued: () => void): ScanActions {
  const toasts = useToasts();

  const addPaths = useCallback(
    async (paths: string[]) => {
      if (paths.length === 0) return;
      onQueued();
      try {
        const { queued } = await invoke('scan:add-paths', { paths });
        toasts.push({
          kind: queued > 0 ? 'success' : 'warning',
          message: queued > 0 ? `Queued ${plural(queued, 'file')}.` : 'No files found to scan there.',
        });
      } catch (error) {
        toasts.push({ kind: 'error', message: `Could not add files: ${errorMessage(error)}` });
      }
    },
    [onQueued, toasts],
  );

  const pick = useCallback(
    async (kind: 'files' | 'folder') => {
      try {
        const { paths } = await invoke('dialog:pick', { kind });
        await addPaths(paths);
      } catch (error) {
        toasts.push({ kind: 'error', message: errorMessage(error) });
      }
    },
    [addPaths, toasts],
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

  return { addPaths, pick, addUrl };
}
