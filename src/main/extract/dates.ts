// Receipt dates in the forms printed around the world: 25/12/2018, 25-12-18, 2018-12-25, 20181225,
// 10 MAR 2018, Mar 27 2018, Tuesday, March 27th 2018. Numeric day/month order is the user's setting
// unless the receipt settles it: a number above 12, a month name, or the country it comes from (its
// currency, address or phone number: currency.ts).
import type { DateOrder } from '../../shared/model';
import type { Row } from './layout';
import { slips } from './similarity';

export interface DateCandidate {
  iso: string;
  rowIndex: number;
  /** Character range in the row text. */
  start: number;
  end: number;
  /** Which reading of a numeric date produced iso; null when the form is unambiguous. */
  order: DateOrder | null;
  /** The other reading of an ambiguous numeric date (day and month swapped). */
  swapped: string | null;
  /** What settled day vs month: a value over 12, a month name, a year-first form. */
  fixed: boolean;
  /** Read through OCR stand-ins for digits ("2¢17", "D3/D6/017"). */
  repaired: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/**
 * Month names of European receipts that do not start like the English ones (MARS, MÄRZ, JUNI, JULIO,
 * OCTOBRE… do), whole or in their usual abbreviations, accents taken off: French, German, Spanish,
 * Italian, Dutch, Portuguese. Abbreviations that are also words on receipts ("SET" meals, "GEN", "OUT")
 * are left out; their whole names count.
 */
const OTHER_MONTHS: Record<string, number> = {
  ...names(1, 'ENERO GENNAIO'),
  ...names(2, 'FEV FEVR FEVRIER FEVEREIRO'),
  ...names(3, 'MRZ MRT'),
  ...names(4, 'AVR AVRIL ABR ABRIL'),
  ...names(5, 'MAI MAIO MAGGIO MEI'),
  ...names(6, 'JUIN GIU GIUGNO'),
  ...names(7, 'JUIL JUILLET LUG LUGLIO'),
  ...names(8, 'AOUT AGO AGOSTO'),
  ...names(9, 'SETIEMBRE SETTEMBRE SETEMBRO'),
  ...names(10, 'OKT OKTOBER OTT OTTOBRE OUTUBRO'),
  ...names(12, 'DEZ DEZEMBER DEZEMBRO DIC DICIEMBRE DICEMBRE'),
};
function names(month: number, list: string): Record<string, number> {
  return Object.fromEntries(list.split(' ').map((name) => [name, month]));
}
// Month names as printed: English ones by their 3-letter start, with any ending (also their OCR-mangled
// full forms) and the letters OCR most often reads as digits in them: B as 8 ("FE8"), O as 0 ("N0V",
// "0CT"); the other languages' names whole.
const MONTH_RE = `((?:JAN|FE[B8]|MAR|APR|MAY|JUN|JUL|AUG|SEPT?|[O0]CT|N[O0]V|DEC)[A-Z]*|(?:${Object.keys(OTHER_MONTHS).join('|')})(?![A-Z]))\\.?`;
// A digit, or a character OCR reads for one in upper-cased text: O D Q U ¢ for 0, I L | for 1, S for 5,
// B for 8, Z for 2, G for 6. A date read through them must still be mostly real digits.
const DIGIT = '[0-9ODQU¢IL|SBZG]';
const CONFUSED: Record<string, string> = {
  O: '0',
  D: '0',
  Q: '0',
  U: '0',
  '¢': '0',
  I: '1',
  L: '1',
  '|': '1',
  S: '5',
  B: '8',
  Z: '2',
  G: '6',
};
/**
 * A time printed right after a date, its space lost and its colon perhaps read as a point, or the space
 * read as a dash, ends the date ("17/01/201808:53", "2018-11-1818.58", "12 Mar188:54", "15-08-2017-12:29").
 */
const GLUED_TIME = '(?=[0-9]{1,2}[:.][0-9]{2}|-[0-9]{1,2}:[0-9]{2})';
/** Right after a year of 19xx or 20xx, which nothing glued to it can be part of. */
const AFTER_FULL_YEAR = '(?<=(?:19|20)[0-9]{2})';
/**
 * Digits before a colon and more digits end in a time's hour, unless they are a year of 19xx or 20xx:
 * "4/15/1612:03" is 4/15/16 12:03, "15-08-2017:12529" is 15-08-2017 (a space read as the colon).
 */
const NOT_HOUR = `(?:${AFTER_FULL_YEAR}|(?!:[0-9]))`;
/** A time printed right before a date, its space lost: a time's minutes are two digits ("22:484.8.2016" is 22:48 4.8.2016). */
const AFTER_GLUED_TIME = '(?<=(?<![0-9])[0-9]{1,2}:[0-9]{2})';
/**
 * A year of 19xx or 20xx ends the date: digits after it are the next fields, their spaces lost
 * ("17/01/20184 2153", "17/01/201842153"). A number that starts with a whole date and goes on is read
 * as that date: a document number that embeds a date embeds the day it was printed.
 */
const FULL_YEAR_THEN_DIGIT = `${AFTER_FULL_YEAR}(?=[0-9])`;
// A year: four digits, two, or three with the leading 2 lost ("D3/D6/017").
const YEAR = `(?:${DIGIT}{4}|0${DIGIT}{2}|${DIGIT}{2})`;

// Spaces are tolerated around "/" only: "3-21 - 12" is a product code, "25/12/ 2018" is a date.
const NUMERIC = new RegExp(
  `(?:(?<![0-9/.-])|${AFTER_GLUED_TIME})(${DIGIT}{1,2})(?:(/)\\s?|([.-]))(${DIGIT}{1,2})(?:\\s?(/)\\s?|([.-]))(${YEAR})(?:${GLUED_TIME}|${FULL_YEAR_THEN_DIGIT}|${NOT_HOUR}(?![0-9/]|[.-]\\d))`,
  'g',
);

/**
 * A two-digit first part split by the print's spacing ("1 9/05/18" for 19/05/18: a wide 1 read apart).
 * Only where the second part has two digits: a date that pads its month to two digits pads its day too,
 * so a lone digit before a one-digit day is that day's first digit, not a count or a table number.
 */
const SPLIT_FIRST = new RegExp(`(?<![0-9A-Z/.-])(${DIGIT}) (${DIGIT})([/.-])(${DIGIT}{2})\\3(${YEAR})(?![0-9/]|[.-]\\d)`, 'g');

/** Day-or-month, day-or-month and year of a NUMERIC match whose two separators are the same. */
function numericParts(m: RegExpMatchArray): [string, string, string] | null {
  const first = m[2] ?? m[3];
  const second = m[5] ?? m[6];
  return first === second ? [m[1], m[4], m[7]] : null;
}
// The day of a year-first date is its last one or two digits, or exactly two before a glued time.
const YEAR_FIRST = new RegExp(
  `(?<![0-9])((?:19|20)${DIGIT}{2})\\s?([/.\\-])\\s?(${DIGIT}{1,2})\\s?\\2\\s?(${DIGIT}{2}${GLUED_TIME}|${DIGIT}{1,2}(?![0-9]))`,
  'g',
);
const COMPACT = /(?<![0-9])((?:19|20)\d{2})(\d{2})(\d{2})(?![0-9])/g;
/** Day and month before the year with no separators at all ("21032018"), or one lost ("1109/2017", "17/012018"). */
const COMPACT_DAY_FIRST = /(?<![0-9/.-])(\d{2})([/.-]?)(\d{2})([/.-]?)((?:19|20)\d{2})(?![0-9])/g;
// Between a month name and the year: spaces, dots, commas, an apostrophe or its OCR forms ("Mar18°18").
const NAME_SEP = "[\\s\\-./,'’‘`°]*";
// A year is never followed by "/" and digits: in "4 FEB 18/17" the month name is followed by day/year.
const DAY_MONTH_NAME = new RegExp(
  `(?<![0-9])(${DIGIT}{1,2})(?:ST|ND|RD|TH)?[\\s\\-./,]*${MONTH_RE}${NAME_SEP}(${DIGIT}{4}|${DIGIT}{2})(?:${GLUED_TIME}|${NOT_HOUR}(?![0-9]|/[0-9]))`,
  'g',
);
const MONTH_NAME_DAY = new RegExp(
  `(?<![A-Z])${MONTH_RE}[\\s\\-./,]*(${DIGIT}{1,2})(?:ST|ND|RD|TH)?${NAME_SEP}(${DIGIT}{4}|${DIGIT}{2})(?:${GLUED_TIME}|${NOT_HOUR}(?![0-9]))`,
  'g',
);

function num(s: string): number {
  return Number([...s].map((c) => CONFUSED[c] ?? c).join(''));
}

/**
 * Whether the digit groups of a match are at least half real digits, and a
 * stand-in letter that starts the match is not the end of a word ("BIS/10/2017").
 */
function readable(groups: string[], upper: string, index: number, match: string): boolean {
  const chars = groups.join('');
  const real = chars.replace(/[^0-9]/g, '').length;
  if (real * 2 < chars.length) return false;
  return /[0-9]/.test(match[0]) || !/[A-Z]/.test(upper[index - 1] ?? '');
}

/** Two-digit years from this one on are of the 1900s ("17JUL89" is 1989), as POSIX strptime reads `%y`. */
const LAST_CENTURY_FROM = 69;

function fullYear(y: string): number {
  const n = num(y);
  if (y.length === 2) return n >= LAST_CENTURY_FROM ? 1900 + n : 2000 + n;
  if (y.length === 3) return 2000 + n;
  // "2618" for 2018: a 6, 8 or 9 in the hundreds is a misread 0 of a 20xx year.
  if (n >= 2100 && /^2[689]/.test(String(n))) return 2000 + (n % 100);
  return n;
}

function monthIndex(name: string): number {
  return OTHER_MONTHS[name] ?? MONTHS.indexOf(name.slice(0, 3).replace('8', 'B').replace('0', 'O')) + 1;
}

/** Upper-cased letters without their accents ("DÉC" → "DEC", "MÄRZ" → "MARZ"), one character for one. */
const withoutAccents = (upper: string): string => upper.replace(/\p{Lu}/gu, (c) => (c.normalize('NFD')[0] ?? c).replace(/[^A-Z]/, c));

/** ISO date if y-m-d is a real calendar day, else null. */
export function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2199) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** What one match says, before its place in the text is added. */
type Reading = Omit<DateCandidate, 'rowIndex' | 'start' | 'end' | 'repaired'> | null;

/** Month names long enough that one misread letter still leaves them unmistakable. */
const FULL_MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

/** A full month name with one letter misread ("HARCH 27TH 2018", "APRI1", "HARCH27TH") written right; the text keeps its length. */
function mendMonthNames(upper: string): string {
  // A word, or the letters before a day printed against it.
  return upper.replace(/(?<![A-Z0-9])(?:[A-Z]{5,9}(?=[0-9])|[A-Z0-9]{5,9}(?![A-Z0-9]))/g, (word) => {
    const month = FULL_MONTHS.find((m) => slips(m, word) === 1);
    return month ?? word;
  });
}

/** Every date printed in one piece of text. An ambiguous numeric date is read in `order`. */
export function findDatesInText(text: string, rowIndex: number, order: DateOrder): DateCandidate[] {
  const upper = mendMonthNames(withoutAccents(text.toUpperCase()));
  const out: DateCandidate[] = [];
  const taken: [number, number][] = [];
  const add = (m: RegExpMatchArray, groups: string[], found: NonNullable<Reading>): void => {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (taken.some(([s, e]) => start < e && end > s) || !readable(groups, upper, start, m[0])) return;
    taken.push([start, end]);
    out.push({ ...found, rowIndex, start, end, repaired: groups.join('').length !== groups.join('').replace(/[^0-9]/g, '').length });
  };
  const fixed = (iso: string | null): Reading => (iso ? { iso, order: null, swapped: null, fixed: true } : null);
  /** A day and month in either order: read in `order` when both readings are real days. */
  const dayMonth = (a: number, b: number, y: number): Reading => {
    const dmy = isoDate(y, b, a);
    const mdy = isoDate(y, a, b);
    if (!dmy && !mdy) return null;
    if (dmy && mdy && dmy !== mdy) return { iso: order === 'DMY' ? dmy : mdy, order, swapped: order === 'DMY' ? mdy : dmy, fixed: false };
    return { iso: (dmy ?? mdy) as string, order: dmy ? 'DMY' : 'MDY', swapped: null, fixed: a !== b };
  };
  const each = (re: RegExp, read: (m: RegExpMatchArray) => [string[], Reading] | null): void => {
    for (const m of upper.matchAll(re)) {
      const r = read(m);
      if (r && r[1]) add(m, r[0], r[1]);
    }
  };

  each(DAY_MONTH_NAME, (m) => [[m[1], m[3]], fixed(isoDate(fullYear(m[3]), monthIndex(m[2]), num(m[1])))]);
  each(MONTH_NAME_DAY, (m) => [[m[2], m[3]], fixed(isoDate(fullYear(m[3]), monthIndex(m[1]), num(m[2])))]);
  each(YEAR_FIRST, (m) => [[m[1], m[3], m[4]], fixed(isoDate(num(m[1]), num(m[3]), num(m[4])))]);
  each(SPLIT_FIRST, (m) => [[m[1], m[2], m[4], m[5]], dayMonth(num(m[1] + m[2]), num(m[4]), fullYear(m[5]))]);
  each(NUMERIC, (m) => {
    const parts = numericParts(m);
    return parts ? [parts, dayMonth(num(parts[0]), num(parts[1]), fullYear(parts[2]))] : null;
  });
  each(COMPACT, (m) => [[m[1], m[2], m[3]], fixed(isoDate(Number(m[1]), Number(m[2]), Number(m[3])))]);
  // With no separator, or only one of two, the date must have been read in the receipt's order.
  each(COMPACT_DAY_FIRST, (m) => (m[2] && m[4] ? null : [[m[1], m[3], m[5]], dayMonth(Number(m[1]), Number(m[3]), Number(m[5]))]));
  return out.sort((x, y) => x.start - y.start);
}

export interface DatePick {
  iso: string;
  confidence: number;
  warnings: string[];
  /** The day/month order this receipt was read in. */
  order: DateOrder;
  /** Where the picked date is printed: its row and character range in the row text. */
  at: Pick<DateCandidate, 'rowIndex' | 'start' | 'end'>;
}

export interface DateContext {
  /** The user's setting, used when nothing on the receipt settles the order. */
  order: DateOrder;
  /** Order written where the receipt comes from, by its currency, address or phone number (detectCurrency). */
  countryOrder: DateOrder | null;
  today: Date;
}

const DATE_LABEL = /\b(DATE|DATED|TARIKH|FECHA|DATUM|DT)\b/;
// Dates that are not the purchase: expiry, returns, due dates, validity of an offer.
const OTHER_DATE = /\b(EXP|EXPIRY|EXPIRES|EXPIRE|VALID|RETURN|RETURNS|DUE|BEST BEFORE|USE BY|UNTIL|BIRTH|DOB|ENDS|OFFER)\b/;
/** A time of day right after a date: the receipt's own timestamp, not an order or expiry date. */
const TIME_AFTER = /^[^0-9A-Z]{0,3}[0-9]{1,2}[:.][0-9]{2}/;

/** The time of day after a date, with seconds: two dates followed by the same one are one timestamp. */
const TIME_STAMP = /^[^0-9A-Z]{0,3}([0-9]{1,2}[:.][0-9]{2}[:.][0-9]{2})/;

const DAY_MS = 86_400_000;
/** A date up to this many days after the scan day is the clock or the time zone, not a misread. */
const FUTURE_SLACK_DAYS = 1;
/** Older than this, a receipt date is more likely a misread year than a receipt kept that long. */
const MAX_AGE_YEARS = 15;
/**
 * Dates this many years apart on one receipt are a misread year ("2013" among "2018"s: 8 read as 3);
 * a year apart is a receipt printed around New Year.
 */
const YEARS_APART = 2;

/**
 * The purchase date of a receipt. Day/month order comes from, in turn: an unambiguous numeric date on
 * the receipt (a part above 12), where the receipt comes from, the user's setting. A date after the
 * scan day, too old, or years before most other dates on the receipt is doubted: another date wins
 * over it, and if none does it comes with a warning.
 */
export function pickDate(rows: Row[], ctx: DateContext): DatePick | null {
  const settled = settleOrder(rows);
  const order = settled ?? ctx.countryOrder ?? ctx.order;
  const candidates = rows.flatMap((r) => findDatesInText(r.text, r.index, order));
  if (candidates.length === 0) return null;

  const todayMs = Date.UTC(ctx.today.getUTCFullYear(), ctx.today.getUTCMonth(), ctx.today.getUTCDate());
  const ageDays = (iso: string): number => (todayMs - Date.parse(`${iso}T00:00:00Z`)) / DAY_MS;
  const outOfRange = (iso: string): string | null => {
    if (ageDays(iso) < -FUTURE_SLACK_DAYS) return 'is in the future';
    if (ageDays(iso) > 365 * MAX_AGE_YEARS) return `is more than ${MAX_AGE_YEARS} years old`;
    return null;
  };
  const year = (iso: string): number => Number(iso.slice(0, 4));
  // The receipt's own dates, as far as can be told: not an expiry date, not out of range.
  const own = candidates.filter((c) => !outOfRange(c.iso) && !OTHER_DATE.test(rowText(rows, c.rowIndex)));
  const yearsApart = (a: string, b: string): boolean => Math.abs(year(a) - year(b)) >= YEARS_APART;
  /** A later year printed on more of the receipt's dates than this one's year: this year is the misread. */
  const outvotedBy = (iso: string): number | undefined => {
    const later = own.filter((c) => year(c.iso) - year(iso) >= YEARS_APART);
    return later.length > own.filter((c) => year(c.iso) === year(iso)).length ? year(later[0]!.iso) : undefined;
  };
  /** Why `iso` cannot be the purchase date, or null when it can. */
  const doubt = (iso: string): string | null => {
    const later = outvotedBy(iso);
    return outOfRange(iso) ?? (later ? `is years before ${later}, the year of most other dates on the receipt` : null);
  };
  const plausible = (iso: string): boolean => doubt(iso) === null;

  const scored = candidates.map((c) => {
    const text = rowText(rows, c.rowIndex);
    let score = 0;
    if (DATE_LABEL.test(text)) score += 2;
    // A column header above the value: "Date  Time  No." over "06/04/18 17:36 4176".
    else if (DATE_LABEL.test(rowText(rows, c.rowIndex - 1)) && findDatesInText(rowText(rows, c.rowIndex - 1), 0, order).length === 0)
      score += 1.5;
    if (OTHER_DATE.test(text)) score -= 3;
    if (c.fixed || c.order === null) score += 0.5;
    if (TIME_AFTER.test(text.slice(c.end))) score += 0.5;
    // Read through stand-in characters: a cleanly printed date elsewhere is surer.
    if (c.repaired) score -= 0.5;
    // An ambiguous date that is only possible the other way round (future in this order) gets swapped.
    let iso = c.iso;
    if (!plausible(iso) && c.swapped && plausible(c.swapped)) iso = c.swapped;
    if (!plausible(iso)) score -= 4;
    // Purchase dates are printed in the header or near the totals; earlier rows win a tie.
    score -= c.rowIndex * 0.01;
    return { c, iso, score };
  });
  // One timestamp printed twice ("1/26/2013 7:03:09 PM" at 53%, "7/26/2013 7:03:09 PM" at 94%): the
  // copies differ only by a misread digit, and the copy read more surely is the printed date.
  const stamp = (c: DateCandidate): string | undefined => TIME_STAMP.exec(rowText(rows, c.rowIndex).slice(c.end))?.[1];
  for (const a of scored) {
    const time = stamp(a.c);
    const surer = scored.some(
      (b) => b.iso !== a.iso && time !== undefined && stamp(b.c) === time && ocrCertainty(rows, b.c) > ocrCertainty(rows, a.c),
    );
    if (surer) a.score -= 1;
  }
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0];
  const reason = doubt(best.iso);
  // Years apart on one receipt and the kept one not outvoted: either year may be the misread one.
  const apart = own.find((c) => yearsApart(c.iso, best.iso));
  const warnings = reason
    ? [`date ${best.iso} ${reason}`]
    : apart
      ? [`date ${best.iso} kept, but the receipt also prints ${apart.iso}: one of the years may be misread`]
      : [];

  let confidence = 0.9;
  if (!best.c.fixed && best.c.order !== null && !settled) confidence = ctx.countryOrder ? 0.8 : 0.7;
  // The best there is may still be an expiry date or an implausible one.
  if (!plausible(best.iso) || OTHER_DATE.test(rowText(rows, best.c.rowIndex))) confidence = 0.3;
  const others = new Set(scored.filter((s) => s.score > -1).map((s) => s.iso));
  if (others.size > 1) confidence -= 0.1;
  // A date read from poorly recognised characters is less certain (a misread 8 makes 2018 into 2016).
  confidence *= ocrCertainty(rows, best.c);
  const at = { rowIndex: best.c.rowIndex, start: best.c.start, end: best.c.end };
  return { iso: best.iso, confidence: Math.max(0.1, confidence), warnings, order, at };
}

/** 0.7..1 from the OCR confidence of the words the date was read from. */
function ocrCertainty(rows: Row[], c: DateCandidate): number {
  const row = rows.find((r) => r.index === c.rowIndex);
  if (!row || row.synthetic) return 1;
  const words = row.words.filter((w) => w.start + w.text.length > c.start && w.start < c.start + 10);
  const conf = words.length ? Math.min(...words.map((w) => w.confidence)) : row.confidence;
  return 0.7 + 0.3 * Math.min(1, Math.max(0, conf));
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
