import { describe, expect, it } from 'vitest';
import { buildRows } from './layout';
import { ocrFromLines } from './ocr-fixture';
import { findPaymentMethod } from './payment';

const method = (lines: string[]) => findPaymentMethod(buildRows(ocrFromLines(lines)));

describe('findPaymentMethod', () => {
  it('names cards before cash', () => {
    expect(method(['CASH BILL', 'TOTAL 9.00', 'VISA 9.00'])).toBe('Visa');
    expect(method(['TOTAL 9.00', 'MASTERCARD ****1234'])).toBe('Mastercard');
  });

  it('reads cash, but not "cash bill" or "cashier"', () => {
    expect(method(['Cashier: ANN', 'TOTAL 9.00', 'CASH 10.00'])).toBe('Cash');
    expect(method(['CASH BILL', 'Cashier: ANN', 'TOTAL 9.00'])).toBeNull();
  });
});
