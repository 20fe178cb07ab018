// The business name: a line near the top that reads like a name, not like an address, a phone number,
// a registration or tax number, a document title, logo noise, or a stray handwritten/typed note above
// the printed header (all lower case, like a person's name written on the scan).
import { findAmounts } from './amounts';
import { OCR_DOUBTFUL_BELOW, OCR_SURE_FROM } from './confidence';
import type { Row } from './layout';
import { typicalRowHeight } from './layout';
import { slips } from './similarity';

export interface MerchantPick {
  name: string;
  confidence: number;
}

/** Rows looked at: names are printed in the header. */
export const HEADER_ROWS = 10;

/** Legal-form words: the line carrying one is the registered business name. */
const LEGAL =
  /\b(S[DO0UI1][NMI]\.? ?[B8]HD|S[DO0]N\.? ?DHD|[S5]\/B|BHD|BERHAD|ENTERPRISES?|TRADING|LLC|INC|LTD|LIMITED|CORP|CORPORATION|COMPANY|CO\.? ?\(M\)|GMBH|PLC|PTE|PTY)\b/;
const LEGAL_EVERYWHERE = new RegExp(LEGAL.source, 'g');
/** Words of a trade: a shop name often carries one. */
const TRADE =
  /\b(RESTAURANTS?|RESTORAN|CAFE|COFFEE|BAKERY|BAKERIES|STORES?|MART|MARKET|SUPERMARKET|HYPERMARKET|PASARAYA|PHARMACY|FARMASI|HARDWARE|BOOKS?|BOOKSTORES?|STATIONERY|KEDAI|PERNIAGAAN|GRILL|BAR|PIZZA|KITCHEN|HOTEL|DINER|BISTRO|SHOP|OUTLET|HOUSE|BURGERS?|TACO|SUSHI|DELI|TAVERN|PUB|BREWERY|SEAFOOD|STEAKHOUSE|TRATTORIA|RISTORANTE|CANTINA|BUFFET|PETROL|MUSEUM|GALLERY)\b/;
const ADDRESS =
  /\b(JALAN|JLN|LORONG|TAMAN|STREET|ST|ROAD|RD|AVENUE|AVE|BLVD|BOULEVARD|HWY|HIGHWAY|TURNPIKE|PIKE|PKWY|PARKWAY|DRIVE|DR|LANE|LN|COURT|CT|PLACE|PL|SQUARE|SQ|CIRCLE|SUITE|STE|FLOOR|LOT|NO|BLOCK|BLK|PLAZA|KM|BANDAR|SELANGOR|JOHOR|KUALA|LUMPUR|PO BOX)\b|^\d+[-\d/]*[A-Z]?\s+[A-Z]/;
// US ZIP and Malaysian postcodes; Canadian "T5P 4A9"; UK "SW1A 1AA".
const POSTCODE = /\b\d{5}(-\d{4})?\b|\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b/;
/** "Floral Park, NY", "Maywood, CA 90270". */
const CITY_STATE = /[A-Z],\s*[A-Z]{2}\b\.?(\s+\d{5}|\s+#\d+|\s*$)/;
/** A line of a state and ZIP alone ("CA 94121"): the line above it is the address's city. */
const STATE_ZIP = /^[A-Z]{2}\.?\s+\d{5}(-\d{4})?$/;
// "HP" is a hand-phone label only when a number follows ("HP Pho Ga" is a name).
const PHONE = /\b(TEL|PHONE|FAX|MOBILE|CALL)\b|\b(PH|HP|H\/P)\b\.?\s*[:#]?\s*[\d(+]|\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]\d{3,4}/;
const IDS = /\b(GST|SST|VAT|REG|ROC|CO\.? ?NO|COMPANY NO|BUSINESS NO|ABN|TIN|ID|NPWP)\b|\(\s*\d{4,}[- ]?[A-Z]\s*\)|\b\d{5,}-[A-Z]\b/;
/** Document titles (in the languages of European receipts too) and header chatter, wherever they sit on the line. */
const TITLES =
  /\b(INVOICE|RECEIPT|FACTURA|FATTURA|FAKTURA|RECHNUNG|QUITTUNG|KASSENBON|KVITTERING|RECIBO|RICEVUTA|SCONTRINO|CASH BILL|CASH SALES?|WELCOME|THANK YOU|CUSTOMER COPY|MERCHANT COPY|DUPLICATE|REPRINT|GUEST CHECK|OPENING HOURS|SHOPPING HOURS|BUSINESS HOURS|OPEN DAILY|OWNED BY|OWN BY|GUEST NUMBER|ORDER NUMBER|YOUR|FOR SHOPPING|SHOPPING WITH|FOR VISITING|FOR DINING|COME AGAIN|PAYMENT DATE|TRANSACTION DATE)\b|^(CASH|CREDIT|COPY|ORDER|TABLE|TBL|SERVER|SVR|CHECK|CHK|BILL|TEL|DATE|TIME|GUESTS?|STORE|CASHIER|TERMINAL|REGISTER|TRANS)\b/;
/** Words of item-table headers and money lines ("QTY Each Total", "Hardware & other charges (Net Amount)"). */
const TABLE_WORDS = /\b(QTY|QUANTITY|DESCRIPTION|ITEMS?|PRICE|AMOUNT|AMT|TOTAL|EACH|RATE|PARTICULARS|UNIT|CHARGES?|DISC|TAX)\b/g;
/** A web or social-media address: "www.", ".com", "@tayhooakland", "#tayhooakland" (a tag, not "#4717"). */
const WEB = /\bWWW\b|\.\s?(COM|NET|ORG|CO|MY|BIZ)\b|HTTP|@|#[A-Z]/;
const DATE_OR_TIME = /\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}/;
/** A time or date printed at the end of the name's line ("IN-N-OUT BURGER SANTA CLARA 12:48 PM") says when, not who. */
const WHEN_AFTER_NAME = new RegExp(`(?<=[A-Za-z].*)\\s(?:${DATE_OR_TIME.source})(?::\\d{2})?(?:\\s?[AP]M)?$`, 'i');

/** Where a header row sits: after the shop's address, or over a line of its state and ZIP alone. */
interface Around {
  afterAddress?: boolean;
  overStateZip?: boolean;
}

/** How much a header row looks like the business name; null when it cannot be one. */
function nameScore(row: Row, position: number, rowH: number, { afterAddress = false, overStateZip = false }: Around = {}): number | null {
  // Judge the name without a registration number printed after it ("... SDN BHD 802723-U").
  const text = clean(row.text);
  const upper = text.toUpperCase();
  const rawUpper = row.text.toUpperCase();
  const letters = (text.match(/[A-Za-z]/g) ?? []).length;
  // A store number ("#4717") is part of a branch name, not a sign of an address or a code.
  const digits = (text.replace(/#\d+$/, '').match(/[0-9]/g) ?? []).length;
  const realWords = text.split(/\s+/).filter((w) => /^[A-Za-z&'.-]{2,}[,;:]?$/.test(w));
  // A name has a word of three letters or more; "i Bt Ha", "wa NS" are specks of a logo or a smudge.
  if (letters < 3 || !realWords.some((w) => (w.match(/[A-Za-z]/g) ?? []).length >= 3)) return null;
  if (letters / text.replace(/\s/g, '').length < 0.6) return null;
  // An address is judged on the line as read: cleaning takes a leading "@" off.
  if (DATE_OR_TIME.test(text) || WEB.test(rawUpper)) return null;
  if (PHONE.test(rawUpper) || IDS.test(upper)) return null;
  if (TITLES.test(upper)) return null;
  // "ExtraCare Card #: *xxxx", "Member: 123": a field and its value, not a name.
  if (/[A-Za-z]{3,}\s*#?\s*:\s*\S/.test(text)) return null;
  if ((upper.match(TABLE_WORDS) ?? []).length >= 2 || findAmounts(row).length > 0) return null;

  const legal = LEGAL.test(upper);
  let score = 2 - position * 0.25;
  // A legal name under the shop's address is the owner or the customer, not the header.
  if (legal) score += afterAddress ? 0.5 : 2.5;
  else if (TRADE.test(upper)) score += 1;
  // "SAN FRANCISCO" over "CA 94121" is the city, as in "San Francisco, CA 94121".
  if ((isAddress(row) || overStateZip) && !legal && !TRADE.test(upper)) {
    // A street word on a line with no number ("EAT STREET") may be a name; a street address has a number.
    const numbered = digits > 0 || POSTCODE.test(upper) || CITY_STATE.test(upper) || overStateZip;
    score -= numbered ? 2.5 : 1;
  }
  if (realWords.length >= 2) score += 0.3;
  if (digits > 0) score -= 0.5;
  // A stray note on the scan (a name written above the header) is in lower case; printed names are not.
  if (text === text.toLowerCase()) score -= 3;
  if (text === upper) score += 0.5;
  // Logo noise: short fragments and low OCR confidence.
  if (realWords.length === 1 && letters < 4) score -= 1;
  score -= 2 * specksShare(text);
  if (row.confidence < OCR_DOUBTFUL_BELOW) score -= 1.5;
  else if (row.confidence < OCR_SURE_FROM) score -= 0.5;
  // Names are often printed larger than the rest.
  if (!row.synthetic && row.box.y1 - row.box.y0 > rowH * 1.3) score += 0.5;
  return score;
}

/** Articles and titles that open names ("La Cabana", "Le Pain", "Dr Bob's"): words, not specks. */
const SHORT_WORDS = /^(LA|LE|EL|DE|DI|DA|DU|MR|DR|ST)$/i;

/** Share of a line's pieces that are specks: one or two letters, or signs that are neither letter nor digit ("SBP HS Ui fr «"). */
function specksShare(text: string): number {
  const pieces = text.split(/\s+/).filter((p) => p !== '&' && p !== '-' && !SHORT_WORDS.test(p));
  const specks = pieces.filter((p) => /^[A-Za-z]{1,2}[.,:;]?$/.test(p) || !/[A-Za-z0-9]/.test(p));
  return pieces.length ? specks.length / pieces.length : 0;
}

const height = (row: Row): number => row.box.y1 - row.box.y0;

function isAddress(row: Row): boolean {
  const upper = row.text.toUpperCase();
  return ADDRESS.test(upper) || POSTCODE.test(upper) || CITY_STATE.test(upper);
}

export function pickMerchant(rows: Row[]): MerchantPick | null {
  const header = rows.slice(0, HEADER_ROWS);
  const rowH = typicalRowHeight(rows);
  const firstAddress = header.findIndex((r) => isAddress(r) && !LEGAL.test(r.text.toUpperCase()));
  let best: { i: number; score: number } | null = null;
  header.forEach((row, i) => {
    const s = nameScore(row, i, rowH, {
      afterAddress: firstAddress !== -1 && i > firstAddress,
      overStateZip: STATE_ZIP.test(header[i + 1]?.text.trim().toUpperCase() ?? ''),
    });
    if (s !== null && (!best || s > best.score)) best = { i, score: s };
  });
  if (!best) return null;
  const { i, score } = best as { i: number; score: number };
  let name = clean(header[i].text);
  /** The row the name's first line is on. */
  let nameRow = i;
  const next = header[i + 1];

  // A name broken over two lines: "HOME MASTER HARDWARE &" / "ELECTRICAL", "AIK HUAT (SETIA" / "ALAM) SDN BHD",
  // "Friendly Red's" / "of Windham".
  const nextText = next ? clean(next.text).replace(/^(?:[^A-Za-z\s]{1,3}\s+)+/, '') : '';
  // The second half is printed in the name's type; a smaller line under "... &" is a slogan
  // ("Tay Ho Oakland &" over "Elegant Vietnamese Cuisine").
  const sameType = (row: Row): boolean => header[i].synthetic || height(row) >= 0.75 * height(header[i]);
  // One word of a trade under it, in the name's type or smaller, is its second half too: "CAVALIERE" / "Restaurant".
  const tradeWordUnder = /^[A-Za-z]+$/.test(nextText) && TRADE.test(nextText.toUpperCase()) && !TRADE.test(name.toUpperCase());
  if (next && ((/(&|\bAND|-)$/i.test(name) && sameType(next)) || opens(name) || /^(of|at|by|on|the)\b/.test(nextText) || tradeWordUnder)) {
    name = `${name} ${nextText}`;
  } else name = name.replace(/\s+(&|AND|-)$/i, '');
  // A line that only names the trade belongs to the name next to it: "MARIANACCI'S" / "RESTAURANT",
  // "RISTORANTE" / "BELLAGIO".
  const above = header[i - 1];
  const aboveIsName = above !== undefined && nameScore(above, i - 1, rowH) !== null;
  if (/^\S+$/.test(name) && TRADE.test(name.toUpperCase())) {
    if (aboveIsName) name = `${clean(above.text)} ${name}`;
    else if (next && !isAddress(next) && nameScore(next, i + 1, rowH) !== null) name = `${name} ${nextText}`;
  } else if (aboveIsName && onlyTradeWords(name)) {
    // Several trade words under a name ("THREE STOOGES" / "BISTRO & CAFE") describe it: the name is above.
    name = clean(above.text);
    nameRow = i - 1;
  }
  // A legal form under a short name: "PASARAYA BORONG PINTAR" / "SDN BHD", "WESTERN EASTERN" /
  // "STATIONERY SDN BHD"; up to two lines: "AIK HUAT HARDWARE" / "ENTERPRISE (SETIA" / "ALAM) SDN BHD".
  if (LEGAL.test(name.toUpperCase())) {
    for (let top = i; top > Math.max(0, i - 2); top--) {
      const prev = header[top - 1];
      // Logo noise above a name is read with low confidence ("LWQESONS" over "Watson's ... Sdn Bhd").
      if (prev.confidence < OCR_DOUBTFUL_BELOW || nameScore(prev, top - 1, rowH) === null || !continuesAbove(prev, clean(header[top].text)))
        break;
      // A logo over the name repeats its first word ("PREMIO" / "PREMIO STATIONERY SDN BHD").
      if (letters(name).startsWith(letters(prev.text))) break;
      name = `${clean(prev.text)} ${name}`;
    }
  }
  name = fullerForm(header, nameRow, name, rowH);
  const confidence = Math.max(0.2, Math.min(0.9, 0.35 + score * 0.12));
  return { name, confidence };
}

const letters = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * A name printed twice in the header, the second time with the words a logo hid ("SEAFOOD KITCHEN",
 * then "Pappadeaux Seafood Kitchen"): the fuller form. Words after the name are a branch or a place
 * ("PIZZA HOUSE" / "PIZZA HOUSE TAMAN JAYA"), not part of it.
 */
function fullerForm(header: Row[], chosen: number, name: string, rowH: number): string {
  const short = letters(name);
  if (short.length < 4) return name;
  // A logo name over two lines ("PAPPADEAUX" / "SEAFOOD KITCHEN") written out on one further down.
  const twoLines = chosen + 1 < header.length ? short + letters(header[chosen + 1]!.text) : '';
  for (const [j, row] of header.entries()) {
    const full = clean(row.text);
    const written = letters(full);
    if (j === chosen || written.length <= short.length || nameScore(row, j, rowH) === null) continue;
    const ends = written.length - short.length;
    if (
      nearlySame(written.slice(ends), short) ||
      (j > chosen + 1 && twoLines.length > short.length && nearlySame(written.slice(0, twoLines.length), twoLines))
    )
      return full;
  }
  return name;
}

/**
 * The same letters but for one slip of OCR in either reading ("PAPPADEAUY" for PAPPADEAUX). Only in six
 * letters or more: in a shorter name one letter makes another word ("CAFE", "CARE").
 */
function nearlySame(a: string, b: string): boolean {
  return slips(a, b) <= (a.length >= 6 ? 1 : 0);
}

/** Words that describe a place's food or trade rather than name it: "Japanese Cuisine", "BISTRO & CAFE". */
function onlyTradeWords(text: string): boolean {
  const words = text.toUpperCase().split(/\s+/);
  // "<Cuisine> CUISINE" / "<Cuisine> FOOD" names the kind of food, whatever the cuisine.
  if (words.length === 2 && /^(CUISINE|FOOD)$/.test(words[1]!)) return true;
  return words.every((w) => w === '&' || w === 'AND' || TRADE.test(w));
}

/** More "(" than ")": the name goes on on the next line. */
function opens(text: string): boolean {
  return (text.match(/\(/g) ?? []).length > (text.match(/\)/g) ?? []).length;
}

/** Whether the line above is the first half of this legal name. */
function continuesAbove(prev: Row, name: string): boolean {
  const above = clean(prev.text);
  const words = above.split(/\s+/);
  const onlyLegal =
    name
      .toUpperCase()
      .replace(LEGAL, '')
      .replace(/[^A-Z]/g, '').length === 0;
  // "(SEMENYIH) SDN BHD", "ALAM) SDN BHD", "ENTERPRISE (SETIA", "CO. (M) SDN BHD": the line cannot start a name.
  const closes =
    name.startsWith('(') ||
    (name.match(/\)/g) ?? []).length > (name.match(/\(/g) ?? []).length ||
    LEGAL.exec(name.toUpperCase())?.index === 0 ||
    /^(?:&\s*)?(?:CO\b|COMPANY\b)/i.test(name);
  const upperName = above === above.toUpperCase() && /^[A-Z&'. -]+$/.test(above);
  // A short line in the name's own mixed case ("Ampang Point" over "First City Parking Sdn Bhd") is its first part.
  const sameMixedCase =
    above !== above.toUpperCase() && name !== name.toUpperCase() && words.length <= 3 && !ADDRESS.test(above.toUpperCase());
  if (sameMixedCase && !LEGAL.test(above) && !TRADE.test(above)) return true;
  if (!upperName || LEGAL.test(above) || TRADE.test(above) || ADDRESS.test(above)) return onlyLegal || closes;
  // A legal line with a name of its own ("FOUR QUARTERS SDN BHD" under the shop's "A PIE THING") is whole;
  // one of trade words only ("STATIONERY SDN BHD") needs the line above.
  const ownWords = name
    .toUpperCase()
    .replace(LEGAL_EVERYWHERE, '')
    .split(/[^A-Z]+/)
    // Trade words in the plural too ("SUPERMARKETS LIMITED").
    .filter((w) => w.length > 1 && !TRADE.test(w) && !TRADE.test(w.replace(/S$/, '')));
  return onlyLegal || closes || (words.length <= 3 && ownWords.length === 0);
}

/**
 * A name printed in capitals with lower-case pieces at its ends: the pieces are specks read as letters
 * ("Ee : PAGOH REST AREA", "CHURCH'S ofp un").
 */
function stripCaseNoise(text: string): string {
  const words = text.split(' ');
  // Short pieces only: "Mr." is an abbreviation, "&" joins the name.
  const noise = (w: string): boolean => w !== '&' && (/^[A-Za-z]{0,2}[a-z][A-Za-z]{0,1}$/.test(w) || !/[A-Za-z0-9&]/.test(w));
  let [from, to] = [0, words.length];
  while (from < to && noise(words[from])) from++;
  while (to > from && noise(words[to - 1])) to--;
  const core = words.slice(from, to);
  const capitals = core.filter((w) => /^[A-Z&'.-]{3,}$/.test(w)).length >= 2 && core.every((w) => !/[a-z]/.test(w));
  return capitals && core.length < words.length ? core.join(' ') : text;
}

/** Strips edge punctuation, OCR specks and trailing registration numbers from a name line. */
function clean(text: string): string {
  // A registration number ends the name: what follows it ("273500-U (KSB)") is not part of it.
  let out = text
    .replace(/\s+/g, ' ')
    .replace(/(?<=[A-Za-z].*)\s\(?\d{5,}-[A-Z]\b.*$/, '')
    .replace(WHEN_AFTER_NAME, '')
    .trim();
  // Peel trailing specks and registration numbers ("802723-U", "(139386 X)", "(Co. No: 20154-T)") until none is left.
  for (let before = ''; before !== out;) {
    before = out;
    out = out
      .replace(/[^A-Za-z0-9.)&]+$/, '')
      // A lone bracket, speck or lower-case letter at the end ("... SDN. BHD. ) i").
      .replace(/\s+(?:[^\sA-Za-z0-9&]+|[a-z])$/, '')
      .replace(/\s*\([^()]*\d[^()]*\)?$/, '')
      // Not a store number: "CHURCH'S CHICKEN #4717" is how the branch names itself.
      .replace(/\s*\(?(?<!#)\b[0-9A-Z]*\d[0-9A-Z]*-?[A-Z]?\)?$/, '')
      // A registration number read with stand-in letters ("BOZ7Zo-U" for 802720-U).
      .replace(/\s+[0-9A-Za-z]*\d[0-9A-Za-z]*-[A-Z]$/, '');
  }
  out = stripCaseNoise(out);
  return (
    out
      // The legal form read with one letter wrong: "SDI BHD", "Sin Bhd", "SUN BHD", "99 SPEED MART 5/B".
      .replace(/\bS[O0DUI1][NMI]\.? ?[B8]HD\b|\bS[O0DU]N\.? ?DHD\b/gi, (m) => (m === m.toUpperCase() ? 'SDN BHD' : 'Sdn Bhd'))
      .replace(/\b5\/B$/, 'S/B')
      .replace(/^[^A-Za-z0-9(]+/, '')
      .trim()
  );
}
