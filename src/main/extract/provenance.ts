// Where each field was read: the boxes of the words a picked value is printed in, found after the
// pickers chose the values (this never changes a value), plus every amount, date and line recognised,
// so a person can point at the right one. Boxes are in each page's own coordinates (a document of
// several pages is taken apart again): the page as OCR read it, turned as the thumbnail shows it.
import type { Box, OcrResult } from '../ocr/engine';
import type { DateOrder, FieldName, PageBox, Provenance, ReadTarget } from '../../shared/model';
import { findDatesInText, type DatePick } from './dates';
import type { PlacedItem } from './items';
import { unionBox, wordsInRange, type Row, type Word } from './layout';
import type { LabelKind } from './labels';
import { HEADER_ROWS } from './merchant';
import { labeledAmounts, type LabeledAmount, type Reading, type Totals } from './totals';

export interface Picked {
  merchant: string | null;
  date: DatePick | null;
  totals: Totals;
  items: PlacedItem[];
}

/** Share of a header row's words that must be words of the name for the row to be part of it. */
const NAME_SHARE = 0.5;

/** Takes a box of the reading back to its page: the page it starts on, in that page's own units. */
type ToPage = (b: Box) => PageBox;

// Integer units: sub-pixel precision is noise at any zoom a person uses.
const rounded = (page: number, b: Box): PageBox => ({
  page,
  x0: Math.round(b.x0),
  y0: Math.round(b.y0),
  x1: Math.round(b.x1),
  y1: Math.round(b.y1),
});

function pageMapper(ocr: OcrResult): ToPage {
  const stacked = ocr.stacked;
  if (!stacked || stacked.length === 0) return (b) => rounded(0, b);
  return (b) => {
    const page = Math.max(
      0,
      stacked.findLastIndex((p) => p.top <= b.y0),
    );
    const { top, scale } = stacked[page]!;
    return rounded(page, { x0: b.x0 / scale, y0: (b.y0 - top) / scale, x1: b.x1 / scale, y1: (b.y1 - top) / scale });
  };
}
const boxOf = (words: Word[], toPage: ToPage): PageBox => toPage(unionBox(words.map((w) => w.box)));
const letters = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** The header rows the name is printed on, each boxed around the name only (not a registration number after it). */
function merchantBoxes(rows: Row[], name: string, toPage: ToPage): PageBox[] {
  const nameWords = new Set(
    name
      .split(/\s+/)
      .map(letters)
      .filter((w) => w.length > 0),
  );
  const out: PageBox[] = [];
  for (const row of rows.slice(0, HEADER_ROWS)) {
    const words = row.words.filter((w) => letters(w.text).length > 0);
    const matched = words.filter((w) => nameWords.has(letters(w.text)));
    const matchedLetters = matched.reduce((n, w) => n + letters(w.text).length, 0);
    if (matched.length === 0 || matchedLetters < 3 || matched.length < words.length * NAME_SHARE) continue;
    // From the name's first word to its last: an "&" between them is part of it.
    out.push(boxOf(row.words.slice(row.words.indexOf(matched[0]!), row.words.indexOf(matched.at(-1)!) + 1), toPage));
  }
  return out;
}

/**
 * Where a money figure is printed: on the rows labelled as one of `kinds` with that figure, else on
 * the last row that prints it. A figure only computed (subtotal + tax) is printed nowhere: no box.
 */
function moneyBoxes(rows: Row[], m: Reading, toPage: ToPage, minor: number, kinds: LabelKind[], labels: LabeledAmount[]): PageBox[] {
  const amountBox = (rowIndex: number): PageBox | null => {
    const row = rows[rowIndex];
    const found = row ? m.amounts(row).filter((a) => a.minor === minor) : [];
    const amount = found.at(-1);
    return amount && amount.words.length > 0 ? boxOf(amount.words, toPage) : null;
  };
  const labelled = labels
    .filter((l) => kinds.includes(l.kind) && l.minor === minor)
    .map((l) => amountBox(l.amountRowIndex))
    .filter((b): b is PageBox => b !== null);
  // The total is the last figure so labelled (after discounts and rounding); the others the first.
  if (labelled.length > 0) return [kinds.includes('total') ? labelled.at(-1)! : labelled[0]!];
  for (let i = rows.length - 1; i >= 0; i--) {
    const box = amountBox(i);
    if (box) return [box];
  }
  return [];
}

/** Several tax lines that add up to the tax picked: each of them. */
function taxBoxes(rows: Row[], m: Reading, toPage: ToPage, minor: number, labels: LabeledAmount[]): PageBox[] {
  const single = moneyBoxes(rows, m, toPage, minor, ['tax'], labels);
  if (single.length > 0) return single;
  const taxes = labels.filter((l) => l.kind === 'tax' && l.minor > 0);
  const sum = [...new Set(taxes.map((l) => l.minor))].reduce((s, v) => s + v, 0);
  return sum === minor ? taxes.flatMap((l) => moneyBoxes(rows, m, toPage, l.minor, ['tax'], labels)) : [];
}

/** Every amount, date and line recognised on rows with real geometry. */
function targetsOf(rows: Row[], m: Reading, toPage: ToPage, order: DateOrder): ReadTarget[] {
  const out: ReadTarget[] = [];
  for (const row of rows) {
    out.push({ kind: 'line', text: row.text, value: row.text, box: toPage(row.box) });
    for (const d of findDatesInText(row.text, row.index, order)) {
      const words = wordsInRange(row, d.start, d.end);
      if (words.length > 0) out.push({ kind: 'date', text: row.text.slice(d.start, d.end), value: d.iso, box: boxOf(words, toPage) });
    }
    for (const a of m.amounts(row)) {
      if (a.minor > 0 && a.words.length > 0)
        out.push({ kind: 'amount', text: row.text.slice(a.start, a.end), value: a.minor, box: boxOf(a.words, toPage) });
    }
  }
  return out;
}

/** Where the picked values were read on `ocr`; null when its rows have no real geometry (text only). */
export function locateFields(ocr: OcrResult, rows: Row[], m: Reading, picked: Picked, order: DateOrder): Provenance | null {
  if (ocr.width <= 0 || ocr.height <= 0 || rows.length === 0 || rows.some((r) => r.synthetic)) return null;
  const toPage = pageMapper(ocr);
  const fields: Provenance['fields'] = {};
  const put = (field: FieldName, boxes: PageBox[]): void => {
    if (boxes.length > 0) fields[field] = boxes;
  };
  if (picked.merchant) put('merchant', merchantBoxes(rows, picked.merchant, toPage));
  if (picked.date) {
    const { rowIndex, start, end } = picked.date.at;
    const words = wordsInRange(rows[rowIndex]!, start, end);
    if (words.length > 0) put('date', [boxOf(words, toPage)]);
  }
  const labels = labeledAmounts(rows, m);
  const { total, subtotal, tax, tip } = picked.totals;
  if (total) put('total', moneyBoxes(rows, m, toPage, total.minor, ['total', 'grandTotal'], labels));
  if (subtotal) put('subtotal', moneyBoxes(rows, m, toPage, subtotal.minor, ['subtotal'], labels));
  if (tax) put('tax', taxBoxes(rows, m, toPage, tax.minor, labels));
  if (tip) put('tip', moneyBoxes(rows, m, toPage, tip.minor, ['tip', 'service'], labels));
  // The currency is read where the total's figure carries its sign or code.
  const signed = total && rows.flatMap((r) => m.amounts(r)).findLast((a) => a.sign !== null && a.minor === total.minor);
  if (signed && signed.words.length > 0) put('currency', [boxOf(signed.words, toPage)]);
  return {
    pages: (ocr.stacked ?? [ocr]).map(({ width, height }, i) => {
      const filePage = ocr.pages?.[i]?.filePage;
      return { width, height, ...(filePage !== undefined && { filePage }) };
    }),
    fields,
    items: picked.items.map((p) => p.rows.map((i) => toPage(rows[i]!.box))),
    targets: targetsOf(rows, m, toPage, picked.date?.order ?? order),
  };
}
