// Settings main keeps: OCR engine, date order, default currency, concurrency, OCR.space link and key.
// The key is write-only: the window only learns whether one is stored.
import { useEffect, useState, type FormEvent } from 'react';
import { ocrSpaceUrlProblem, type RequestOf } from '../../../shared/contract';
import type { KeyProtection, Settings } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';
import { WatchFolders } from './WatchFolders';

interface Props {
  settings: Settings | null;
  onSettings(settings: Settings): void;
  /** Loads the settings from main again. */
  onOpen(): void;
}

type Draft = Pick<Settings, 'ocrEngine' | 'dateOrder' | 'defaultCurrency' | 'ocrSpaceUrl'> & { concurrency: string };

const draftOf = (s: Settings): Draft => ({
  ocrEngine: s.ocrEngine,
  dateOrder: s.dateOrder,
  defaultCurrency: s.defaultCurrency,
  concurrency: String(s.concurrency),
  ocrSpaceUrl: s.ocrSpaceUrl,
});

function problemsOf(draft: Draft): Partial<Record<keyof Draft, string>> {
  const problems: Partial<Record<keyof Draft, string>> = {};
  if (!/^[A-Z]{3}$/.test(draft.defaultCurrency)) problems.defaultCurrency = 'Use a 3-letter code such as USD or EUR.';
  const n = Number(draft.concurrency);
  if (!Number.isInteger(n) || n < 1 || n > 64) problems.concurrency = 'A whole number from 1 to 64.';
  const urlProblem = ocrSpaceUrlProblem(draft.ocrSpaceUrl);
  if (urlProblem) problems.ocrSpaceUrl = urlProblem.charAt(0).toUpperCase() + urlProblem.slice(1) + '.';
  return problems;
}

/** What protects a saved key here, said plainly: only an OS keychain counts as encryption. */
const KEY_PROTECTION_NOTES: Record<KeyProtection, string> = {
  keychain: "Stored encrypted with your system's keychain; it is never shown again.",
  obfuscated:
    'Not truly encrypted: this system has no keyring the app can use, so anyone who can read your files can recover the key. It is never shown again.',
  unavailable: 'This system has no secure storage, so a key cannot be saved here.',
  memory: 'Kept only until the app closes; it is never shown again.',
};

export function SettingsView({ settings, onSettings, onOpen }: Props) {
  const toasts = useToasts();
  // Null until the person edits something: until then the form shows the settings as saved.
  const [edited, setDraft] = useState<Draft | null>(null);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);

  // Read again as the view opens: what main knows may have changed since start (an engine that cannot run here).
  useEffect(onOpen, [onOpen]);

  if (!settings)
    return (
      <section className="view">
        <p className="muted">Loading settings…</p>
      </section>
    );

  const base = draftOf(settings);
  const draft = edited ?? base;
  const problems = problemsOf(draft);
  const changed = (Object.keys(draft) as (keyof Draft)[]).filter((k) => draft[k] !== base[k]);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft({ ...draft, [k]: v });

  const send = async (patch: RequestOf<'settings:set'>, message: string) => {
    setBusy(true);
    try {
      const next = await invoke('settings:set', patch);
      onSettings(next);
      setDraft(draftOf(next));
      toasts.push({ kind: 'success', message });
      return true;
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not save settings: ${errorMessage(error)}` });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (Object.keys(problems).length > 0 || changed.length === 0) return;
    const patch: RequestOf<'settings:set'> = {};
    if (draft.ocrEngine !== base.ocrEngine) patch.ocrEngine = draft.ocrEngine;
    if (draft.dateOrder !== base.dateOrder) patch.dateOrder = draft.dateOrder;
    if (draft.defaultCurrency !== base.defaultCurrency) patch.defaultCurrency = draft.defaultCurrency;
    if (draft.concurrency !== base.concurrency) patch.concurrency = Number(draft.concurrency);
    if (draft.ocrSpaceUrl !== base.ocrSpaceUrl) patch.ocrSpaceUrl = draft.ocrSpaceUrl;
    void send(patch, 'Settings saved.');
  };

  const saveKey = async (event: FormEvent) => {
    event.preventDefault();
    if (key.trim() === '') return;
    if (await send({ ocrSpaceKey: key.trim() }, 'OCR.space key saved.')) setKey('');
  };

  return (
    <section className="view settings-view" aria-labelledby="settings-heading">
      <div className="view-header">
        <h1 id="settings-heading">Settings</h1>
      </div>
      <form className="settings-form" onSubmit={save}>
        <fieldset>
          <legend>Reading receipts</legend>
          <label className="setting">
            <span className="setting-label">OCR engine</span>
            <select value={draft.ocrEngine} onChange={(e) => set('ocrEngine', e.target.value as Draft['ocrEngine'])}>
              <option value="paddle">On this computer (PaddleOCR, offline)</option>
              <option value="tesseract">On this computer (Tesseract, offline, older)</option>
              <option value="ocrspace">OCR.space (cloud)</option>
            </select>
            <span className="setting-help">
              {draft.ocrEngine === 'ocrspace'
                ? 'Receipt images are uploaded to OCR.space for reading. Needs an API key below.'
                : 'Nothing leaves this computer.'}
            </span>
            {settings.localEngineProblem && draft.ocrEngine === settings.ocrEngine && (
              <span className="setting-help setting-warning" role="status">
                {settings.localEngineProblem}. Receipts are read with Tesseract meanwhile; PaddleOCR is tried again when a setting changes
                or the app starts.
              </span>
            )}
          </label>
          <div className="setting" role="radiogroup" aria-labelledby="date-order-label">
            <span className="setting-label" id="date-order-label">
              Date order
            </span>
            <span className="radios">
              <label className="check">
                <input type="radio" name="dateOrder" checked={draft.dateOrder === 'DMY'} onChange={() => set('dateOrder', 'DMY')} />
                Day first (31/12/2024)
              </label>
              <label className="check">
                <input type="radio" name="dateOrder" checked={draft.dateOrder === 'MDY'} onChange={() => set('dateOrder', 'MDY')} />
                Month first (12/31/2024)
              </label>
            </span>
            <span className="setting-help">How to read dates like 03/04 that could be either.</span>
          </div>
          <label className="setting">
            <span className="setting-label">Default currency</span>
            <input
              type="text"
              className="short-input"
              maxLength={3}
              value={draft.defaultCurrency}
              onChange={(e) => set('defaultCurrency', e.target.value.toUpperCase())}
              aria-invalid={problems.defaultCurrency ? true : undefined}
            />
            <span className={problems.defaultCurrency ? 'field-problem' : 'setting-help'}>
              {problems.defaultCurrency ?? 'Used when a receipt does not show its currency.'}
            </span>
          </label>
          <label className="setting">
            <span className="setting-label">Files at once</span>
            <input
              type="number"
              className="short-input"
              min={1}
              max={64}
              value={draft.concurrency}
              onChange={(e) => set('concurrency', e.target.value)}
              aria-invalid={problems.concurrency ? true : undefined}
            />
            <span className={problems.concurrency ? 'field-problem' : 'setting-help'}>
              {problems.concurrency ?? 'More is faster on a machine with many cores; OCR never uses more workers than cores.'}
            </span>
          </label>
          <label className="setting">
            <span className="setting-label">OCR.space address</span>
            <input
              type="url"
              value={draft.ocrSpaceUrl}
              onChange={(e) => set('ocrSpaceUrl', e.target.value)}
              aria-invalid={problems.ocrSpaceUrl ? true : undefined}
            />
            {problems.ocrSpaceUrl ? (
              <span className="field-problem">{problems.ocrSpaceUrl}</span>
            ) : /^http:/i.test(draft.ocrSpaceUrl) ? (
              <span className="field-problem" role="alert" data-testid="ocrspace-http-warning">
                Plain http: your key and receipts are sent unencrypted. Use it only for a service running on this computer.
              </span>
            ) : (
              <span className="setting-help">
                A saved key is sent only to the address it was saved for; a new address needs the key again.
              </span>
            )}
          </label>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || changed.length === 0 || Object.keys(problems).length > 0}>
            Save settings
          </button>
          <button type="button" disabled={busy || changed.length === 0} onClick={() => setDraft(base)}>
            Revert
          </button>
        </div>
      </form>

      <form className="settings-form" onSubmit={(e) => void saveKey(e)}>
        <fieldset>
          <legend>OCR.space API key</legend>
          <div className="setting">
            <span className="setting-label">Status</span>
            <span className={`key-status ${settings.ocrSpaceKeySet ? 'ok' : 'muted'}`} data-testid="key-status">
              {settings.ocrSpaceKeySet ? 'Key saved' : 'No key saved'}
            </span>
          </div>
          <label className="setting">
            <span className="setting-label">{settings.ocrSpaceKeySet ? 'Replace key' : 'API key'}</span>
            <input
              type="password"
              autoComplete="off"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              placeholder={settings.ocrSpaceKeySet ? 'Type a new key to replace the saved one' : 'Paste your OCR.space key'}
            />
            <span
              className={`setting-help${settings.ocrSpaceKeyProtection === 'keychain' || settings.ocrSpaceKeyProtection === 'memory' ? '' : ' setting-warning'}`}
              data-testid="key-protection"
            >
              {KEY_PROTECTION_NOTES[settings.ocrSpaceKeyProtection]}
            </span>
          </label>
        </fieldset>
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={busy || key.trim() === '' || settings.ocrSpaceKeyProtection === 'unavailable'}
          >
            Save key
          </button>
          {settings.ocrSpaceKeySet && (
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void send({ ocrSpaceKey: '' }, 'OCR.space key removed.')}
            >
              Remove key
            </button>
          )}
        </div>
      </form>

      <WatchFolders />

      <section className="settings-form" aria-labelledby="ledger-file-heading">
        <fieldset>
          <legend id="ledger-file-heading">Ledger file</legend>
          <div className="setting">
            <span className="setting-label">Location</span>
            <code className="path" data-testid="ledger-path">
              {settings.ledgerPath}
            </code>
            <span className="setting-help">
              Your receipts are kept in this SQLite file on this computer. Back it up by copying it while the app is closed.
            </span>
          </div>
        </fieldset>
      </section>
    </section>
  );
}
