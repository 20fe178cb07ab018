// One receipt beside its image: every field can be corrected by hand, corrected fields are marked,
// and why it needs review is spelled out.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ReceiptDetail as Detail } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { formatMoney } from '../../lib/money';
import { useToasts } from '../../lib/toasts';
import { buildPatch, CORRECTED_NAME, formValues, type FormField, type FormValues } from './receipt-form';
import { ConfidenceMeter } from './ConfidenceMeter';
import { DuplicatePanel } from './DuplicatePanel';
import { useThumbnail } from './use-thumbnail';
import { RuleOffer } from '../rules/RuleOffer';

interface Props {
  id: number;
  version: number;
  categories: string[];
  defaultCurrency: string;
  onClose(): void;
  onDelete(id: number): void;
  onSaved(): void;
  /** Shows another receipt (a possible duplicate, or the one this was merged into). */
  onOpen(id: number): void;
}

export function ReceiptDetail({ id, version, categories, defaultCurrency, onClose, onDelete, onSaved, onOpen }: Props) {
  const toasts = useToasts();
  const [receipt, setReceipt] = useState<Detail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [values, setValues] = useState<FormValues | null>(null);
  // Which file's image is shown: the receipt's own (undefined) or a merged-in one, by sha-256.
  const [shownFile, setShownFile] = useState<string | undefined>(undefined);
  const image = useThumbnail(id, 900, shownFile);
  const [saving, setSaving] = useState(false);
  const [showProblems, setShowProblems] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const dirtyRef = useRef(false);
  // After a correction of merchant or category: offer to remember it as a rule (a new offer each save).
  const [ruleOffer, setRuleOffer] = useState<{ id: number; save: number } | null>(null);

  useEffect(() => {
    let live = true;
    invoke('ledger:get', { id }).then(
      (detail) => {
        if (!live) return;
        setReceipt(detail);
        setLoadError(null);
        // A refresh from elsewhere must not throw away what the person is typing.
        if (!dirtyRef.current) setValues(formValues(detail));
      },
      (error) => live && setLoadError(errorMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  useEffect(() => heading.current?.focus(), [id]);

  const built = receipt && values ? buildPatch(receipt, values, defaultCurrency) : null;
  const changed = built ? Object.keys(built.patch).length > 0 : false;
  const hasProblems = built ? Object.keys(built.problems).length > 0 : false;
  dirtyRef.current = changed || hasProblems;

  const set = (field: FormField, value: string) => values && setValues({ ...values, [field]: value });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!built || !receipt) return;
    if (hasProblems) {
      setShowProblems(true);
      return;
    }
    if (!changed) return;
    setSaving(true);
    try {
      const updated = await invoke('ledger:update', { id, patch: built.patch });
      const next = { ...receipt, ...updated };
      setReceipt(next);
      dirtyRef.current = false;
      setValues(formValues(next));
      setShowProblems(false);
      toasts.push({ kind: 'success', message: 'Corrections saved.' });
      if ('merchant' in built.patch || 'category' in built.patch) setRuleOffer((o) => ({ id, save: (o?.save ?? 0) + 1 }));
      onSaved();
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not save: ${errorMessage(error)}` });
    } finally {
      setSaving(false);
    }
  };

  const revert = () => {
    if (receipt) setValues(formValues(receipt));
    setShowProblems(false);
  };

  const title = receipt ? receipt.merchant ?? receipt.fileName : `Receipt #${id}`;
  const shownName = receipt?.mergedFiles.find((f) => f.sha256 === shownFile)?.fileName ?? receipt?.fileName;

  return (
    <aside className="detail" aria-labelledby="detail-heading" data-receipt-id={id}>
      <div className="detail-header">
        <h2 id="detail-heading" ref={heading} tabIndex={-1}>{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close receipt (Esc)" title="Close (Esc)">
          ×
        </button>
      </div>
      {loadError ? (
        <p className="detail-error" role="alert">{loadError}</p>
      ) : !receipt || !values ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="detail-body">
          <figure className="detail-image">
            {image.state === 'ready' ? (
              <img src={image.url} alt={`Scan of ${shownName}`} />
            ) : image.state === 'failed' ? (
              <figcaption className="image-missing">Image unavailable: {image.message}</figcaption>
            ) : (
              <figcaption className="image-missing">Loading image…</figcaption>
            )}
          </figure>

          <div className="detail-fields">
            <DuplicatePanel
              id={id}
              duplicates={receipt.duplicates}
              onOpen={onOpen}
              onResolved={(survivor) => {
                onSaved();
                if (survivor !== id) onOpen(survivor);
              }}
            />
            {/* When the only reason is a possible duplicate, the panel above says so. */}
            {receipt.needsReview && (receipt.warnings.length > 0 || !receipt.duplicates.some((d) => d.thisFlagged)) && (
              <div className="review-note" role="note">
                <strong>Needs review</strong>
                {receipt.warnings.length > 0 ? (
                  <ul>
                    {receipt.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                ) : (
                  <span> — the scanner was not sure about some fields.</span>
                )}
              </div>
            )}

            <form className="receipt-form" onSubmit={(e) => void save(e)} aria-label="Receipt fields">
              <Field label="Merchant" field="merchant" values={values} receipt={receipt} problems={showProblems ? built?.problems : undefined} onChange={set} />
              <Field label="Date" field="date" type="date" values={values} receipt={receipt} problems={showProblems ? built?.problems : undefined} onChange={set} />
              <div className="field-pair">
                <Field label="Total" field="totalMinor" amount values={values} receipt={receipt} problems={showProblems ? built?.problems : undefined} onChange={set} />
                <Field label="Currency" field="currency" values={values} receipt={receipt} problems={showProblems ? built?.problems : undefined} onChange={set} short />
              </div>
              <div className="field-pair">
                <Field label="Subtotal" field="subtotalMinor" amount values={values} receipt={receipt} problems={showProblems ? built?.problems : undefined} onChange={set} />
                <Field label="Tax" field="taxMinor" amount values={values} receipt={receipt} problems={showProblems ? built?.problems : undefined} onChange={set} />
                <Field label="Tip" field="tipMinor" amount values={values} receipt={receipt} problems={showProblems ? built?.problems : undefined} onChange={set} />
              </div>
              <Field label="Payment" field="paymentMethod" values={values} receipt={receipt} problems={showProblems ? built?.problems : undefined} onChange={set} />
              <label className="field">
                <span className="field-label">Category</span>
                <select name="category" value={values.category} onChange={(e) => set('category', e.target.value)}>
                  <option value="">Uncategorised</option>
                  {[...new Set([...categories, ...(values.category ? [values.category] : [])])].map((c) => (
                    <option key={c} value={c}>{c}</option>
                  ))}
                </select>
              </label>

              <div className="form-actions">
                <button type="submit" className="primary" disabled={!changed && !hasProblems || saving}>
                  {saving ? 'Saving…' : 'Save corrections'}
                </button>
                <button type="button" onClick={revert} disabled={!changed && !hasProblems}>Revert</button>
                <span className="spacer" />
                <button type="button" className="danger" onClick={() => onDelete(id)} title="Delete (Del)">
                  Delete
                </button>
              </div>
            </form>
            {ruleOffer?.id === id && <RuleOffer key={ruleOffer.save} receiptId={id} onChanged={onSaved} />}

            <dl className="facts">
              <dt>Confidence</dt>
              <dd><ConfidenceMeter value={receipt.confidence} /></dd>
              <dt>File</dt>
              <dd className="path" title={receipt.sourcePath}>{receipt.sourcePath}</dd>
              <dt>Scanned</dt>
              <dd>{new Date(receipt.scannedAt).toLocaleString()}</dd>
              {receipt.mergedFiles.length > 0 && (
                <>
                  <dt title="This receipt's file and the files merged into it">Images</dt>
                  <dd className="merged-files">
                    {[{ sha256: undefined, fileName: receipt.fileName, sourcePath: receipt.sourcePath }, ...receipt.mergedFiles].map((f) => (
                      <button
                        key={f.sha256 ?? 'own'}
                        type="button"
                        className="link-button path"
                        title={`Show ${f.sourcePath}`}
                        aria-pressed={shownFile === f.sha256}
                        onClick={() => setShownFile(f.sha256)}
                      >
                        {f.fileName}
                      </button>
                    ))}
                  </dd>
                </>
              )}
            </dl>

            {receipt.items.length > 0 && (
              <details className="items">
                <summary>{receipt.items.length} line item{receipt.items.length === 1 ? '' : 's'}</summary>
                <table>
                  <tbody>
                    {receipt.items.map((item, i) => (
                      <tr key={i}>
                        <td>{item.quantity !== undefined ? `${item.quantity} × ` : ''}{item.description}</td>
                        <td className="num">{formatMoney(item.amountMinor, receipt.currency ?? defaultCurrency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            )}
            {receipt.ocrNotes.length > 0 && (
              <section className="ocr-notes" aria-labelledby="ocr-notes-heading">
                <h3 id="ocr-notes-heading">How this receipt was read</h3>
                <ul>
                  {receipt.ocrNotes.map((note) => (
                    <li key={note}>{note}</li>
                  ))}
                </ul>
              </section>
            )}
            {receipt.ocrText && (
              <details className="ocr-text">
                <summary>Recognised text</summary>
                <pre>{receipt.ocrText}</pre>
              </details>
            )}
          </div>
        </div>
      )}
    </aside>
  );
}

interface FieldProps {
  label: string;
  field: FormField;
  values: FormValues;
  receipt: Detail;
  problems: Partial<Record<FormField, string>> | undefined;
  onChange(field: FormField, value: string): void;
  type?: 'text' | 'date';
  amount?: boolean;
  short?: boolean;
}

function Field({ label, field, values, receipt, problems, onChange, type = 'text', amount, short }: FieldProps) {
  const id = useId();
  const correctedName = CORRECTED_NAME[field];
  const corrected = correctedName !== undefined && receipt.corrected.includes(correctedName);
  const problem = problems?.[field];
  const described = [corrected ? `${id}-corrected` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${short ? ' short' : ''}`}>
      <span className="field-label">
        <label htmlFor={id}>{label}</label>
        {corrected && (
          <span id={`${id}-corrected`} className="badge info" title="Corrected by hand; a re-scan keeps it">
            corrected
          </span>
        )}
      </span>
      <input
        id={id}
        type={type}
        name={field}
        value={values[field]}
        inputMode={amount ? 'decimal' : undefined}
        className={amount ? 'amount-input' : undefined}
        maxLength={short ? 3 : undefined}
        onChange={(e) => onChange(field, short ? e.target.value.toUpperCase() : e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={described || undefined}
      />
      {problem && <span id={`${id}-problem`} className="field-problem">{problem}</span>}
    </div>
  );
}
