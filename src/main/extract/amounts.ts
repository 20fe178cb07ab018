// Money amounts as printed on receipts, read despite the usual OCR confusions: O for 0, S for 5,
// l/I/| for 1, B for 8, a comma for the decimal point, a space around the point, "RM9.00", "9.00-".
// A minus sign counts only when it touches the figure: "TOTAL - 6.70" is a leader, "-0.02" a credit.
// Amounts are returned in integer minor units of the receipt's currency, whose ISO 4217 minor digits
// say what a figure looks like: "9.00" (2), "3.250" (3, KWD), "1,280" (0, JPY). With 2 digits a bare
// integer is far more often a quantity, a code or a year than money, so it is not read as one.
import type { Row, Word } from './layout';
import { wordsInRange } from './layout';

export interface Amount {
  minor: number;
  /** Character range in the row text. */
  start: number;
  end: number;
  /** Words the amount was read from (for position on the line). */
  words: Word[];
  /** Currency sign or code printed with it, upper case ("RM", "$"), if any. */
  sign: string | null;
  /** Confusion characters had to be mapped to digits. */
  repaired: boolean;
}

const CONFUSED: Record<string, string> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  S: '5',
  s: '5',
  l: '1',
  I: '1',
  '|': '1',
  i: '1',
  B: '8',
  Z: '2',
  G: '6',
  U: '0',
};
const D = '[0-9OoDQSslI|iBZGU]';
// Integer part: plain digits, or groups of three separated by ',' '.' or "'".
const INT = `(?:${D}{1,3}(?:[,.'’]${D}{3})+|${D}{1,7})`;
// "RM" is often read as RH, RN, RI, Ri, a lone M, or R with other specks ("R43.40", "Rif43.40"); a sign
// glued to the figure is still a sign. "R1" is RM only apart from the figure: glued to it ("R16.85") the 1
// is the figure's, whether the M was lost or the sign is the rand's.
const SIGN =
  '\\$|€|£|¥|₩|₫|R[MHNIil]|R1(?=\\s)|M|R[pP]\\.?|USD|MYR|SGD|EUR|GBP|AUD|CAD|INR|JPY|KRW|VND|IDR|KWD|BHD|OMR|JOD|TND|KD|Rs\\.?|R[A-Za-z]{0,2}(?=\\d)';
const BEFORE = '(?<![0-9A-Za-z.,/-])';

/** A figure with `digits` decimals: sign, minus, integer part, point, fraction, trailing minus. */
function decimalPattern(digits: number): RegExp {
  return new RegExp(`${BEFORE}(${SIGN})?\\s?(-)?(${INT})\\s?([.,])\\s?(${D}{${digits}})(-)?(?![0-9]|[.,/:]\\d|[%])`, 'g');
}
// Currencies without minor units print whole figures, grouped or not ("¥1,280", "Rp 25.000"), at most
// with a zero tail ("25.000,00"). Not a time ("12:30"), a phone or code part ("03-555"), a percentage.
const WHOLE_RE = new RegExp(
  `(?<![0-9A-Za-z.,/-]|\\d:)(${SIGN})?\\s?(-)?(${D}{1,3}(?:[,.'’]${D}{3})+|${D}{1,9})(?:[.,]00)?(-)?(?![0-9A-Za-z]|[.,/:-]\\d|\\s?%)`,
  'g',
);
/** ISO 4217 minor digits other than 0 are 2, 3 or 4. */
const DECIMAL_PATTERNS = new Map([2, 3, 4].map((d) => [d, decimalPattern(d)]));
// After a currency sign, a lost decimal point leaves a space: "RM 88 17".
const SPACED_RE = new RegExp(`${BEFORE}(${SIGN})\\s?(${INT})( )(${D}{2})(?![0-9.,%])`, 'g');

/** Maps confusion characters to digits; null if the result has too few real digits to be trusted. */
function repairDigits(s: string): { digits: string; repaired: boolean } | null {
  let real = 0;
  let out = '';
  for (const ch of s) {
    if (ch >= '0' && ch <= '9') {
      real++;
      out += ch;
    } else if (CONFUSED[ch]) out += CONFUSED[ch];
    else out += ch;
  }
  // A word like "Sl.lS" or "IS.OO" is text, not money: require most characters to be real digits.
  const digitCount = out.replace(/[^0-9]/g, '').length;
  if (real < Math.max(2, Math.ceil(digitCount * 0.5))) return null;
  return { digits: out, repaired: out !== s };
}

interface RawMatch {
  index: number;
  whole: string;
  sign?: string;
  negative: boolean;
  intPart: string;
  /** Digits after the decimal point ('' for a currency without minor units). */
  fraction: string;
}

function rawMatches(text: string, digits: number): RawMatch[] {
  if (digits === 0) {
    return [...text.matchAll(WHOLE_RE)].map((m) => ({
      index: m.index,
      whole: m[0],
      sign: m[1],
      negative: Boolean(m[2] || m[4]),
      intPart: m[3],
      fraction: '',
    }));
  }
  const pattern = DECIMAL_PATTERNS.get(digits);
  if (!pattern) throw new Error(`no amount pattern for ${digits} minor digits`);
  const out: RawMatch[] = [...text.matchAll(pattern)].map((m) => ({
    index: m.index,
    whole: m[0],
    sign: m[1],
    negative: Boolean(m[2] || m[6]),
    intPart: m[3],
    fraction: m[5],
  }));
  if (digits !== 2) return out;
  for (const m of text.matchAll(SPACED_RE)) {
    const overlaps = out.some((o) => o.index < m.index + m[0].length && m.index < o.index + o.whole.length);
    if (!overlaps) out.push({ index: m.index, whole: m[0], sign: m[1], negative: false, intPart: m[2], fraction: m[4] });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** All amounts printed in a piece of text, with their character ranges, in minor units of `digits` places. */
export function findAmountsInText(text: string, digits = 2): Omit<Amount, 'words'>[] {
  const found: Omit<Amount, 'words'>[] = [];
  for (const { index, whole, sign, negative, intPart, fraction } of rawMatches(text, digits)) {
    const repaired = repairDigits(intPart + fraction);
    if (!repaired) continue;
    const all = repaired.digits.replace(/[^0-9]/g, '');
    const minor = Number(all) * (negative ? -1 : 1);
    if (!Number.isSafeInteger(minor)) continue;
    found.push({
      minor,
      start: index + (whole.length - whole.trimStart().length),
      end: index + whole.length,
      sign: sign ? normaliseSign(sign) : null,
      repaired: repaired.repaired,
    });
  }
  return found;
}

function normaliseSign(sign: string): string {
  const upper = sign.toUpperCase().replace(/\.$/, '');
  return upper !== 'RP' && upper !== 'RS' && /^(R[A-Z1]{0,2}|M)$/.test(upper) ? 'RM' : upper;
}

/** Amounts in a row, left to right, each tied to the words it came from. */
export function findAmounts(row: Row, digits = 2): Amount[] {
  return findAmountsInText(row.text, digits).map((a) => ({ ...a, words: wordsInRange(row, a.start, a.end) }));
}

/** Reads rows for one currency's minor digits, each row once (the totals rules look at rows many times). */
export function amountReader(digits: number): (row: Row) => Amount[] {
  const seen = new WeakMap<Row, Amount[]>();
  return (row) => {
    let amounts = seen.get(row);
    if (!amounts) {
      amounts = findAmounts(row, digits);
      seen.set(row, amounts);
    }
    return amounts;
  };
}

/** Parses a single printed amount ("RM 22.90", "$1,234.50", "9,00"); null when it is not one. */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  const all = findAmountsInText(trimmed);
  if (all.length !== 1) {
    // Labels sometimes carry plain numbers ("56.5", "20"): accept them when nothing else is there.
    const plain = /^(?:\$|€|£|RM|USD|MYR)?\s?(-?\d+(?:\.\d{1,2})?)$/i.exec(trimmed.replace(/,(?=\d{3}\b)/g, ''));
    return plain ? Math.round(Number(plain[1]) * 100) : null;
  }
  return all[0].minor;
}
