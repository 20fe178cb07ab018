// "Export for accountant": a ZIP of the receipts shown (the current filters), with the CSV, each original
// file named so it matches its row, and optionally one PDF of them all. Main asks where to save it.
import { useEffect, useRef, useState } from 'react';
import type { LedgerFilter } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';
import { isFiltered } from './filters';

const KB = 1024;
const MB = KB * KB;

const count = (n: number, noun: string) => `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;
const size = (bytes: number) => (bytes < MB ? `${Math.max(1, Math.round(bytes / KB))} KB` : `${(bytes / MB).toFixed(1)} MB`);

export function BundleExport({ filter, shown }: { filter: LedgerFilter; shown: number }) {
  const toasts = useToasts();
  const [open, setOpen] = useState(false);
  const [pdf, setPdf] = useState(true);
  const [busy, setBusy] = useState(false);
  /** What the last export wrote, shown in the panel until it is closed. */
  const [done, setDone] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector('input')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, busy]);

  const exportBundle = async () => {
    setBusy(true);
    try {
      const r = await invoke('export:bundle', { ...(isFiltered(filter) ? { filter } : {}), pdf });
      if (!r.path) return;
      const missing = r.missing > 0 ? `; ${r.missing} original file${r.missing === 1 ? ' was' : 's were'} missing` : '';
      setDone(`Saved ${r.path}: ${count(r.receipts, 'receipt')}, ${count(r.files, 'file')}, ${size(r.bytes)}${missing}.`);
    } catch (error) {
      toasts.push({ kind: 'error', message: `Bundle export failed: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bundle-export">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => (setOpen(!open), setDone(null))}
        title="A ZIP for your accountant: CSV, receipt files, PDF"
      >
        Export for accountant…
      </button>
      {open && (
        <div className="bundle-panel" role="dialog" aria-label="Export for accountant" ref={panel}>
          <p>
            A ZIP of the <strong>{shown.toLocaleString()}</strong> receipt{shown === 1 ? '' : 's'} shown
            {isFiltered(filter) ? ' (with the current filters)' : ''}: the CSV with a <code>bundle_file</code> column, and each original
            file named like <code>2024-03-02_Shell_45.20.jpg</code>.
          </p>
          <label className="check">
            <input type="checkbox" checked={pdf} onChange={(e) => setPdf(e.target.checked)} />
            Also one PDF with every receipt as a page, in date order
          </label>
          {done && (
            <p className="bundle-done" role="status">
              {done}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void exportBundle()}>
              {busy ? 'Exporting…' : 'Save ZIP…'}
            </button>
            <button type="button" disabled={busy} onClick={() => setOpen(false)}>
              {done ? 'Close' : 'Cancel'}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
