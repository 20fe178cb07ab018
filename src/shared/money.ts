// What a currency's minor unit is (ISO 4217), and integer minor units written as a plain decimal.
// One definition for the whole app: the extractor, the window and the CSV export must agree on it.
import type { CurrencyCode } from './model';

/** ISO 4217 currencies whose minor unit is not 1/100. */
const MINOR_DIGITS = new Map<string, number>([
  ...['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].map(
    (code) => [code, 0] as const,
  ),
  ...['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((code) => [code, 3] as const),
  ...['CLF', 'UYW'].map((code) => [code, 4] as const),
]);

/** Digits after the decimal point: 2 unless listed above (also for an unknown or missing code). */
export function minorDigits(currency: CurrencyCode | null | undefined): number {
  return (currency == null ? undefined : MINOR_DIGITS.get(currency)) ?? 2;
}

/** e.g. (3390, 'USD') → '33.90', (-500, 'USD') → '-5.00', (1200, 'JPY') → '1200', (1234, 'KWD') → '1.234'. */
export function formatMinor(minor: number, currency: CurrencyCode | null): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  // Integer arithmetic only (exact for any safe integer); this runs for every amount of a CSV export.
  const unit = 10 ** digits;
  const abs = Math.abs(minor);
  const fraction = String(abs % unit);
  return `${minor < 0 ? '-' : ''}${(abs - (abs % unit)) / unit}.${fraction.padStart(digits, '0')}`;
}
