// One receipt beside its image: every field can be corrected by hand, corrected fields are marked,
// and why it needs review is spelled out. The image shows where each field was read; with a field
// focused, clicking an amount, date or line on it sets the field (saved at once, marked corrected), and
// Alt+↓ / Alt+↑ step the field through them (Enter saves). Tab keeps moving between fields as usual.
import {
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type HTMLAttributes,
  type InputHTMLAttributes,
  type KeyboardEvent,
} from 'react';
import type { ReceiptDetail as Detail, PageBox, ReadTarget, ReceiptPatch } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { formatMoney } from '../../lib/money';
import { useToasts } from '../../lib/toasts';
import { buildPatch, CORRECTED_NAME, formValues, type FormField, type FormValues } from './receipt-form';
import { ConfidenceMeter } from './ConfidenceMeter';
import { DuplicatePanel } from './DuplicatePanel';
import { useThumbnail } from './use-thumbnail';
import { RuleOffer } from '../rules/RuleOffer';
import { candidatesFor, pageOfBoxes, pickedText, shownBoxes, stepCandidate } from './field-targets';
import { ReceiptViewer } from './ReceiptViewer';

/** Longest side of the image asked of main: sharp enough to read at the viewer's zoom. */
const VIEWER_IMAGE_SIZE = 2000;

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
  // The page of the receipt as read that is shown; another receipt or file starts on its first.
  const pageKey = `${id}:${shownFile ?? ''}`;
  const [shownPageOf, setShownPageOf] = useState({ key: pageKey, page: 0 });
  const shownPage = shownPageOf.key === pageKey ? shownPageOf.page : 0;
  const showPage = (page: number) => setShownPageOf({ key: pageKey, page });
  const image = useThumbnail(id, VIEWER_IMAGE_SIZE, shownFile, shownPage);
  // The field whose box stands out (hovered, else focused) and the one picked for (focused).
  const [focusField, setFocusField] = useState<FormField | null>(null);
  const [hoverField, setHoverField] = useState<FormField | null>(null);
  const [activeItem, setActiveItem] = useState<number | null>(null);
  // The candidate the keyboard stepped the focused field to.
  const [stepped, setStepped] = useState<{ field: FormField; index: number } | null>(null);
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
  const dirty = changed || hasProblems;
  // Read by the loader above when a refresh arrives; written after render, as refs must be.
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);

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

  // Boxes belong to the receipt's own image, not to a merged-in file's.
  const provenance = shownFile === undefined ? (receipt?.provenance ?? null) : null;
  const currency = receipt?.currency ?? defaultCurrency;

  /** A click on the image: the field focused takes the target's value, saved and marked corrected. */
  const pick = async (target: ReadTarget) => {
    const field = focusField;
    if (!field || !receipt) return;
    setStepped(null);
    try {
      const updated = await invoke('ledger:update', { id, patch: { [field]: target.value } as ReceiptPatch });
      const next = { ...receipt, ...updated };
      setReceipt(next);
      // Other fields being edited keep what the person typed.
      setValues((v) => v && { ...v, [field]: formValues(next)[field] });
      toasts.push({ kind: 'success', message: `Set from the receipt: ${pickedText(target, next.currency ?? defaultCurrency)}` });
      onSaved();
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not save: ${errorMessage(error)}` });
    }
  };

  /** Alt+↓ / Alt+↑ in a field: the next or previous candidate on the image. */
  const stepField = (field: FormField, event: KeyboardEvent) => {
    if (!event.altKey || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') || !provenance || !values) return;
    const candidates = candidatesFor(provenance, field);
    const from = stepped?.field === field ? stepped.index : null;
    const index = stepCandidate(candidates, from, values[field], currency, event.key === 'ArrowDown' ? 1 : -1);
    if (index === null) return;
    event.preventDefault();
    setStepped({ field, index });
    set(field, pickedText(candidates[index]!, currency));
    if (candidates[index]!.box.page !== shownPage) showPage(candidates[index]!.box.page);
  };
  const steppedTarget =
    stepped && provenance && stepped.field === focusField ? (candidatesFor(provenance, stepped.field)[stepped.index] ?? null) : null;
  // What every form field takes: its name, the handlers that tie it to its box on the image, its problem.
  const fieldProps = (field: FormField) => ({
    field,
    events: {
      onFocus: () => {
        setFocusField(field);
        // A field read on another page brings that page into view.
        const boxes: Partial<Record<FormField, PageBox[]>> = provenance && receipt ? shownBoxes(provenance, receipt) : {};
        const page = pageOfBoxes(boxes[field], shownPage);
        if (page !== null) showPage(page);
      },
      onBlur: () => {
        setFocusField(null);
        setStepped(null);
      },
      onMouseEnter: () => setHoverField(field),
      onMouseLeave: () => setHoverField(null),
      onKeyDown: (e: KeyboardEvent) => stepField(field, e),
    },
    problems: showProblems ? built?.problems : undefined,
    onChange: set,
  });

  const title = receipt ? (receipt.merchant ?? receipt.fileName) : `Receipt #${id}`;
  const shownName = receipt?.mergedFiles.find((f) => f.sha256 === shownFile)?.fileName ?? receipt?.fileName;

  return (
    <aside className="detail" aria-labelledby="detail-heading" data-receipt-id={id}>
      <div className="detail-header">
        <h2 id="detail-heading" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close receipt (Esc)" title="Close (Esc)">
          ×
        </button>
      </div>
      {loadError ? (
        <p className="detail-error" role="alert">
          {loadError}
        </p>
      ) : !receipt || !values ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="detail-body">
          <figure className={`detail-image${image.state === 'ready' ? ' with-viewer' : ''}`}>
            {image.state === 'ready' ? (
              <ReceiptViewer
                url={image.url}
                alt={`Scan of ${shownName}`}
                width={image.width}
                height={image.height}
                provenance={provenance}
                page={image.page}
                onPage={showPage}
                boxes={provenance ? shownBoxes(provenance, receipt) : {}}
                activeField={hoverField ?? focusField}
                pickField={focusField}
                candidate={steppedTarget}
                activeItem={activeItem}
                onPick={(target) => void pick(target)}
              />
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
              <p className="visually-hidden" aria-live="polite">
                {steppedTarget && stepped && provenance
                  ? `${steppedTarget.text}, ${stepped.index + 1} of ${candidatesFor(provenance, stepped.field).length} on the receipt`
                  : ''}
              </p>
              <Field label="Merchant" values={values} receipt={receipt} {...fieldProps('merchant')} />
              <Field label="Date" type="date" values={values} receipt={receipt} {...fieldProps('date')} />
              <div className="field-pair">
                <Field label="Total" amount values={values} receipt={receipt} {...fieldProps('totalMinor')} />
                <Field label="Currency" values={values} receipt={receipt} short {...fieldProps('currency')} />
              </div>
              <div className="field-pair">
                <Field label="Subtotal" amount values={values} receipt={receipt} {...fieldProps('subtotalMinor')} />
                <Field label="Tax" amount values={values} receipt={receipt} {...fieldProps('taxMinor')} />
                <Field label="Tip" amount values={values} receipt={receipt} {...fieldProps('tipMinor')} />
              </div>
              <Field label="Payment" values={values} receipt={receipt} {...fieldProps('paymentMethod')} />
              <label className="field">
                <span className="field-label">Category</span>
                <select name="category" value={values.category} onChange={(e) => set('category', e.target.value)}>
                  <option value="">Uncategorised</option>
                  {[...new Set([...categories, ...(values.category ? [values.category] : [])])].map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>

              <div className="form-actions">
                <button type="submit" className="primary" disabled={(!changed && !hasProblems) || saving}>
                  {saving ? 'Saving…' : 'Save corrections'}
                </button>
                <button type="button" onClick={revert} disabled={!changed && !hasProblems}>
                  Revert
                </button>
                <span className="spacer" />
                <button type="button" className="danger" onClick={() => onDelete(id)} title="Delete (Del)">
                  Delete
                </button>
              </div>
            </form>
            {ruleOffer?.id === id && <RuleOffer key={ruleOffer.save} receiptId={id} onChanged={onSaved} />}

            <dl className="facts">
              <dt>Confidence</dt>
              <dd>
                <ConfidenceMeter value={receipt.confidence} />
              </dd>
              <dt>File</dt>
              <dd className="path" title={receipt.sourcePath}>
                {receipt.sourcePath}
              </dd>
              <dt>Scanned</dt>
              <dd>{new Date(receipt.scannedAt).toLocaleString()}</dd>
              {receipt.mergedFiles.length > 0 && (
                <>
                  <dt title="This receipt's file and the files merged into it">Images</dt>
                  <dd className="merged-files">
                    {[{ sha256: undefined, fileName: receipt.fileName, sourcePath: receipt.sourcePath }, ...receipt.mergedFiles].map(
                      (f) => (
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
                      ),
                    )}
                  </dd>
                </>
              )}
            </dl>

            {receipt.items.length > 0 && (
              <details className="items">
                <summary>
                  {receipt.items.length} line item{receipt.items.length === 1 ? '' : 's'}
                </summary>
                <table>
                  <tbody>
                    {receipt.items.map((item, i) => (
                      <tr
                        key={i}
                        tabIndex={provenance?.items[i]?.length ? 0 : undefined}
                        className={activeItem === i ? 'active' : undefined}
                        onMouseEnter={() => setActiveItem(i)}
                        onMouseLeave={() => setActiveItem(null)}
                        onFocus={() => setActiveItem(i)}
                        onBlur={() => setActiveItem(null)}
                      >
                        <td>
                          {item.quantity !== undefined ? `${item.quantity} × ` : ''}
                          {item.description}
                        </td>
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
  /** Focus, hover and key handlers that tie the field to its box on the image. */
  events: Pick<InputHTMLAttributes<HTMLInputElement>, 'onFocus' | 'onBlur' | 'onKeyDown'> &
    Pick<HTMLAttributes<HTMLDivElement>, 'onMouseEnter' | 'onMouseLeave'>;
}

function Field({ label, field, values, receipt, problems, onChange, type = 'text', amount, short, events }: FieldProps) {
  const id = useId();
  const correctedName = CORRECTED_NAME[field];
  const corrected = correctedName !== undefined && receipt.corrected.includes(correctedName);
  const problem = problems?.[field];
  const described = [corrected ? `${id}-corrected` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return (
    <div
      className={`field${short ? ' short' : ''}`}
      data-field={field}
      onMouseEnter={events.onMouseEnter}
      onMouseLeave={events.onMouseLeave}
    >
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
        onFocus={events.onFocus}
        onBlur={events.onBlur}
        onKeyDown={events.onKeyDown}
      />
      {problem && (
        <span id={`${id}-problem`} className="field-problem">
          {problem}
        </span>
      )}
    </div>
  );
}
