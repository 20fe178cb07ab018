// What a currency's minor unit is (ISO 4217), and integer minor units written as a plain decimal.
// One definition for the whole app: the extractor, the window and the CSV export must agree on it.
import type { CurrencyCode } from './model';

/** ISO 4217 currencies whose minor unit is not 1/100. */
const MINOR_DIGITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0,
  VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Digits after the decimal point: 2 unless listed above (also for an unknown or missing code). */
export function minorDigits(currency: CurrencyCode | null | undefined): number {
  return currency != null && Object.hasOwn(MINOR_DIGITS, currency) ? MINOR_DIGITS[currency] : 2;
}

/** e.g. (3390, 'USD') → '33.90', (-500, 'USD') → '-5.00', (1200, 'JPY') → '1200', (1234, 'KWD') → '1.234'. */
export function formatMinor(minor: number, currency: CurrencyCode | null): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  return digits === 0 ? sign + abs : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}
