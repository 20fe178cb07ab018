// Settings › Watch folders: folders whose new receipts are queued without a click. Main shows the
// folder dialog; the window only lists what main watches and asks to add or remove.
import { useEffect, useState } from 'react';
import type { WatchFolder } from '../../../shared/contract';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';

export function WatchFolders() {
  const toasts = useToasts();
  const [folders, setFolders] = useState<WatchFolder[] | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    invoke('watch:list', {}).then(
      (r) => setFolders(r.folders),
      (error) => toasts.push({ kind: 'error', message: `Could not list watch folders: ${errorMessage(error)}` }),
    );
  }, [toasts]);

  const change = async (request: () => Promise<{ folders: WatchFolder[] }>, failure: string) => {
    setBusy(true);
    try {
      setFolders((await request()).folders);
    } catch (error) {
      toasts.push({ kind: 'error', message: `${failure}: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-form" aria-labelledby="watch-heading">
      <fieldset>
        <legend id="watch-heading">Watch folders</legend>
        <p className="setting-help">
          New receipts saved into these folders (by a scanner or a phone sync) are added to the queue on their own, once they have finished
          copying. Files already in the ledger are passed over quietly.
        </p>
        {folders && folders.length > 0 ? (
          <ul className="watch-list" aria-label="Watched folders">
            {folders.map((folder) => (
              <li key={folder.id} className="watch-folder">
                <span className={`watch-dot ${folder.problem ? 'problem' : 'ok'}`} aria-hidden="true" />
                <span className="watch-text">
                  <code className="path">{folder.path}</code>
                  <span className={folder.problem ? 'field-problem' : 'setting-help'}>
                    {folder.problem ?? `Watching since ${new Date(folder.addedAt).toLocaleDateString()}`}
                  </span>
                </span>
                <button
                  type="button"
                  disabled={busy}
                  aria-label={`Stop watching ${folder.path}`}
                  onClick={() => void change(() => invoke('watch:remove', { id: folder.id }), 'Could not remove the folder')}
                >
                  Stop watching
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{folders ? 'No folders are watched.' : 'Loading…'}</p>
        )}
      </fieldset>
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void change(() => invoke('watch:add', {}), 'Could not watch the folder')}
        >
          Add folder to watch…
        </button>
      </div>
    </section>
  );
}
