// Several OCR passes over one receipt (e.g. a second pass with a different image preparation when the
// first reads poorly) read different characters wrong. Each field is taken from the reading that the
// passes agree on most, weighted by confidence.
import type { ExtractedFields, FieldName } from '../../shared/model';

/** Below this total confidence, or with no total or date, a second OCR pass is worth its cost. */
export const SECOND_PASS_BELOW = 0.7;

/** Whether a receipt read this way deserves another OCR pass. */
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

/** Which field a warning of extractFields is about. */
export function warningTopic(warning: string): 'merchant' | 'date' | 'money' {
  if (/\bmerchant\b/.test(warning)) return 'merchant';
  if (/\bdate\b/.test(warning)) return 'date';
  return 'money';
}

export function combineExtractions(passes: ExtractedFields[]): ExtractedFields {
  if (passes.length === 0) throw new Error('combineExtractions needs at least one pass');
  if (passes.length === 1) return passes[0];
  const pick = (field: FieldName): ExtractedFields => passes[bestPass(passes, field)];
  // Money fields and items travel together: they come from the pass whose total won.
  const money = pick('total');
  const merchant = pick('merchant');
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

  // Each warning stays with the pass its field came from.
  const warnings = [
    ...merchant.warnings.filter((w) => warningTopic(w) === 'merchant'),
    ...date.warnings.filter((w) => warningTopic(w) === 'date'),
    ...money.warnings.filter((w) => warningTopic(w) === 'money'),
  ];

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
  };
}
