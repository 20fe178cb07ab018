// Line items: the rows above the first subtotal/total line that print a description and an amount at
// the right ("2 Lunch 45.90", "COFFEE x2 6.00", "Nasi Lemak 1 @ 4.50 4.50").
import { findAmounts } from './amounts';
import { classifyLabel } from './labels';
import type { Row } from './layout';
import type { LineItem } from '../../shared/model';

const LEADING_QTY = /^(\d{1,3})\s*(?:[xX@*]\s+|\s+)(?=[A-Za-z])/;
const TRAILING_QTY = /(?:\b[xX]\s?(\d{1,3})|\b(\d{1,3})\s?[xX@]|\bQTY:?\s?(\d{1,3}))\b/;
const NOT_ITEM = /\b(TEL|FAX|PHONE|GST|SST|VAT|REG|INVOICE|RECEIPT|DATE|TIME|CASHIER|TABLE|SERVER|ORDER|GUEST|MEMBER|CARD|AUTH)\b|\d{1,2}:\d{2}|\d{1,2}[/-]\d{1,2}[/-]\d{2,4}/i;

export function findItems(rows: Row[]): LineItem[] {
  const end = rows.findIndex((r) => {
    const kind = classifyLabel(r.text);
    return kind === 'subtotal' || kind === 'total' || kind === 'grandTotal';
  });
  const items: LineItem[] = [];
  for (const row of end === -1 ? [] : rows.slice(0, end)) {
    if (classifyLabel(row.text) !== 'none' || NOT_ITEM.test(row.text)) continue;
    const amounts = findAmounts(row);
    if (amounts.length === 0) continue;
    const last = amounts[amounts.length - 1];
    // The amount must end the row: a figure in mid-line is a unit price or a code.
    if (row.text.slice(last.end).replace(/[^A-Za-z0-9]/g, '').length > 3) continue;
    let description = row.text.slice(0, amounts[0].start).trim();
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
    description = description.replace(/[^A-Za-z0-9)]+$/, '').replace(/^[^A-Za-z0-9(]+/, '');
    if ((description.match(/[A-Za-z]/g) ?? []).length < 2) continue;
    items.push(quantity && quantity > 0 ? { description, quantity, amountMinor: last.minor } : { description, amountMinor: last.minor });
  }
  return items;
}
