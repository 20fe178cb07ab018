// Which currency a receipt is in, from what is printed on it: a sign or code next to amounts, and
// country cues (a Malaysian GST number, a US state + ZIP, a phone number's country prefix). Falls back
// to the user's default. The same cues tell the day/month order the receipt's dates are printed in.
import type { DateOrder } from '../../shared/model';
import { minorDigits } from '../../shared/money';
import { findAmountsInText } from './amounts';
import type { Row } from './layout';

export interface CurrencyPick {
  code: string;
  confidence: number;
  /** True when the receipt itself named the currency or country (not the user's default). */
  fromReceipt: boolean;
  /** The day/month order written where the receipt comes from, when its cues tell; null otherwise. */
  dateOrder: DateOrder | null;
}

interface Cue {
  code: string;
  re: RegExp;
  weight: number;
  /** Names a place rather than money (an address, a tax number): what a loose "$" is read against. */
  country?: true;
}

/** A phone number with a country's calling code: "+60 3-2141 8888", "+44 (0)20 7946 0958", "+6012-345 6789". */
const phone = (code: string): RegExp => new RegExp(`\\+\\s?${code}[\\s-]?(?:\\(0\\)\\s?)?\\d{1,5}[\\s-]?\\d{3,}`);

const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC';

// Checked against upper-cased row text. Weights: a printed code beats a sign, a sign beats a country cue.
const CUES: Cue[] = [
  { code: 'MYR', re: /(?<![A-Z])RM\s?\d/, weight: 3 },
  { code: 'MYR', re: /\bMYR\b/, weight: 4 },
  // "RM" as a column or label unit: "TOTAL (RM)", "AMOUNT RM"; a bare "RM" elsewhere may be a word
  // misread ("Dining RM" for Dining Room).
  {
    code: 'MYR',
    re: /\(RM\)|\b(AMOUNT|AMT|TOTAL|PRICE|SUBTOTAL|GST|SST)\b.*(?<![A-Z])RM(?![A-Z])|(?<![A-Z])RM(?![A-Z]).*\b(AMOUNT|AMT|TOTAL|PRICE)\b/,
    weight: 2,
  },
  {
    code: 'MYR',
    re: /\b(MALAYSIA|SDN\.? BHD|SELANGOR|JOHOR|KUALA LUMPUR|PULAU PINANG|PERAK|SABAH|SARAWAK|MELAKA|NEGERI SEMBILAN|PAHANG|KEDAH|KELANTAN|TERENGGANU|PUTRAJAYA|JALAN|JLN|TAMAN)\b/,
    weight: 1,
    country: true,
  },
  // Malaysian GST numbers have 12 digits ("GST ID : 001661886464"); Singapore's and Australia's do not.
  { code: 'MYR', re: /\bGST\b[^0-9]{0,16}\d{12}\b/, weight: 1, country: true },
  { code: 'MYR', re: phone('60'), weight: 1, country: true },
  { code: 'SGD', re: /\b(SGD|S\$)/, weight: 4 },
  { code: 'SGD', re: /\bSINGAPORE\b/, weight: 1.5, country: true },
  { code: 'SGD', re: phone('65'), weight: 1, country: true },
  { code: 'USD', re: /\bUSD\b|US\$/, weight: 4 },
  { code: 'USD', re: new RegExp(`\\b(${US_STATES})\\.?,?\\s+\\d{5}(?:-\\d{4})?\\b`), weight: 2, country: true },
  // "Long Beach, CA" without the ZIP, and North American phone numbers "(562) 597-0906".
  { code: 'USD', re: new RegExp(`[A-Z], (${US_STATES})\\b`), weight: 1, country: true },
  { code: 'USD', re: /\(\d{3}\)\s?\d{3}-\d{4}\b/, weight: 1, country: true },
  // Single-character signs are also OCR misreads of "%" or "$": only a sign in front of a figure counts.
  // A pound sign before a bare digit is as often noise ("£7 ." in a smudge): it counts before pence.
  { code: 'GBP', re: /£\s?\d[\d,]*[.,]\d\d\b|\bGBP\b/, weight: 4 },
  { code: 'GBP', re: /\b(UNITED KINGDOM|LONDON)\b/, weight: 1, country: true },
  { code: 'GBP', re: phone('44'), weight: 1, country: true },
  // A British postcode ("N1 6HG", "SW1A 1AA"): its inward half, a digit and two letters, is like no other.
  { code: 'GBP', re: /\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b/, weight: 1.5, country: true },
  // A British VAT number: nine digits, often grouped 3-4-2 ("VAT Reg No: 191 2478 96").
  { code: 'GBP', re: /\bVAT\b[^0-9]{0,16}(?:GB ?)?\d{3} ?\d{4} ?\d{2}\b/, weight: 2, country: true },
  // PaddleOCR's alphabet has no € or £ (it reads them as "f" or not at all): on its readings euros are
  // told by a printed code or word, or by the country.
  { code: 'EUR', re: /€\s?\d|\d\s?€|\bEUR\b|\bEUROS?\b/, weight: 4 },
  // Value-added tax by its name in euro-area languages: TVA (France, Belgium), MwSt/USt (Germany,
  // Austria), BTW (Netherlands, Belgium), IVA (Italy, Spain, Portugal). Some are also used outside the
  // euro (Switzerland, Latin America), hence a light weight that a printed code or sign outweighs.
  { code: 'EUR', re: /\b(TVA|MWST|UST|BTW|IVA)\b/, weight: 1, country: true },
  // A continental address: the postcode before a euro-area city ("75012 PARIS", "20122 MILANO").
  {
    code: 'EUR',
    re: /\b\d{4,5} (PARIS|LYON|MARSEILLE|TOULOUSE|NICE|BORDEAUX|ROMA|MILANO|NAPOLI|TORINO|FIRENZE|VENEZIA|BOLOGNA|MADRID|BARCELONA|VALENCIA|SEVILLA|M[AÁ]LAGA|BERLIN|M[UÜ]NCHEN|HAMBURG|K[OÖ]LN|FRANKFURT|STUTTGART|WIEN|AMSTERDAM|ROTTERDAM|UTRECHT|BRUXELLES|BRUSSEL|ANTWERPEN|LISBOA|PORTO)\b/,
    weight: 1.5,
    country: true,
  },
  ...['33', '39', '34', '49', '31', '32', '43', '351', '353', '30', '358'].map((code): Cue => ({
    code: 'EUR',
    re: phone(code),
    weight: 1,
    country: true,
  })),
  // Currencies with 0 or 3 minor digits change how every figure is read, so only a sign or code
  // printed on the receipt names them, never a place name (a "Tokyo Grill" bills in dollars).
  { code: 'JPY', re: /[¥￥]\s?\d|\bJPY\b|\d\s?円/, weight: 3 },
  { code: 'KRW', re: /₩\s?\d|\bKRW\b|\d\s?원/, weight: 4 },
  { code: 'VND', re: /₫|\bVND\b|\d\s?Đ(?![A-Z])/, weight: 4 },
  { code: 'IDR', re: /\bRP\.?\s?\d|\bIDR\b/, weight: 3 },
  { code: 'KWD', re: /\bKWD\b|\bK\.?D\.?\s?\d+\.\d{3}\b/, weight: 4 },
  // "BHD" alone is the Malaysian "Sdn Bhd": the code counts only next to a three-decimal figure.
  { code: 'BHD', re: /\bBHD\s?\d+\.\d{3}\b|\d\.\d{3}\s?BHD\b/, weight: 4 },
  { code: 'OMR', re: /\bOMR\b/, weight: 4 },
  { code: 'JOD', re: /\bJOD\b/, weight: 4 },
  { code: 'TND', re: /\bTND\b/, weight: 4 },
  { code: 'INR', re: /₹|\bINR\b|\bRS\.?\s?\d/, weight: 3 },
  { code: 'AUD', re: /\bAUD\b|A\$/, weight: 4 },
  { code: 'AUD', re: /\bABN\b/, weight: 2, country: true },
  { code: 'CAD', re: /\bCAD\b|C\$/, weight: 4 },
  { code: 'CAD', re: /\bHST\b/, weight: 1, country: true },
  { code: 'CHF', re: /\bCHF\b/, weight: 4 },
  { code: 'CHF', re: phone('41'), weight: 1, country: true },
  { code: 'CNY', re: /\bCNY\b|\bRMB\b/, weight: 4 },
];

/** "$" in front of figures: some dollar, or the local currency. Settled by country cues or the user's default. */
const DOLLAR = /\$\s?\d/;
const DOLLAR_WEIGHT = 3;
const DOLLARS = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD']);
/** Money nobody writes with "$": a dollar sign next to their country's cues is some dollar still. */
const NEVER_DOLLARS = new Set(['EUR', 'GBP', 'CHF']);

export function detectCurrency(rows: Row[], defaultCurrency: string): CurrencyPick {
  const scores = new Map<string, number>();
  const countries = new Map<string, number>();
  /** Currencies a cue placed in the country whose date order they stand for. */
  const placed = new Set<string>();
  let dollarRows = 0;
  for (const row of rows) {
    const text = row.text.toUpperCase();
    for (const cue of CUES) {
      if (!cue.re.test(text)) continue;
      scores.set(cue.code, (scores.get(cue.code) ?? 0) + cue.weight);
      if (cue.country) countries.set(cue.code, (countries.get(cue.code) ?? 0) + cue.weight);
      if (cue.country || !USED_ABROAD.has(cue.code)) placed.add(cue.code);
    }
    if (DOLLAR.test(text) && !/(?:US|S|A|C)\$/.test(text)) dollarRows++;
  }
  if (dollarRows > 0) {
    // The dollar the receipt's cues point to; else the currency of the country it names ("$" is used
    // loosely, e.g. on Malaysian tills); else the user's own dollar; else US dollars.
    const byScore = [...scores.entries()].sort((a, b) => b[1] - a[1]);
    const cued =
      byScore.find(([c]) => DOLLARS.has(c))?.[0] ??
      [...countries.entries()].filter(([c]) => !NEVER_DOLLARS.has(c)).sort((a, b) => b[1] - a[1])[0]?.[0];
    const dollar = cued ?? (DOLLARS.has(defaultCurrency) ? defaultCurrency : 'USD');
    scores.set(dollar, (scores.get(dollar) ?? 0) + dollarRows * DOLLAR_WEIGHT);
  }
  const ranked = [...scores.entries()].filter(([c]) => fitsFigures(rows, c)).sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return { code: defaultCurrency, confidence: 0.4, fromReceipt: false, dateOrder: null };
  const [code, score] = ranked[0];
  const second = ranked[1]?.[1] ?? 0;
  const confidence = Math.min(0.95, 0.5 + (score - second) * 0.1);
  // A loose "$" places nothing: dollars are written both ways round (US, Canada; Australia, Singapore).
  return { code, confidence, fromReceipt: true, dateOrder: placed.has(code) ? (ORDER_BY_CURRENCY[code] ?? null) : null };
}

/**
 * Whether the receipt's figures are written the way the currency's minor unit says. A misread sign
 * ("AT ¥ 1" on a ringgit bill) must not turn "24.01" into whole yen: a currency without minor units
 * prints no cents and no ".00" on small figures (only large grouped ones carry a tail: "25.000,00"),
 * and one with three has more three-decimal figures than two-decimal ones.
 */
function fitsFigures(rows: Row[], code: string): boolean {
  const digits = minorDigits(code);
  if (digits === 2) return true;
  const cents = rows.flatMap((r) => findAmountsInText(r.text, 2));
  if (digits === 0) return cents.filter((a) => a.minor % 100 !== 0 || Math.abs(a.minor) < 100_000).length < 2;
  return cents.length <= rows.flatMap((r) => findAmountsInText(r.text, digits)).length;
}

/**
 * Currencies that are also the money of countries writing dates the other way round: US dollars in
 * Ecuador, Panama, Cambodia, Timor-Leste (day first). Only a place on the receipt (a US address or
 * phone number) makes their order the home country's.
 */
const USED_ABROAD = new Set(['USD']);

/** Day/month order customary where a currency is at home; absent where both are common or it is unknown. */
const ORDER_BY_CURRENCY: Record<string, DateOrder> = {
  USD: 'MDY',
  PHP: 'MDY',
  MYR: 'DMY',
  SGD: 'DMY',
  GBP: 'DMY',
  EUR: 'DMY',
  INR: 'DMY',
  AUD: 'DMY',
  NZD: 'DMY',
  HKD: 'DMY',
  IDR: 'DMY',
  THB: 'DMY',
  VND: 'DMY',
  BRL: 'DMY',
  CHF: 'DMY',
};
