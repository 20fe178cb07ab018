// Receipt dates in the forms printed around the world: 25/12/2018, 25-12-18, 2018-12-25, 20181225,
// 10 MAR 2018, Mar 27 2018, Tuesday, March 27th 2018. Numeric day/month order is the user's setting
// unless the receipt settles it: a number above 12, a month name, or the country it comes from.
import type { DateOrder } from '../../shared/model';
import type { Row } from './layout';

export interface DateCandidate {
  iso: string;
  rowIndex: number;
  start: number;
  /** Which reading of a numeric date produced iso; null when the form is unambiguous. */
  order: DateOrder | null;
  /** The other reading of an ambiguous numeric date (day and month swapped). */
  swapped: string | null;
  /** What settled day vs month: a value over 12, a month name, a year-first form. */
  fixed: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
// Month names as printed, including a few full names' OCR-mangled forms handled by the 3-letter prefix.
const MONTH_RE = '(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\\.?';
const DIGIT = '[0-9O]';

// Spaces are tolerated around "/" only: "3-21 - 12" is a product code, "25/12/ 2018" is a date.
const NUMERIC = new RegExp(
  `(?<![0-9/.-])(${DIGIT}{1,2})(?:(/)\\s?|([.-]))(${DIGIT}{1,2})(?:\\s?(/)\\s?|([.-]))(${DIGIT}{4}|${DIGIT}{2})(?![0-9/]|[.-]\\d)`,
  'g',
);

/** Day-or-month, day-or-month and year of a NUMERIC match whose two separators are the same. */
function numericParts(m: RegExpMatchArray): [string, string, string] | null {
  const first = m[2] ?? m[3];
  const second = m[5] ?? m[6];
  return first === second ? [m[1], m[4], m[7]] : null;
}
const YEAR_FIRST = new RegExp(`(?<![0-9])((?:19|20)${DIGIT}{2})\\s?([/.\\-])\\s?(${DIGIT}{1,2})\\s?\\2\\s?(${DIGIT}{1,2})(?![0-9])`, 'g');
const COMPACT = /(?<![0-9])((?:19|20)\d{2})(\d{2})(\d{2})(?![0-9])/g;
const DAY_MONTH_NAME = new RegExp(
  `(?<![0-9])(${DIGIT}{1,2})(?:ST|ND|RD|TH)?[\\s\\-./,]*${MONTH_RE}[\\s\\-./,']*(${DIGIT}{4}|${DIGIT}{2})(?![0-9])`,
  'g',
);
const MONTH_NAME_DAY = new RegExp(
  `(?<![A-Z])${MONTH_RE}[\\s\\-./,]*(${DIGIT}{1,2})(?:ST|ND|RD|TH)?[\\s\\-./,']*(${DIGIT}{4}|${DIGIT}{2})(?![0-9])`,
  'g',
);

function num(s: string): number {
  return Number(s.replace(/O/g, '0'));
}

function fullYear(y: string): number {
  const n = num(y);
  return y.length === 2 ? 2000 + n : n;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3)) + 1;
}

/** ISO date if y-m-d is a real calendar day, else null. */
export function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2199) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Every date printed in one piece of text. An ambiguous numeric date is read in `order`. */
export function findDatesInText(text: string, rowIndex: number, order: DateOrder): DateCandidate[] {
  const upper = text.toUpperCase();
  const out: DateCandidate[] = [];
  const taken: [number, number][] = [];
  const add = (c: DateCandidate, end: number): void => {
    if (taken.some(([s, e]) => c.start < e && end > s)) return;
    taken.push([c.start, end]);
    out.push(c);
  };

  for (const m of upper.matchAll(DAY_MONTH_NAME)) {
    const iso = isoDate(fullYear(m[3]), monthIndex(m[2]), num(m[1]));
    if (iso) add({ iso, rowIndex, start: m.index, order: null, swapped: null, fixed: true }, m.index + m[0].length);
  }
  for (const m of upper.matchAll(MONTH_NAME_DAY)) {
    const iso = isoDate(fullYear(m[3]), monthIndex(m[1]), num(m[2]));
    if (iso) add({ iso, rowIndex, start: m.index, order: null, swapped: null, fixed: true }, m.index + m[0].length);
  }
  for (const m of upper.matchAll(YEAR_FIRST)) {
    const iso = isoDate(num(m[1]), num(m[3]), num(m[4]));
    if (iso) add({ iso, rowIndex, start: m.index, order: null, swapped: null, fixed: true }, m.index + m[0].length);
  }
  for (const m of upper.matchAll(NUMERIC)) {
    const parts = numericParts(m);
    if (!parts) continue;
    const a = num(parts[0]);
    const b = num(parts[1]);
    const y = fullYear(parts[2]);
    const dmy = isoDate(y, b, a);
    const mdy = isoDate(y, a, b);
    if (!dmy && !mdy) continue;
    const end = m.index + m[0].length;
    if (dmy && mdy && dmy !== mdy) {
      const iso = order === 'DMY' ? dmy : mdy;
      add({ iso, rowIndex, start: m.index, order, swapped: order === 'DMY' ? mdy : dmy, fixed: false }, end);
    } else {
      const iso = (dmy ?? mdy) as string;
      add({ iso, rowIndex, start: m.index, order: dmy ? 'DMY' : 'MDY', swapped: null, fixed: a !== b }, end);
    }
  }
  for (const m of upper.matchAll(COMPACT)) {
    const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (iso) add({ iso, rowIndex, start: m.index, order: null, swapped: null, fixed: true }, m.index + m[0].length);
  }
  return out.sort((x, y) => x.start - y.start);
}

export interface DatePick {
  iso: string;
  confidence: number;
  warnings: string[];
  /** The day/month order this receipt was read in. */
  order: DateOrder;
}

export interface DateContext {
  /** The user's setting, used when nothing on the receipt settles the order. */
  order: DateOrder;
  /** Order implied by the receipt's country or currency, if it implies one. */
  countryOrder: DateOrder | null;
  today: Date;
}

const DATE_LABEL = /\b(DATE|DATED|TARIKH|FECHA|DATUM|DT)\b/;
// Dates that are not the purchase: expiry, returns, due dates, validity of an offer.
const OTHER_DATE = /\b(EXP|EXPIRY|EXPIRES|VALID|RETURN|RETURNS|DUE|BEST BEFORE|USE BY|UNTIL|BIRTH|DOB)\b/;

const DAY_MS = 86_400_000;

/**
 * The purchase date of a receipt. Day/month order comes from, in turn: an unambiguous numeric date on
 * the receipt (a part above 12), the country cue, the user's setting.
 */
export function pickDate(rows: Row[], ctx: DateContext): DatePick | null {
  const settled = settleOrder(rows);
  const order = settled ?? ctx.countryOrder ?? ctx.order;
  const candidates = rows.flatMap((r) => findDatesInText(r.text, r.index, order));
  if (candidates.length === 0) return null;

  const todayMs = Date.UTC(ctx.today.getUTCFullYear(), ctx.today.getUTCMonth(), ctx.today.getUTCDate());
  const ageDays = (iso: string): number => (todayMs - Date.parse(`${iso}T00:00:00Z`)) / DAY_MS;
  const plausible = (iso: string): boolean => ageDays(iso) >= -1 && ageDays(iso) <= 365 * 15;

  const scored = candidates.map((c) => {
    const text = rowText(rows, c.rowIndex);
    let score = 0;
    if (DATE_LABEL.test(text)) score += 2;
    // A column header above the value: "Date  Time  No." over "06/04/18 17:36 4176".
    else if (DATE_LABEL.test(rowText(rows, c.rowIndex - 1)) && findDatesInText(rowText(rows, c.rowIndex - 1), 0, order).length === 0) score += 1.5;
    if (OTHER_DATE.test(text)) score -= 3;
    if (c.fixed || c.order === null) score += 0.5;
    // An ambiguous date that is only possible the other way round (future in this order) gets swapped.
    let iso = c.iso;
    if (!plausible(iso) && c.swapped && plausible(c.swapped)) iso = c.swapped;
    if (!plausible(iso)) score -= 4;
    // Purchase dates are printed in the header or near the totals; earlier rows win a tie.
    score -= c.rowIndex * 0.01;
    return { c, iso, score };
  });
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0];
  const warnings: string[] = [];
  const age = ageDays(best.iso);
  if (age < -1) warnings.push(`date ${best.iso} is in the future`);
  else if (age > 365 * 15) warnings.push(`date ${best.iso} is more than 15 years old`);

  let confidence = 0.9;
  if (!best.c.fixed && best.c.order !== null && !settled) confidence = ctx.countryOrder ? 0.8 : 0.7;
  // The best there is may still be an expiry date or an implausible one.
  if (!plausible(best.iso) || OTHER_DATE.test(rowText(rows, best.c.rowIndex))) confidence = 0.3;
  const others = new Set(scored.filter((s) => s.score > -1).map((s) => s.iso));
  if (others.size > 1) confidence -= 0.1;
  // A date read from poorly recognised characters is less certain (a misread 8 makes 2018 into 2016).
  confidence *= ocrCertainty(rows, best.c);
  return { iso: best.iso, confidence: Math.max(0.1, confidence), warnings, order };
}

/** 0.7..1 from the OCR confidence of the words the date was read from. */
function ocrCertainty(rows: Row[], c: DateCandidate): number {
  const row = rows.find((r) => r.index === c.rowIndex);
  if (!row || row.synthetic) return 1;
  const words = row.words.filter((w) => w.start + w.text.length > c.start && w.start < c.start + 10);
  const conf = words.length ? Math.min(...words.map((w) => w.confidence)) : row.confidence;
  return 0.7 + 0.3 * Math.min(1, Math.max(0, conf / 100));
}

function rowText(rows: Row[], index: number): string {
  return (rows.find((r) => r.index === index)?.text ?? '').toUpperCase();
}

/** The order forced by a numeric date with a part above 12, if the receipt has one. */
function settleOrder(rows: Row[]): DateOrder | null {
  let dmy = 0;
  let mdy = 0;
  for (const row of rows) {
    for (const m of row.text.toUpperCase().matchAll(NUMERIC)) {
      const parts = numericParts(m);
      if (!parts) continue;
      const [a, b, y] = [num(parts[0]), num(parts[1]), fullYear(parts[2])];
      if (a > 12 && b <= 12 && isoDate(y, b, a)) dmy++;
      if (b > 12 && a <= 12 && isoDate(y, a, b)) mdy++;
    }
  }
  if (dmy > mdy) return 'DMY';
  if (mdy > dmy) return 'MDY';
  return null;
}
