// "Export for accountant": a ZIP of the receipts shown (the current filters), with the CSV, each original
// file named so it matches its row, and optionally one PDF of them all. Main asks where to save it.
import { useEffect, useRef, useState } from 'react';
import type { LedgerFilter } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';
import { isFiltered } from './filters';

const MB = 1024 * 1024;

export function BundleExport({ filter, shown }: { filter: LedgerFilter; shown: number }) {
  const toasts = useToasts();
  const [open, setOpen] = useState(false);
  const [pdf, setPdf] = useState(true);
  const [busy, setBusy] = useState(false);
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
      toasts.push({
        kind: r.missing > 0 ? 'warning' : 'success',
        message: `Bundle saved to ${r.path}: ${r.receipts.toLocaleString()} receipts, ${r.files.toLocaleString()} files, ${(r.bytes / MB).toFixed(1)} MB${missing}.`,
      });
      setOpen(false);
    } catch (error) {
      toasts.push({ kind: 'error', message: `Bundle export failed: ${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bundle-export">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} title="A ZIP for your accountant: CSV, receipt files, PDF">
        Export for accountant…
      </button>
      {open && (
        <div className="bundle-panel" role="dialog" aria-label="Export for accountant" ref={panel}>
          <p>
            A ZIP of the <strong>{shown.toLocaleString()}</strong> receipt{shown === 1 ? '' : 's'} shown
            {isFiltered(filter) ? ' (with the current filters)' : ''}: the CSV with a <code>bundle_file</code> column, and each
            original file named like <code>2024-03-02_Shell_45.20.jpg</code>.
          </p>
          <label className="check">
            <input type="checkbox" checked={pdf} onChange={(e) => setPdf(e.target.checked)} />
            Also one PDF with every receipt as a page, in date order
          </label>
          <div className="form-actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void exportBundle()}>
              {busy ? 'Exporting…' : 'Save ZIP…'}
            </button>
            <button type="button" disabled={busy} onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
