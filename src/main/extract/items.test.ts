import { describe, expect, it } from 'vitest';
import { findItems } from './items';
import { buildRows } from './layout';
import { ocrFromLines } from './ocr-fixture';

describe('findItems', () => {
  it('reads description, quantity and amount above the totals', () => {
    const rows = buildRows(
      ocrFromLines(['GREEN FIELD', 'Table: 5  Guests: 2', '1 Coffee          3.00', '2 Lunch          45.90', 'Coke x2           6.00', 'SUB TOTAL        54.90', 'TOTAL            59.00']),
    );
    expect(findItems(rows)).toEqual([
      { description: 'Coffee', quantity: 1, amountMinor: 300 },
      { description: 'Lunch', quantity: 2, amountMinor: 4590 },
      { description: 'Coke', quantity: 2, amountMinor: 600 },
    ]);
  });

  it('skips header lines with figures and returns nothing without a totals line', () => {
    const rows = buildRows(ocrFromLines(['Date 01/02/2019 10:00', 'Order 12.50 Ref 1', 'Coffee 3.00']));
    expect(findItems(rows)).toEqual([]);
  });
});
