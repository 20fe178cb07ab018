// The detail view's form: a receipt's fields as editable text, and the patch that the person's edits
// amount to. Only changed fields go into the patch, so main marks exactly those as corrected.
import type { CurrencyCode, FieldName, Receipt, ReceiptPatch } from '../../../shared/model';
import { minorToEditText, parseAmount } from '../../lib/money';

export const AMOUNT_FIELDS = ['totalMinor', 'subtotalMinor', 'taxMinor', 'tipMinor'] as const;
export type AmountField = (typeof AMOUNT_FIELDS)[number];
export type FormField = keyof Required<ReceiptPatch>;
export type FormValues = Record<FormField, string>;

/** The ledger's name for each field's "corrected by hand" mark. */
export const CORRECTED_NAME: Partial<Record<FormField, FieldName>> = {
  merchant: 'merchant',
  date: 'date',
  totalMinor: 'total',
  subtotalMinor: 'subtotal',
  taxMinor: 'tax',
  tipMinor: 'tip',
  currency: 'currency',
  paymentMethod: 'paymentMethod',
};

export function formValues(receipt: Receipt): FormValues {
  const currency = receipt.currency;
  return {
    merchant: receipt.merchant ?? '',
    date: receipt.date ?? '',
    totalMinor: minorToEditText(receipt.totalMinor, currency),
    subtotalMinor: minorToEditText(receipt.subtotalMinor, currency),
    taxMinor: minorToEditText(receipt.taxMinor, currency),
    tipMinor: minorToEditText(receipt.tipMinor, currency),
    currency: currency ?? '',
    paymentMethod: receipt.paymentMethod ?? '',
    category: receipt.category ?? '',
  };
}

export interface BuiltPatch {
  patch: ReceiptPatch;
  problems: Partial<Record<FormField, string>>;
}

const textOrNull = (value: string) => (value.trim() === '' ? null : value.trim());

/**
 * The patch for what changed between the receipt and the form. Amounts are read in the form's
 * currency (a corrected currency applies to the amounts typed with it).
 */
export function buildPatch(receipt: Receipt, values: FormValues, defaultCurrency: CurrencyCode): BuiltPatch {
  const original = formValues(receipt);
  const patch: ReceiptPatch = {};
  const problems: BuiltPatch['problems'] = {};

  const currencyText = values.currency.trim().toUpperCase();
  if (currencyText !== '' && !/^[A-Z]{3}$/.test(currencyText)) problems.currency = 'use a 3-letter code such as USD';
  const currency = /^[A-Z]{3}$/.test(currencyText) ? currencyText : (receipt.currency ?? defaultCurrency);
  const currencyChanged = currencyText !== original.currency;
  if (currencyChanged && !problems.currency) patch.currency = currencyText === '' ? null : currencyText;

  for (const field of ['merchant', 'paymentMethod', 'category'] as const) {
    if (values[field].trim() !== original[field].trim()) patch[field] = textOrNull(values[field]);
  }
  const date = values.date.trim();
  if (date !== original.date) {
    if (date === '' || /^\d{4}-\d{2}-\d{2}$/.test(date)) patch.date = date === '' ? null : date;
    else problems.date = 'use a date as YYYY-MM-DD';
  }
  for (const field of AMOUNT_FIELDS) {
    // Re-read when the currency changed too: "1500" means 1500 yen but 15.00 dollars.
    if (values[field].trim() === original[field] && !currencyChanged) continue;
    const parsed = parseAmount(values[field], currency);
    if (!parsed.ok) problems[field] = parsed.message;
    else if (parsed.minor !== receipt[field]) patch[field] = parsed.minor;
  }
  return { patch, problems };
}
