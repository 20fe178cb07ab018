// Line items: the rows above the first subtotal/total line that print a description and an amount at
// the right ("2 Lunch 45.90", "COFFEE x2 6.00", "Nasi Lemak 1 @ 4.50 4.50"), or a description on one
// line and "qty x price amount" on the next ("Sushi" / "4 x 1.80 7.20 SR").
import { amountReader } from './amounts';
import { classifyLabel, isTableHeader } from './labels';
import type { Row } from './layout';
import type { CurrencyCode, LineItem } from '../../shared/model';
import { minorDigits } from '../../shared/money';

const LEADING_QTY = /^(\d{1,3})\s*(?:[xX@*]\s+|\s+)(?=[A-Za-z])/;
const TRAILING_QTY = /(?:\b[xX]\s?(\d{1,3})|\b(\d{1,3})\s?[xX@]|\bQTY:?\s?(\d{1,3}))\b/;
/** A count ending a description, as printed in a quantity column ("2", "1.0", "3.000"). */
const TRAILING_COUNT = /\s(\d{1,3})(?:[.,]0{1,3})?$/;
/** A row that is only "4 x 1.80 7.20 SR": quantity, unit price, amount and a tax code. */
const QTY_ROW = /^\W*(\d{1,3})\s?[xX@*]/;
const NOT_ITEM =
  /\b(TEL|FAX|PHONE|GST|SST|VAT|REG|INVOICE|RECEIPT|DATE|TIME|CASHIER|TABLE|SERVER|ORDER|GUEST|MEMBER|CARD|AUTH)\b|\d{1,2}:\d{2}|\d{1,2}[/-]\d{1,2}[/-]\d{2,4}/i;

const letters = (s: string): number => (s.match(/[A-Za-z]/g) ?? []).length;

/** Leading OCR specks ("i 1 Coke", "] Blue Moon") and trailing punctuation off a description. */
function tidy(description: string): string {
  return description
    .replace(/^(?:[^A-Za-z0-9(]|[a-z](?=\s))+\s*/, '')
    .replace(/[^A-Za-z0-9)]+$/, '')
    .trim();
}

/** A line item and the rows (Row.index) it was read from. */
export interface PlacedItem {
  item: LineItem;
  rows: number[];
}

/** Line items of a receipt whose amounts are in `currency` (null: two decimals). */
export function findItems(rows: Row[], currency: CurrencyCode | null = null): LineItem[] {
  return findPlacedItems(rows, currency).map((p) => p.item);
}

/** Line items with the rows each was read from. */
export function findPlacedItems(rows: Row[], currency: CurrencyCode | null = null): PlacedItem[] {
  const findAmounts = amountReader(minorDigits(currency));
  // Each row's figures, read once: the table's end, the items and their neighbours all look at them.
  const figures = rows.map((r) => findAmounts(r));
  // The table ends at the first money line, one with its figure on it or under it; its header
  // ("Description Qty Price Amount") names the amount column and does not end it.
  const end = rows.findIndex((r, i) => {
    const kind = classifyLabel(r.text);
    const figure = figures[i]!.length > 0 || (figures[i + 1]?.length ?? 0) > 0;
    return (kind === 'subtotal' || kind === 'total' || kind === 'grandTotal') && !isTableHeader(r.text) && figure;
  });
  const items: PlacedItem[] = [];
  const body = end === -1 ? [] : rows.slice(0, end);
  /** A label or a header line: neither an item nor an item's description. */
  const notItemLine = (row: Row): boolean => classifyLabel(row.text) !== 'none' || NOT_ITEM.test(row.text);
  /** A label, a header line or a row with figures: not a description line. */
  const notText = (j: number): boolean => notItemLine(body[j]!) || figures[j]!.length > 0;
  /** Rows taken as the description of a row of figures. */
  const described = new Set<number>();
  /** The text line up to two rows from `i` in `step`'s direction, before any row of another kind, with the most letters. */
  const textBeside = (i: number, step: 1 | -1): number | undefined => {
    let best: number | undefined;
    for (let j = i + step; j >= 0 && j < body.length && Math.abs(j - i) <= 2; j += step) {
      if (described.has(j) || notText(j)) break;
      if (letters(body[j]!.text) >= 3 && (best === undefined || letters(body[j]!.text) > letters(body[best]!.text))) best = j;
    }
    return best;
  };
  // Whether the table prints each description above its row of figures, decided at the first such row:
  // above when a text line comes between it and the table's header (or the rows before), else below.
  let descriptionsAbove: boolean | undefined;
  body.forEach((row, i) => {
    if (notItemLine(row)) return;
    const amounts = figures[i]!;
    if (amounts.length === 0) return;
    const last = amounts[amounts.length - 1];
    // The amount must end the row (a tax code may follow, "SR", "6"): a figure in mid-line is a unit
    // price or a code, and one with a point after it that was not read as money ("2.1C") is the amount.
    const after = row.text.slice(last.end);
    if (after.replace(/[^A-Za-z0-9]/g, '').length > 3 || /\d[.,]\d/.test(after)) return;
    // A figure in brackets is a note on the item above ("Grilled Onion ($0.75)", "($2.50 each)"), whose
    // price already counts it, or money off as accountants print it: not an item of its own.
    if (/\(\s*$/.test(row.text.slice(0, last.start))) return;

    const qtyRow = QTY_ROW.exec(row.text);
    if (qtyRow && letters(row.text.slice(0, amounts[0].start)) <= 1) {
      // "4 x 1.80 7.20": the description is the line above, with or without its unit price.
      const above = body[i - 1];
      if (!above || notItemLine(above)) return;
      const aboveAmounts = figures[i - 1]!;
      const description = tidy(aboveAmounts.length ? above.text.slice(0, aboveAmounts[0].start) : above.text);
      if (letters(description) < 2) return;
      // The line above was read as an item of its own (name + unit price): this row completes it.
      if (items.length && items[items.length - 1].item.description === description) items.pop();
      items.push({ item: { description, quantity: Number(qtyRow[1]), amountMinor: last.minor }, rows: [above.index, row.index] });
      return;
    }

    let description = tidy(row.text.slice(0, amounts[0].start));
    let quantity: number | undefined;
    const lead = LEADING_QTY.exec(description);
    if (lead) {
      quantity = Number(lead[1]);
      description = description.slice(lead[0].length);
    } else {
      const trail = TRAILING_QTY.exec(description);
      if (trail) {
        quantity = Number(trail[1] ?? trail[2] ?? trail[3]);
        description = description.slice(0, trail.index).trim();
      }
    }
    // "BRAISED PORK 2 7.00 14.00", "SOUR&SPICY 1.0 12.00 12.00": a count before the unit price that
    // times it makes the amount is the quantity.
    const price = amounts.at(-2);
    const count = quantity === undefined && price ? TRAILING_COUNT.exec(description) : null;
    if (count && Number(count[1]) > 0 && Number(count[1]) * price!.minor === last.minor) {
      quantity = Number(count[1]);
      description = description.slice(0, count.index);
    }
    description = tidy(description);
    let from = [row.index];
    if (letters(description) < 2) {
      // A row of figures only ("9555112901406 1 X 5.90 5.90", "1432 3 2.12 6.36 SR"): its description is
      // a line of its own beside it, on the side the receipt's table prints it.
      descriptionsAbove ??= textBeside(i, -1) !== undefined;
      const j = textBeside(i, descriptionsAbove ? -1 : 1);
      if (j === undefined) return;
      described.add(j);
      description = tidy(body[j]!.text);
      from = descriptionsAbove ? [body[j]!.index, row.index] : [row.index, body[j]!.index];
    }
    if (letters(description) < 2) return;
    const item = quantity && quantity > 0 ? { description, quantity, amountMinor: last.minor } : { description, amountMinor: last.minor };
    items.push({ item, rows: from });
  });
  // A last line whose figure is the sum of every item above it is their subtotal under a name of its own
  // ("Food $27.98", "Counter-Eat In 14.00"), not one more item.
  const closing = items.at(-1);
  const sumAbove = items.slice(0, -1).reduce((sum, p) => sum + p.item.amountMinor, 0);
  if (closing && items.length >= 3 && sumAbove === closing.item.amountMinor) items.pop();
  return items;
}
