// The values a person can edit on a receipt, their kinds, and the checks a value passes before it is stored.
import type { FieldName, Receipt, ReceiptPatch } from '../../shared/model';
import { LedgerInputError } from './errors';
import type { NewReceipt } from './receipts';

export type Values = { [K in keyof ReceiptPatch]-?: Exclude<ReceiptPatch[K], undefined> };
type ValueKind = 'text' | 'date' | 'money' | 'currency';

/** Editable values: their kind and the extracted field a correction marks (category is never extracted). */
export const VALUE_SPEC: Record<keyof Values, { kind: ValueKind; field: FieldName | null }> = {
  merchant: { kind: 'text', field: 'merchant' },
  date: { kind: 'date', field: 'date' },
  totalMinor: { kind: 'money', field: 'total' },
  subtotalMinor: { kind: 'money', field: 'subtotal' },
  taxMinor: { kind: 'money', field: 'tax' },
  tipMinor: { kind: 'money', field: 'tip' },
  currency: { kind: 'currency', field: 'currency' },
  paymentMethod: { kind: 'text', field: 'paymentMethod' },
  category: { kind: 'text', field: null },
};
export const VALUE_KEYS = Object.keys(VALUE_SPEC) as (keyof Values)[];

export function valuesOf(r: Receipt): Values {
  const { merchant, date, totalMinor, subtotalMinor, taxMinor, tipMinor, currency, paymentMethod, category } = r;
  return { merchant, date, totalMinor, subtotalMinor, taxMinor, tipMinor, currency, paymentMethod, category };
}

export function checkNewReceipt({ file, fields }: NewReceipt): void {
  if (!/^[0-9a-f]{64}$/.test(file.sha256)) throw new LedgerInputError('sha256 must be 64 lower-case hex digits');
  if (!Number.isSafeInteger(file.size) || file.size < 0) throw new LedgerInputError('file size must be a whole number of bytes');
  for (const key of VALUE_KEYS) if (key !== 'category') checkValue(key, fields[key]);
  for (const item of fields.items) {
    if (!Number.isSafeInteger(item.amountMinor)) {
      throw new LedgerInputError(`line item "${item.description}" amount must be whole minor units, got ${item.amountMinor}`);
    }
  }
}

export function checkValue(key: keyof Values, value: unknown): void {
  if (value === null) return;
  const kind = VALUE_SPEC[key].kind;
  const ok =
    kind === 'text'
      ? typeof value === 'string'
      : kind === 'money'
        ? Number.isSafeInteger(value)
        : kind === 'currency'
          ? typeof value === 'string' && /^[A-Z]{3}$/.test(value)
          : typeof value === 'string' && isIsoDate(value);
  if (!ok) {
    const expected = {
      text: 'text',
      money: 'a whole number of minor units (cents)',
      currency: 'an ISO 4217 code such as USD',
      date: 'a real date as YYYY-MM-DD',
    }[kind];
    throw new LedgerInputError(`${key} must be ${expected}, got ${JSON.stringify(value)}`);
  }
}

function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}
