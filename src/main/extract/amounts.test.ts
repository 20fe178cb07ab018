import { describe, expect, it } from 'vitest';
import { findAmounts, findAmountsInText, parseAmount } from './amounts';
import { buildRows } from './layout';
import { ocrFromLines } from './ocr-fixture';

describe('parseAmount', () => {
  it('reads plain, signed and grouped amounts into minor units', () => {
    expect(parseAmount('9.00')).toBe(900);
    expect(parseAmount('RM 22.90')).toBe(2290);
    expect(parseAmount('$1,234.50')).toBe(123450);
    expect(parseAmount('2,800.00')).toBe(280000);
    expect(parseAmount('1.234,56')).toBe(123456);
    expect(parseAmount('-0.02')).toBe(-2);
    expect(parseAmount('0.02-')).toBe(-2);
  });

  it('tolerates OCR confusions and a comma or spaced decimal point', () => {
    expect(parseAmount('1O.5O')).toBe(1050);
    expect(parseAmount('S6.58')).toBe(5658);
    expect(parseAmount('12,50')).toBe(1250);
    expect(parseAmount('9 .00')).toBe(900);
    expect(parseAmount('l2.00')).toBe(1200);
    expect(parseAmount('RM10U. 00')).toBe(10000);
  });

  it('accepts a bare number only when it is the whole text', () => {
    expect(parseAmount('56.5')).toBe(5650);
    expect(parseAmount('20')).toBe(2000);
    expect(parseAmount('abc')).toBeNull();
  });
});

describe('findAmountsInText', () => {
  it('does not take words, dates, times or percentages for money', () => {
    expect(findAmountsInText('IS.OO')).toEqual([]);
    expect(findAmountsInText('25.12.2018 12:53')).toEqual([]);
    expect(findAmountsInText('GST 6.00% 1.20').map((a) => a.minor)).toEqual([120]);
    expect(findAmountsInText('Grand Total - 6.70').map((a) => a.minor)).toEqual([670]);
  });

  it('reads a ringgit sign read as R and specks glued to the figure, not a word ending in digits', () => {
    expect(findAmountsInText('SUBTOTAL R43. 40').map((a) => a.minor)).toEqual([4340]);
    expect(findAmountsInText('TTL CASH RHA43. 40').map((a) => [a.minor, a.sign])).toEqual([[4340, 'RM']]);
    expect(findAmountsInText('ROTI2.50')).toEqual([]);
  });

  it("reads a 1 glued to the figure after an R as the figure's, and one apart from it as RM read wrong", () => {
    // "RM16.85" with its M lost, and South African rand.
    expect(findAmountsInText('KNORR CHICKEN STOCK 1K R16.85').map((a) => a.minor)).toEqual([1685]);
    expect(findAmountsInText('1EX HAM R14.00').map((a) => a.minor)).toEqual([1400]);
    expect(findAmountsInText('TOTAL R1 14.00').map((a) => [a.minor, a.sign])).toEqual([[1400, 'RM']]);
  });

  it('finds several amounts in a line with their positions and currency sign', () => {
    const found = findAmountsInText('2 Lunch @ 22.95 RM45.90 SR');
    expect(found.map((a) => a.minor)).toEqual([2295, 4590]);
    expect(found[1].sign).toBe('RM');
    expect(found[0].repaired).toBe(false);
  });
});

describe('findAmounts', () => {
  it('ties each amount to the words it was read from', () => {
    const [row] = buildRows(ocrFromLines(['TOTAL        $ 56.58']));
    const [amount] = findAmounts(row);
    expect(amount.minor).toBe(5658);
    expect(amount.words.map((w) => w.text)).toEqual(['$', '56.58']);
  });
});

describe('amounts in currencies without two decimals', () => {
  const minors = (text: string, digits: number) => findAmountsInText(text, digits).map((a) => a.minor);

  it('reads whole figures when the currency has no minor unit', () => {
    expect(minors('TOTAL ¥1,280', 0)).toEqual([1280]);
    expect(minors('Total Rp 25.000,00', 0)).toEqual([25000]);
    // A one-digit figure is a quantity, not yen.
    expect(minors('2 Ramen x2 1,960', 0)).toEqual([1960]);
    expect(findAmountsInText('TOTAL ¥1,280', 0)[0].sign).toBe('¥');
  });

  it('does not read times, phone or code parts, percentages or words as whole amounts', () => {
    expect(minors('12:30 1280', 0)).toEqual([1280]);
    expect(minors('TEL 03-5555-1234', 0)).toEqual([]);
    expect(minors('TAX 10% 116', 0)).toEqual([116]);
    expect(minors('GOOD A1 12.50', 0)).toEqual([]);
  });

  it('reads three decimals as fils or baisa', () => {
    expect(minors('TOTAL KWD 3.250', 3)).toEqual([3250]);
    expect(minors('Amount 1,250.500 BD', 3)).toEqual([1250500]);
    // A two-decimal figure is not a three-decimal amount with a digit missing.
    expect(minors('TOTAL 3.25', 3)).toEqual([]);
  });
});
