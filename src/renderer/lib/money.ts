// Money shown and edited as text; amounts stay integer minor units end to end. Parsing works on the
// decimal string itself (never through a float), so "19.99" is exactly 1999. Minor-unit digits come
// from shared/money (ISO 4217), the same table the extractor and the CSV export use.
import type { CurrencyCode } from '../../shared/model';
import { formatMinor, minorDigits } from '../../shared/money';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: CurrencyCode | null | undefined, whole = false): Intl.NumberFormat {
  const digits = whole ? 0 : minorDigits(currency);
  const key = `${currency ?? ''}/${digits}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    // Digits are pinned to ISO 4217 (CLDR rounds a few currencies, e.g. IQD, to fewer places).
    const places = { minimumFractionDigits: digits, maximumFractionDigits: digits };
    try {
      formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency: currency ?? '', ...places });
    } catch {
      formatter = new Intl.NumberFormat(undefined, places);
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Locale display of an amount in its currency; a plain number when the currency is unknown. */
export function formatMoney(minor: number | null | undefined, currency: CurrencyCode | null | undefined): string {
  if (minor === null || minor === undefined) return '—';
  return formatterFor(currency).format(formatMinor(minor, currency ?? null) as `${number}`);
}

/** Editable text of an amount: no grouping, '.' as decimal point. */
export function minorToEditText(minor: number | null | undefined, currency: CurrencyCode | null | undefined): string {
  return minor === null || minor === undefined ? '' : formatMinor(minor, currency ?? null);
}

export type ParsedAmount = { ok: true; minor: number | null } | { ok: false; message: string };

const MAX_MINOR = 1e13;

/**
 * Reads an amount typed by a person: "12.50", "1,234.56", "1.234,56", "1 234,5", "-3", "$ 4.20".
 * The last '.' or ',' is the decimal point when what follows it fits the currency's minor digits;
 * otherwise it groups thousands ("1,234" in USD is 1234). Empty text clears the field (null).
 */
export function parseAmount(text: string, currency: CurrencyCode | null | undefined): ParsedAmount {
  const digits = minorDigits(currency);
  const cleaned = text
    .trim()
    .replace(/^[^\d.,\-−]+|[^\d.,]+$/g, '')
    .replace(/\s/g, '');
  if (cleaned === '') {
    return text.trim() === '' ? { ok: true, minor: null } : { ok: false, message: `"${text.trim()}" is not an amount` };
  }
  const negative = /^[-−]/.test(cleaned);
  const body = cleaned.replace(/^[-−]/, '');
  if (!/^[\d.,]+$/.test(body) || !/\d/.test(body)) return { ok: false, message: `"${text.trim()}" is not an amount` };

  const lastSep = Math.max(body.lastIndexOf('.'), body.lastIndexOf(','));
  let whole = body;
  let fraction = '';
  if (lastSep >= 0) {
    const after = body.slice(lastSep + 1);
    const before = body.slice(0, lastSep);
    const otherSeps = before.replace(/\d/g, '');
    const sep = body[lastSep];
    // The same separator used twice ("1,234,567") or a 3-digit tail that cannot be minor units groups thousands.
    const grouping = otherSeps.includes(sep) || (after.length === 3 && digits < 3 && otherSeps === '');
    if (grouping) {
      whole = body;
    } else {
      whole = before;
      fraction = after;
    }
  }
  if (!/^(\d{1,3}([.,]\d{3})*|\d+)$/.test(whole.replace(/^$/, '0'))) {
    return { ok: false, message: `"${text.trim()}" has misplaced separators` };
  }
  whole = whole.replace(/[.,]/g, '');
  if (fraction.length > digits) {
    return {
      ok: false,
      message: digits === 0 ? `${currency} has no decimals` : `${currency ?? 'amounts'} allow at most ${digits} decimals`,
    };
  }
  const minorText = (whole === '' ? '0' : whole) + fraction.padEnd(digits, '0');
  const value = Number(minorText.replace(/^0+(?=\d)/, ''));
  if (!Number.isSafeInteger(value) || value > MAX_MINOR) return { ok: false, message: 'amount is too large' };
  return { ok: true, minor: negative && value !== 0 ? -value : value };
}

/** Like formatMoney, but whole amounts drop their zero decimals ("$20" on a chart axis). */
export function formatMoneyShort(minor: number, currency: CurrencyCode): string {
  const unit = 10 ** minorDigits(currency);
  if (minor % unit !== 0) return formatMoney(minor, currency);
  return formatterFor(currency, true).format(String(minor / unit) as `${number}`);
}
