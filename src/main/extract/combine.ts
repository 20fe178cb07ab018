// Several OCR passes over one receipt (e.g. a second pass with a different image preparation when the
// first reads poorly) read different characters wrong. Each field is taken from the reading that the
// passes agree on most, weighted by confidence.
import type { ExtractedFields, FieldName, Provenance } from '../../shared/model';
import { formatMinor } from '../../shared/money';
import { DISAGREEMENT_SURE, SECOND_PASS_BELOW } from './confidence';

/** Whether a receipt read this way (an unsure total, no total or no date) deserves another OCR pass. */
export function wantsSecondPass(fields: ExtractedFields): boolean {
  return fields.totalMinor === null || fields.date === null || (fields.confidence.total ?? 0) < SECOND_PASS_BELOW;
}

type Scalar = string | number | null;

const FIELD_VALUE: Record<FieldName, (f: ExtractedFields) => Scalar> = {
  merchant: (f) => f.merchant,
  date: (f) => f.date,
  total: (f) => f.totalMinor,
  subtotal: (f) => f.subtotalMinor,
  tax: (f) => f.taxMinor,
  tip: (f) => f.tipMinor,
  currency: (f) => f.currency,
  paymentMethod: (f) => f.paymentMethod,
};

/** Index of the pass whose value of `field` has the most confidence behind it (summed over passes that agree). */
function bestPass(passes: ExtractedFields[], field: FieldName): number {
  const support = new Map<Scalar, number>();
  passes.forEach((p) => {
    const v = FIELD_VALUE[field](p);
    if (v !== null) support.set(v, (support.get(v) ?? 0) + (p.confidence[field] ?? 0.1));
  });
  let best = 0;
  let bestSupport = -1;
  passes.forEach((p, i) => {
    const v = FIELD_VALUE[field](p);
    const s = v === null ? -1 : (support.get(v) ?? 0) + (p.confidence[field] ?? 0) * 1e-3;
    if (s > bestSupport) {
      best = i;
      bestSupport = s;
    }
  });
  return best;
}

const nameKey = (name: string | null): string => (name ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * A name one reading cut short ("HOLLYWOOD CAFE") and another read further ("HOLLYWOOD CAFE & SPORT"):
 * the fuller reading, when it starts with the whole of the chosen one.
 */
function fullerName(passes: ExtractedFields[], chosen: ExtractedFields): ExtractedFields {
  const short = nameKey(chosen.merchant);
  if (short.length < 4) return chosen;
  // Two more letters are more likely specks after the name ("Loaded Cafe ls") than more of it.
  return passes.find((p) => nameKey(p.merchant).length >= short.length + 3 && nameKey(p.merchant).startsWith(short)) ?? chosen;
}

/** Which field a warning of extractFields is about. */
function warningTopic(warning: string): 'merchant' | 'date' | 'money' {
  if (/\bmerchant\b/.test(warning)) return 'merchant';
  if (/\bdate\b/.test(warning)) return 'date';
  return 'money';
}

/** Each warning from the reading its field was taken from. */
export function warningsFrom(from: { merchant: ExtractedFields; date: ExtractedFields; money: ExtractedFields }): string[] {
  return [
    ...from.merchant.warnings.filter((w) => warningTopic(w) === 'merchant'),
    ...from.date.warnings.filter((w) => warningTopic(w) === 'date'),
    ...from.money.warnings.filter((w) => warningTopic(w) === 'money'),
  ];
}

/**
 * Readings that found different totals or dates: unless the chosen one is well supported (the
 * arithmetic of the receipt agrees with it), one misread digit decided it and a person should check.
 */
function disagreements(
  passes: ExtractedFields[],
  chosen: { total: ExtractedFields; date: ExtractedFields },
  confidence: ExtractedFields['confidence'],
): string[] {
  const out: string[] = [];
  for (const field of ['total', 'date'] as const) {
    const values = new Set(passes.map((p) => FIELD_VALUE[field](p)).filter((v) => v !== null));
    if (values.size > 1 && (confidence[field] ?? 0) < DISAGREEMENT_SURE) {
      const show = (v: Scalar): string => (field === 'total' && typeof v === 'number' ? formatMinor(v, chosen.total.currency) : String(v));
      const kept = FIELD_VALUE[field](chosen[field]);
      const others = [...values].filter((v) => v !== kept).map(show);
      out.push(`the readings disagree on the ${field}: ${show(kept)} kept, ${others.join(', ')} also read`);
    }
  }
  return out;
}

/**
 * Each field's boxes from the reading its value was taken from; the recognised targets and line items
 * travel with the money fields. Readings of one receipt share its page coordinates.
 */
function combinedProvenance(from: Record<'merchant' | 'date' | 'money' | 'currency' | 'payment', ExtractedFields>): Provenance | undefined {
  const base = from.money.provenance;
  if (!base) return undefined;
  const boxes = (field: FieldName, reading: ExtractedFields) => reading.provenance?.fields[field];
  const fields: Provenance['fields'] = {};
  const sources: [FieldName, ExtractedFields][] = [
    ['merchant', from.merchant],
    ['date', from.date],
    ...(['total', 'subtotal', 'tax', 'tip'] as const).map((f): [FieldName, ExtractedFields] => [f, from.money]),
    ['currency', from.currency],
    ['paymentMethod', from.payment],
  ];
  for (const [field, reading] of sources) {
    const found = boxes(field, reading);
    if (found) fields[field] = found;
  }
  return { ...base, fields };
}

export function combineExtractions(passes: ExtractedFields[]): ExtractedFields {
  if (passes.length === 0) throw new Error('combineExtractions needs at least one pass');
  if (passes.length === 1) return passes[0];
  const pick = (field: FieldName): ExtractedFields => passes[bestPass(passes, field)];
  // Money fields and items travel together: they come from the pass whose total won.
  const money = pick('total');
  const merchant = fullerName(passes, pick('merchant'));
  const date = pick('date');
  const currency = pick('currency');
  const payment = pick('paymentMethod');
  const agreeing = (field: FieldName, from: ExtractedFields): number =>
    passes.filter((p) => FIELD_VALUE[field](p) !== null && FIELD_VALUE[field](p) === FIELD_VALUE[field](from)).length;

  const confidence: ExtractedFields['confidence'] = {};
  const take = (field: FieldName, from: ExtractedFields): void => {
    const c = from.confidence[field];
    if (c === undefined || FIELD_VALUE[field](from) === null) return;
    // Agreement between independent readings raises confidence.
    confidence[field] = Math.min(0.99, c + 0.1 * (agreeing(field, from) - 1));
  };
  take('merchant', merchant);
  take('date', date);
  for (const f of ['total', 'subtotal', 'tax', 'tip'] as const) take(f, money);
  take('currency', currency);
  take('paymentMethod', payment);

  const warnings = [...warningsFrom({ merchant, date, money }), ...disagreements(passes, { total: money, date }, confidence)];
  const provenance = combinedProvenance({ merchant, date, money, currency, payment });

  return {
    merchant: merchant.merchant,
    date: date.date,
    totalMinor: money.totalMinor,
    subtotalMinor: money.subtotalMinor,
    taxMinor: money.taxMinor,
    tipMinor: money.tipMinor,
    currency: currency.currency,
    paymentMethod: payment.paymentMethod,
    items: money.items,
    confidence,
    warnings,
    ...(provenance && { provenance }),
  };
}
