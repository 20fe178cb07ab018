// The possible duplicates of the receipt on screen: the other receipt at a glance, and the two ways to
// settle it. Merging always keeps the original (the receipt the later one was flagged against).
import { useState } from 'react';
import type { PossibleDuplicate } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { formatMoney } from '../../lib/money';
import { useToasts } from '../../lib/toasts';
import { useThumbnail } from './use-thumbnail';

interface Props {
  id: number;
  duplicates: PossibleDuplicate[];
  /** After a change: `survivor` is the receipt to show (this one, or the one it was merged into). */
  onResolved(survivor: number): void;
  onOpen(id: number): void;
}

export function DuplicatePanel({ id, duplicates, onResolved, onOpen }: Props) {
  if (duplicates.length === 0) return null;
  return (
    <section className="duplicates" aria-label="Duplicate check">
      {duplicates.map((d) => (
        <DuplicateCard key={d.receipt.id} id={id} duplicate={d} onResolved={onResolved} onOpen={onOpen} />
      ))}
    </section>
  );
}

function DuplicateCard({
  id,
  duplicate,
  onResolved,
  onOpen,
}: { id: number; duplicate: PossibleDuplicate } & Omit<Props, 'duplicates' | 'id'>) {
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  const other = duplicate.receipt;
  const image = useThumbnail(other.id, 160);
  const [keep, gone] = duplicate.thisFlagged ? [other.id, id] : [id, other.id];

  const resolve = async (action: 'keep-both' | 'merge') => {
    setBusy(true);
    try {
      if (action === 'merge') await invoke('ledger:resolve-duplicate', { id: keep, otherId: gone, action });
      else await invoke('ledger:resolve-duplicate', { id, otherId: other.id, action });
      toasts.push({
        kind: 'success',
        message: action === 'merge' ? `Merged: receipt #${gone} is now part of #${keep}.` : 'Kept both receipts.',
      });
      onResolved(action === 'merge' ? keep : id);
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not ${action === 'merge' ? 'merge' : 'keep both'}: ${errorMessage(error)}` });
      setBusy(false);
    }
  };

  return (
    <div className="duplicate-card" data-other-id={other.id}>
      <p className="duplicate-title">
        <strong>Possible duplicate</strong>{' '}
        {duplicate.thisFlagged ? `of receipt #${other.id}` : `— receipt #${other.id} may be the same one`}
        <span className="muted"> (same merchant, date and total)</span>
      </p>
      <div className="duplicate-other">
        <button type="button" className="duplicate-thumb" onClick={() => onOpen(other.id)} title={`Open receipt #${other.id}`}>
          {image.state === 'ready' ? (
            <img src={image.url} alt={`Scan of ${other.fileName}`} />
          ) : (
            <span className="image-missing">{image.state === 'failed' ? 'No image' : '…'}</span>
          )}
        </button>
        <dl className="facts">
          <dt>Merchant</dt>
          <dd>{other.merchant}</dd>
          <dt>Date</dt>
          <dd>{other.date}</dd>
          <dt>Total</dt>
          <dd>{other.totalMinor !== null && formatMoney(other.totalMinor, other.currency)}</dd>
          <dt>File</dt>
          <dd className="path" title={other.sourcePath}>
            {other.fileName}
          </dd>
        </dl>
      </div>
      <div className="form-actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => void resolve('keep-both')}
          title="Both are real expenses; do not flag this pair again"
        >
          Keep both
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void resolve('merge')}
          title={`One receipt remains (#${keep}); the other's file stays linked to it`}
        >
          {duplicate.thisFlagged ? `Merge into #${keep}` : `Merge #${gone} into this`}
        </button>
      </div>
    </div>
  );
}
