import { describe, expect, it } from 'vitest';
import { findItems } from './items';
import { buildRows } from './layout';
import { ocrFromLines } from './ocr-fixture';

/** The items of a receipt printed as `lines`. */
const itemsOf = (lines: string[]) => findItems(buildRows(ocrFromLines(lines)));

describe('findItems', () => {
  it('reads description, quantity and amount above the totals', () => {
    expect(
      itemsOf([
        'GREEN FIELD',
        'Table: 5  Guests: 2',
        '1 Coffee          3.00',
        '2 Lunch          45.90',
        'Coke x2           6.00',
        'SUB TOTAL        54.90',
        'TOTAL            59.00',
      ]),
    ).toEqual([
      { description: 'Coffee', quantity: 1, amountMinor: 300 },
      { description: 'Lunch', quantity: 2, amountMinor: 4590 },
      { description: 'Coke', quantity: 2, amountMinor: 600 },
    ]);
  });

  it('reads the items under a table header that names the amount column', () => {
    expect(
      itemsOf([
        'Description      Qty  Price  Amount',
        'BRAISED PORK RICE 2    7.00   14.00',
        'JASMINE TEA       2    2.30    4.60',
        'SOUR&SPICY MUSTARD 1.0 12.00  12.00',
        // 3 x 2.50 is not 5.00: the 3 is part of the name.
        'PHO 3 2.50 5.00',
        'Total Sales (Inclusive of GST) 35.60',
      ]),
    ).toEqual([
      { description: 'BRAISED PORK RICE', quantity: 2, amountMinor: 1400 },
      { description: 'JASMINE TEA', quantity: 2, amountMinor: 460 },
      { description: 'SOUR&SPICY MUSTARD', quantity: 1, amountMinor: 1200 },
      { description: 'PHO 3', amountMinor: 500 },
    ]);
  });

  it('joins a description line with the quantity line under it', () => {
    expect(itemsOf(['Sushi 1.80', '4 x 1.80 7.20 SR', 'Green Tea', '2 X 2.50 5.00 SR', 'i 1 Coke 3.00', 'Total 15.20'])).toEqual([
      { description: 'Sushi', quantity: 4, amountMinor: 720 },
      { description: 'Green Tea', quantity: 2, amountMinor: 500 },
      { description: 'Coke', quantity: 1, amountMinor: 300 },
    ]);
  });

  it('skips header lines with figures and returns nothing without a totals line', () => {
    expect(itemsOf(['Date 01/02/2019 10:00', 'Order 12.50 Ref 1', 'Coffee 3.00'])).toEqual([]);
  });
});
