// The business name: a line near the top that reads like a name, not like an address, a phone number,
// a registration or tax number, a document title, logo noise, or a stray handwritten/typed note above
// the printed header (all lower case, like a person's name written on the scan).
import type { Row } from './layout';
import { typicalRowHeight } from './layout';

export interface MerchantPick {
  name: string;
  confidence: number;
}

/** Rows looked at: names are printed in the header. */
const HEADER_ROWS = 10;

const BUSINESS_WORDS =
  /\b(SDN\.? ?BHD|BHD|BERHAD|ENTERPRISES?|TRADING|LLC|INC|LTD|LIMITED|CORP|CORPORATION|CO|COMPANY|GMBH|PLC|RESTAURANTS?|RESTORAN|CAFE|COFFEE|BAKERY|STORES?|MART|MARKET|SUPERMARKET|HYPERMARKET|PHARMACY|HARDWARE|BOOKS?|KEDAI|PERNIAGAAN|GRILL|BAR|PIZZA|KITCHEN|HOTEL|DINER|BISTRO|STATION|SHOP|CENTRE|CENTER|OUTLET|HOUSE)\b/;
const ADDRESS =
  /\b(JALAN|JLN|LORONG|TAMAN|STREET|ST|ROAD|RD|AVENUE|AVE|BLVD|BOULEVARD|HWY|HIGHWAY|DRIVE|DR|LANE|LN|SUITE|STE|FLOOR|LOT|NO|BLOCK|BLK|PLAZA|KM|BANDAR|SELANGOR|JOHOR|KUALA|LUMPUR|PO BOX)\b/;
const POSTCODE = /\b\d{5}(-\d{4})?\b/;
const PHONE = /\b(TEL|PHONE|FAX|PH|HP|MOBILE|CALL)\b|\(?\d{2,4}\)?[\s-]?\d{3,4}[\s-]\d{3,4}/;
const IDS = /\b(GST|SST|VAT|REG|ROC|CO\.? ?NO|COMPANY NO|BUSINESS NO|ABN|TIN|ID|NPWP)\b|\(\s*\d{4,}[- ]?[A-Z]\s*\)|\b\d{5,}-[A-Z]\b/;
const TITLES =
  /^(TAX INVOICE|SIMPLIFIED TAX INVOICE|INVOICE|RECEIPT|OFFICIAL RECEIPT|CASH BILL|CASH SALES?|SALES RECEIPT|WELCOME|THANK YOU|CUSTOMER COPY|MERCHANT COPY|DUPLICATE|COPY|ORDER|TABLE|SERVER|CHECK|GUEST CHECK|BILL)\b/;
const WEB = /(WWW\.|\.COM\b|HTTP|@)/;
const DATE_OR_TIME = /\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}/;

/** How much a header row looks like the business name; null when it cannot be one. */
function nameScore(row: Row, position: number, rowH: number): number | null {
  const text = row.text.trim();
  const upper = text.toUpperCase();
  const letters = (text.match(/[A-Za-z]/g) ?? []).length;
  const digits = (text.match(/[0-9]/g) ?? []).length;
  const realWords = text.split(/\s+/).filter((w) => /^[A-Za-z&'.-]{2,}$/.test(w));
  if (letters < 3 || realWords.length === 0) return null;
  if (letters / text.replace(/\s/g, '').length < 0.6) return null;
  if (DATE_OR_TIME.test(text) || WEB.test(upper)) return null;
  if (PHONE.test(upper) || IDS.test(upper)) return null;
  if (TITLES.test(upper)) return null;

  let score = 2 - position * 0.25;
  if (BUSINESS_WORDS.test(upper)) score += 2;
  if ((ADDRESS.test(upper) || POSTCODE.test(upper)) && !BUSINESS_WORDS.test(upper)) score -= 2.5;
  if (digits > 0) score -= 0.5;
  // A stray note on the scan (a name written above the header) is in lower case; printed names are not.
  if (text === text.toLowerCase()) score -= 2;
  if (text === upper) score += 0.5;
  // Logo noise: short fragments and low OCR confidence.
  if (realWords.length === 1 && letters < 4) score -= 1;
  if (row.confidence < 60) score -= 1.5;
  else if (row.confidence < 75) score -= 0.5;
  // Names are often printed larger than the rest.
  if (!row.synthetic && row.box.y1 - row.box.y0 > rowH * 1.3) score += 0.5;
  return score;
}

export function pickMerchant(rows: Row[]): MerchantPick | null {
  const header = rows.slice(0, HEADER_ROWS);
  const rowH = typicalRowHeight(rows);
  let best: { i: number; score: number } | null = null;
  header.forEach((row, i) => {
    const s = nameScore(row, i, rowH);
    if (s !== null && (!best || s > best.score)) best = { i, score: s };
  });
  if (!best) return null;
  const { i, score } = best as { i: number; score: number };
  let name = clean(header[i].text);
  // A name broken over two lines ("HOME MASTER HARDWARE &" / "ELECTRICAL").
  const next = header[i + 1];
  if (next && /(&|\bAND|-)$/i.test(name)) name = `${name} ${clean(next.text)}`;
  const confidence = Math.max(0.2, Math.min(0.9, 0.35 + score * 0.12));
  return { name, confidence };
}

/** Strips edge punctuation and OCR specks from a name line. */
function clean(text: string): string {
  return text
    .replace(/^[^A-Za-z0-9(]+/, '')
    .replace(/[^A-Za-z0-9.)&]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
