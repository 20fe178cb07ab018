// What the label on a receipt row says it is: total, subtotal, tax, tender, change ... Labels are read
// with OCR slack ("T0TAL", "SUBTOTAI", "R0UNDING") by normalising confusable characters and allowing one
// edit in longer keywords.
import { similarity } from './similarity';

export type LabelKind =
  'grandTotal' | 'total' | 'subtotal' | 'tax' | 'service' | 'tip' | 'rounding' | 'tender' | 'change' | 'discount' | 'count' | 'none';

/** Upper-case words of a label with digits that stand for letters turned back into letters. */
export function labelWords(text: string): string[] {
  return (
    text
      // Accents off: "Rückgeld" is matched as RUCKGELD.
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      // Dotted abbreviations are one word: "V.A.T." is VAT.
      .replace(/\b(?:[A-Za-z]\.)+[A-Za-z]\b/g, (m) => m.replace(/\./g, ''))
      .toUpperCase()
      .split(/[^A-Z0-9$%]+/)
      .filter((w) => /[A-Z]/.test(w))
      .map((w) =>
        w
          .replace(/0/g, 'O')
          .replace(/1/g, 'I')
          .replace(/5/g, 'S')
          .replace(/8/g, 'B')
          .replace(/[^A-Z]/g, ''),
      )
      .filter((w) => w.length > 0)
  );
}

const FUZZY = [
  'TOTAL',
  'SUBTOTAL',
  'AMOUNT',
  'BALANCE',
  'CHANGE',
  'CHARGE',
  'ROUNDING',
  'ROUNDED',
  'TENDERED',
  'PAYABLE',
  'GRATUITY',
  'SERVICE',
  // Whether a total includes the tax decides if it is the amount paid: "Inclucive" must still read so.
  'INCLUSIVE',
  'EXCLUSIVE',
  'INCLUDING',
  'EXCLUDING',
];

/** Short forms and truncations printed or read for TOTAL. */
// OCR often drops the first letter of a line: "OTAL".
const TOTAL_ALIASES = new Set(['TOT', 'TOTL', 'TOTA', 'TOTAI', 'TOTA1', 'TOTRL', 'IOTAL', 'TUTAL', 'OTAL', 'UTAL']);

/** The keyword a word was printed as, or the word itself. */
function canonical(word: string): string {
  const read = snap(word);
  if (read !== word || !/[IU]/.test(word)) return read;
  // Some thermal fonts read T as I and O as U all through ("IUIAL", "SUBIUIAL"): a word that becomes
  // a keyword read back that way is that keyword.
  const back = snap(word.replace(/I/g, 'T').replace(/U/g, 'O'));
  return back === 'TOTAL' || FUZZY.includes(back) ? back : word;
}

/** Snaps a word onto a keyword it is one OCR slip away from. */
function snap(word: string): string {
  if (TOTAL_ALIASES.has(word)) return 'TOTAL';
  if (word.length < 5 || FUZZY.includes(word)) return word;
  // One slip in a keyword; two in a long one ("TANDERAD" for TENDERED).
  for (const k of FUZZY) {
    // A keyword with letters added is another word ("SERVICES" is an item, not a service charge).
    // Lengths apart by more than one are never a slip away: checked first, as edit distance is not cheap.
    if (word.startsWith(k) || Math.abs(word.length - k.length) > 1) continue;
    const slips = Math.round((1 - similarity(word, k)) * Math.max(word.length, k.length));
    if (slips <= 1 || (k.length >= 8 && slips <= 2)) return k;
  }
  return word;
}

/** Row texts whose reading is remembered: bounded, so a batch of thousands of receipts cannot grow it without end. */
const REMEMBERED_MAX = 4096;

/**
 * `read`, remembering its answers: rows are read for their labels many times per receipt (totals, items,
 * fallbacks), and fuzzy matching is not cheap.
 */
function remembered<T>(read: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    let answer = answers.get(text);
    if (answer === undefined) {
      if (answers.size >= REMEMBERED_MAX) answers.clear();
      answer = read(text);
      answers.set(text, answer);
    }
    return answer;
  };
}

/** The label words of a row, canonicalised, joined by single spaces (for phrase tests). */
export const labelText = remembered(
  // "SUB TOTAL" and "SUB-TOTAL" are one word on most receipts.
  (text) =>
    ` ${labelWords(text)
      .map(canonical)
      .join(' ')
      .replace(/\bSUB TOTAL\b/g, 'SUBTOTAL')} `,
);

const has = (t: string, ...phrases: string[]): boolean => phrases.some((p) => t.includes(` ${p} `));

/** Classifies a row by its label. */
export const classifyLabel = remembered((text): LabelKind => classifyLabelText(labelText(text)));

/** Words that name an item table's columns, never a money line ("QTY ITEM Amt", "Description Price Amount"). */
const COLUMN_WORDS = ['QTY', 'QUANTITY', 'ITEM', 'ITEMS', 'DESCRIPTION', 'DESC', 'PRICE', 'EACH', 'PARTICULARS', 'UNIT'];

/**
 * A row naming an item table's columns ("QTY ITEM Amt", not the count line "Total Items 4"): where it
 * reads as a money label, its AMOUNT or TOTAL names the column of amounts, not a total.
 */
export function isTableHeader(text: string): boolean {
  return has(labelText(text), ...COLUMN_WORDS) && classifyLabel(text) !== 'count';
}

/** The order of tests matters: the most specific phrase wins. */
function classifyLabelText(t: string): LabelKind {
  if (has(t, 'TOTAL QTY', 'TOTAL QUANTITY', 'TOTAL ITEMS', 'TOTAL ITEM', 'NO OF ITEMS', 'NUMBER OF ITEMS', 'ITEM COUNT', 'TOTAL PCS'))
    return 'count';
  if (has(t, 'SAVINGS', 'SAVED', 'DISCOUNT', 'DISC', 'COUPON', 'COUPONS')) return 'discount';
  if (has(t, 'ROUNDUP AMOUNT', 'ROUNDED AMOUNT', 'ROUND OFF AMOUNT', 'ROUNDED TOTAL', 'TOTAL ROUNDED', 'TOTAL AFTER ROUNDING'))
    return 'grandTotal';
  if (
    has(
      t,
      'ROUNDING',
      'ROUND OFF',
      'ROUNDOFF',
      'ROUNDUP',
      'ROUNDING ADJ',
      'ROUND ADJ',
      'ROUNDING ADJUSTMENT',
      'ADJ ROUNDING',
      'PENGGENAPAN',
    )
  )
    return 'rounding';
  // "Balance Return" (Indian receipts) is the money handed back, not a balance to pay.
  if (has(t, 'CHANGE', 'CHANGE DUE', 'KEMBALI', 'BAKI', 'CHG', 'RUCKGELD', 'MONNAIE', 'BALANCE RETURN', 'BALANCE RETURNED'))
    return 'change';
  // "Total Excl", "Total Exc.", "Tota1 ExcN": whatever OCR made of the rest, EXC after TOTAL is tax excluded.
  if (/ TOTAL EXC[A-Z]* /.test(t)) return 'subtotal';
  if (
    has(
      t,
      'SUBTOTAL',
      'SUBTTL',
      'SUBTOT',
      'TAXABLE AMT',
      'TAXABLE AMOUNT',
      'TAXABLE',
      'SUB TTL',
      'TOTAL BEFORE',
      'EXCLUDING GST',
      'EXCL GST',
      'TOTAL SALES EXCLUDING',
      'TOTAL SALES EXCLUSIVE',
      'EXCLUSIVE OF',
      'NET SALES',
      'TOTAL WITHOUT',
    )
  ) {
    return 'subtotal';
  }
  if (
    has(
      t,
      'TOTAL GST',
      'TOTAL TAX',
      'TOTAL VAT',
      'TOTAL SST',
      'TAX',
      'GST',
      'VAT',
      'SST',
      'HST',
      'PST',
      'SALES TAX',
      'TAX AMOUNT',
      'CUKAI',
      'IVA',
      'TVA',
      'MWST',
      'BTW',
    )
  ) {
    // "TOTAL INCLUSIVE GST" / "TOTAL INCL TAX" is the amount paid; "Incl. VAT (20%)" alone is the tax in it.
    if (has(t, 'INCLUSIVE', 'INCL', 'INCLUDING', 'INC', 'INCLUSIVE OF', 'AFTER') && has(t, 'TOTAL', 'AMOUNT', 'AMT', 'SALES')) {
      return 'grandTotal';
    }
    return 'tax';
  }
  if (has(t, 'SERVICE CHARGE', 'SERVICE CHG', 'SVC CHG', 'SVC', 'SERVICE', 'SERV CHG', 'SERV CHARGE', 'SERVIZIO', 'COPERTO'))
    return 'service';
  if (has(t, 'TIP', 'TIPS', 'GRATUITY')) return 'tip';
  // "PAID AMOUNT" / "AMOUNT TENDERED" / "ACCEPTED TOTAL" (a pay machine) name the tender, though they
  // contain "AMOUNT" or "TOTAL".
  if (has(t, 'PAID AMOUNT', 'AMOUNT PAID', 'AMOUNT TENDERED', 'TENDERED AMOUNT', 'AMOUNT RECEIVED', 'PAID', 'ACCEPTED')) return 'tender';
  if (
    has(
      t,
      'GRAND TOTAL',
      'AMOUNT DUE',
      'BALANCE DUE',
      'TOTAL DUE',
      'TOTAL PAYABLE',
      'AMOUNT PAYABLE',
      'NETT TOTAL',
      'NET TOTAL',
      'ROUNDED TOTAL',
      'TOTAL ROUNDED',
      'TOTAL AFTER ROUNDING',
      'PLEASE PAY',
      'AMOUNT TO PAY',
      'TOTAL TO PAY',
      'NET AMOUNT',
      'NETT AMOUNT',
      'JUMLAH',
    )
  ) {
    return 'grandTotal';
  }
  // A total, in English and in the languages of European receipts (German, French, Spanish, Dutch, Italian, Nordic).
  if (
    has(
      t,
      'TOTAL',
      'TOTALS',
      'TTL',
      'AMOUNT',
      'AMT',
      'BALANCE',
      'SUM',
      'TOTALE',
      'SUMME',
      'MONTANT',
      'IMPORTE',
      'TOTAAL',
      'SALDO',
      'GESAMT',
      'TOTALT',
    )
  )
    return 'total';
  // "... DUE" with the first word misread ("TAOATAI DUE") still names what is owed.
  if (has(t, 'DUE')) return 'total';
  if (
    has(
      t,
      'CASH',
      'TENDERED',
      'TENDER',
      'PAID',
      'VISA',
      'MASTERCARD',
      'MASTER',
      'AMEX',
      'DEBIT',
      'CREDIT',
      'CARD',
      'PAYMENT',
      'EFTPOS',
      'DISCOVER',
      'TUNAI',
      // Cash in the languages of European receipts: German, French, Spanish, Italian, Dutch, Nordic. (Their
      // card words are not: a card's line prints its number, "TARJETA NRO. ***014".)
      'BARGELD',
      'ESPECES',
      'EFECTIVO',
      'CONTANTI',
      'CONTANT',
      'KONTANT',
    )
  ) {
    return 'tender';
  }
  // German "Bar" (cash) opens its line ("Bar 32,60"); elsewhere BAR is an item ("GRANOLA BAR 2.99").
  if (t.startsWith(' BAR ')) return 'tender';
  return 'none';
}
