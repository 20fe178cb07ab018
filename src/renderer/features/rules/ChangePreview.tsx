// What applying rules would change, receipt by receipt (old → new), with one button to apply exactly that.
import type { RuleChange } from '../../../shared/model';

interface Props {
  changes: RuleChange[];
  applying: boolean;
  onApply(): void;
  onCancel(): void;
}

export function ChangePreview({ changes, applying, onApply, onCancel }: Props) {
  const n = changes.length;
  return (
    <section className="rule-preview" aria-label="Changes to existing receipts">
      {n === 0 ? (
        <p className="muted">No existing receipt would change.</p>
      ) : (
        <>
          <p>
            <strong>
              {n.toLocaleString()} receipt{n === 1 ? '' : 's'}
            </strong>{' '}
            would change:
          </p>
          <ul className="rule-changes">
            {changes.map((c) => (
              <li key={c.receiptId} data-receipt-id={c.receiptId}>
                <span className="rule-change-file" title={c.fileName}>
                  {c.fileName}
                </span>
                <span className="muted">{c.date ?? 'no date'}</span>
                {c.merchant && <Diff label="Merchant" from={c.merchant.from} to={c.merchant.to} />}
                {c.category && <Diff label="Category" from={c.category.from} to={c.category.to} />}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="form-actions">
        {n > 0 && (
          <button type="button" className="primary" onClick={onApply} disabled={applying}>
            {applying ? 'Applying…' : `Apply to ${n.toLocaleString()} receipt${n === 1 ? '' : 's'}`}
          </button>
        )}
        <button type="button" onClick={onCancel} disabled={applying}>
          {n > 0 ? 'Cancel' : 'Close'}
        </button>
      </div>
    </section>
  );
}

function Diff({ label, from, to }: { label: string; from: string | null; to: string }) {
  return (
    <span className="rule-diff">
      <span className="muted">{label}:</span> <del>{from ?? '—'}</del> → <ins>{to}</ins>
    </span>
  );
}
