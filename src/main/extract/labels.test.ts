import { describe, expect, it } from 'vitest';
import { classifyLabel, isTableHeader, labelText } from './labels';

describe('classifyLabel', () => {
  it.each([
    ['TOTAL', 'total'],
    ['T0TAL:', 'total'],
    ['GRAND TOTAL', 'grandTotal'],
    ['TOTL', 'total'],
    ['Tot', 'total'],
    ['otal', 'total'],
    ['TAOATAI DUE', 'total'],
    ['CHANGE DUE', 'change'],
    ['Amount Due', 'grandTotal'],
    ['Total Amount:', 'total'],
    ['Nett Total:', 'grandTotal'],
    ['TOTAL SALES (INCLUSIVE OF GST)', 'grandTotal'],
    ['Total Sales Inclucive GST :', 'grandTotal'],
    ['Total Sales Exclucive GST :', 'subtotal'],
    ['Rounded Total (RM)', 'grandTotal'],
    ['SUB TOTAL', 'subtotal'],
    ['Sub-Total', 'subtotal'],
    ['SUBTOTAI', 'subtotal'],
    ['SUBTOT 5.99', 'subtotal'],
    ['Total Excluding GST', 'subtotal'],
    ['Total Exc.', 'subtotal'],
    ['R252.98 Tota1 ExcN', 'subtotal'],
    ['TAXABLE AMT (S)', 'subtotal'],
    ['GST @6%', 'tax'],
    ['Sales Tax', 'tax'],
    ['TOTAL GST', 'tax'],
    ['Incl. VAT (20%)', 'tax'],
    ['R35.42 V.A.T. Included @ 14%', 'tax'],
    ['Total Exc', 'subtotal'],
    ['Accepted total', 'tender'],
    ['Total Incl. VAT', 'grandTotal'],
    ['Tanderad:', 'tender'],
    ['Service Charge 10%', 'service'],
    ['TIP', 'tip'],
    ['Rounding Adj', 'rounding'],
    ['Round off', 'rounding'],
    ['ROUNDUP AMOUNT', 'grandTotal'],
    ['CASH', 'tender'],
    ['VISA TENDERED', 'tender'],
    ['CHANGE', 'change'],
    ['Rückgeld', 'change'],
    ['Bar 32,60', 'tender'],
    ['Bargeld EUR 20,00', 'tender'],
    ['Espèces 20,00', 'tender'],
    ['Efectivo 15,00', 'tender'],
    ['Contanti 10,00', 'tender'],
    ['TARJETA NRO. ***014', 'none'],
    ['GRANOLA BAR 2.99', 'none'],
    ['Saldo 32,60', 'total'],
    ['Gesamt EUR', 'total'],
    ['Summe', 'total'],
    ['Totalt 120,00', 'total'],
    ['Balance Return: 150.00', 'change'],
    ['Total Qty', 'count'],
    ['Number of Items 10', 'count'],
    ['Total Discount', 'discount'],
    ['TOTAL SAVED -2.00', 'discount'],
    ['Total Coupons -1.00', 'discount'],
    ['Coffee', 'none'],
  ])('%s → %s', (text, kind) => {
    expect(classifyLabel(text)).toBe(kind);
  });

  it('normalises digits that stand for letters inside words', () => {
    expect(labelText('5UB T0TAL')).toBe(' SUBTOTAL ');
  });

  it("reads a font whose T reads as I and O as U (a Guardian till's print), and only where a keyword comes of it", () => {
    expect(classifyLabel('IUIAL (GSI INUL) 2.28')).toBe('total');
    expect(classifyLabel('SUBIUIAL 2.28')).toBe('subtotal');
    expect(labelText('IUIAL')).toBe(' TOTAL ');
    // Words with I or U that are no keyword read that way stay as they are.
    expect(labelText('UNIT PIU')).toBe(' UNIT PIU ');
  });
});

describe('isTableHeader', () => {
  it.each([
    ['QTY ITEM Amt', true],
    ['Description Price Amount', true],
    ['ITEM QTY U/P AMOUNT', true],
    ['TOTAL', false],
    ['Amount Due:', false],
    ['Total Items 4', false],
  ])('%s → %s', (text, header) => {
    expect(isTableHeader(text)).toBe(header);
  });
});
