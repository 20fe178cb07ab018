import { describe, expect, it } from 'vitest';
import type { LineItem } from '../../shared/model';
import { findItems } from './items';
import { buildRows } from './layout';
import { ocrFromLines } from './ocr-fixture';

/** Receipts as printed (`lines`) and the items read from them. */
const CASES: { name: string; lines: string[]; items: LineItem[] }[] = [
  {
    name: 'reads description, quantity and amount above the totals',
    lines: [
      'GREEN FIELD',
      'Table: 5  Guests: 2',
      '1 Coffee          3.00',
      '2 Lunch          45.90',
      'Coke x2           6.00',
      'SUB TOTAL        54.90',
      'TOTAL            59.00',
    ],
    items: [
      { description: 'Coffee', quantity: 1, amountMinor: 300 },
      { description: 'Lunch', quantity: 2, amountMinor: 4590 },
      { description: 'Coke', quantity: 2, amountMinor: 600 },
    ],
  },
  {
    name: 'reads the items under a table header that names the amount column',
    lines: [
      'Description      Qty  Price  Amount',
      'BRAISED PORK RICE 2    7.00   14.00',
      'JASMINE TEA       2    2.30    4.60',
      'SOUR&SPICY MUSTARD 1.0 12.00  12.00',
      // 3 x 2.50 is not 5.00: the 3 is part of the name.
      'PHO 3 2.50 5.00',
      'Total Sales (Inclusive of GST) 35.60',
    ],
    items: [
      { description: 'BRAISED PORK RICE', quantity: 2, amountMinor: 1400 },
      { description: 'JASMINE TEA', quantity: 2, amountMinor: 460 },
      { description: 'SOUR&SPICY MUSTARD', quantity: 1, amountMinor: 1200 },
      { description: 'PHO 3', amountMinor: 500 },
    ],
  },
  {
    name: 'does not take a figure in brackets for an item: a modifier the price above counts, a unit price, money off',
    lines: [
      'HB $8.35',
      'Combo, Grilled Onion ($0.75)',
      'CB x2 $15.70',
      '($7.85 each)',
      'Online Offer (8.99)',
      'Chili Fries $4.35',
      'Subtotal $19.41',
    ],
    items: [
      { description: 'HB', amountMinor: 835 },
      { description: 'CB', quantity: 2, amountMinor: 1570 },
      { description: 'Chili Fries', amountMinor: 435 },
    ],
  },
  {
    name: 'takes a last line that sums the items above it for their subtotal, not an item',
    lines: ['Iced Tea $2.50', 'Diet Coke $2.50', 'BLT Salad $10.99', 'Cuban $11.99', 'Food $27.98', 'Tax $2.03', 'Total $30.01'],
    items: [
      { description: 'Iced Tea', amountMinor: 250 },
      { description: 'Diet Coke', amountMinor: 250 },
      { description: 'BLT Salad', amountMinor: 1099 },
      { description: 'Cuban', amountMinor: 1199 },
    ],
  },
  {
    name: 'takes the description of a row of figures from the line above it, past a stock-code line',
    lines: [
      '10T 1851-A & 1851-B, JALAN KPB 6,',
      'CLOTH PEG E-140 *S',
      'WA36 - 6/60',
      '9555112901406 1 X 5.90 5.90',
      'DOOR GUARD ECO08 *S',
      'TJ12 - 10/100',
      '9002148 3X 4.50 13.50',
      'Total Incl. GST@6% RM 19.40',
    ],
    items: [
      { description: 'CLOTH PEG E-140 *S', quantity: 1, amountMinor: 590 },
      { description: 'DOOR GUARD ECO08 *S', quantity: 3, amountMinor: 1350 },
    ],
  },
  {
    name: 'takes it from the line below when the figures come first under the header',
    lines: [
      'Item Qty S/Price Amount Tax',
      '1432 3 2.12 6.36 SR',
      'GLOVE 1200(PER PAIR)',
      '8239 1 15.00 15.00 SR',
      'SR: 11 PROWESS SILICONE GUN',
      // A figure after the amount that was not read as money: the row's amount is unknown.
      '2016 3 0.70 2.1C',
      'SR: PVC WIRE TAPE 1PC X 7YD',
      'Total Sales (Excluding GST) : 23.46',
    ],
    items: [
      { description: 'GLOVE 1200(PER PAIR)', quantity: 3, amountMinor: 636 },
      { description: 'SR: 11 PROWESS SILICONE GUN', quantity: 1, amountMinor: 1500 },
    ],
  },
  {
    name: 'joins a description line with the quantity line under it',
    lines: ['Sushi 1.80', '4 x 1.80 7.20 SR', 'Green Tea', '2 X 2.50 5.00 SR', 'i 1 Coke 3.00', 'Total 15.20'],
    items: [
      { description: 'Sushi', quantity: 4, amountMinor: 720 },
      { description: 'Green Tea', quantity: 2, amountMinor: 500 },
      { description: 'Coke', quantity: 1, amountMinor: 300 },
    ],
  },
  {
    name: 'skips header lines with figures and returns nothing without a totals line',
    lines: ['Date 01/02/2019 10:00', 'Order 12.50 Ref 1', 'Coffee 3.00'],
    items: [],
  },
];

describe('findItems', () => {
  it.each(CASES)('$name', ({ lines, items }) => {
    expect(findItems(buildRows(ocrFromLines(lines)))).toEqual(items);
  });
});
