import { describe, expect, it } from 'vitest';
import { formatMoney, formatMoneyShort, minorToEditText, parseAmount } from './money';

const minor = (text: string, currency = 'USD') => {
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.minor;
};

describe('parseAmount', () => {
  it('reads decimals exactly, without float drift', () => {
    expect(minor('19.99')).toBe(1999);
    expect(minor('0.07')).toBe(7);
    expect(minor('1.1')).toBe(110);
    expect(minor('.5')).toBe(50);
    expect(minor('90071992547.41')).toBe(9007199254741);
  });

  it('accepts grouping and either decimal mark', () => {
    expect(minor('1,234.56')).toBe(123456);
    expect(minor('1.234,56')).toBe(123456);
    expect(minor('1 234,5')).toBe(123450);
    expect(minor('1,234')).toBe(123400);
    expect(minor('1,234,567')).toBe(123456700);
    expect(minor('12,50')).toBe(1250);
  });

  it('ignores currency symbols and codes around the number, keeps the sign', () => {
    expect(minor('$ 4.20')).toBe(420);
    expect(minor('12.00 USD')).toBe(1200);
    expect(minor('-3')).toBe(-300);
    expect(minor('−3.10')).toBe(-310);
  });

  it('follows the currency: JPY has no decimals, BHD has three', () => {
    expect(minor('1,500', 'JPY')).toBe(1500);
    expect(minor('1.250', 'BHD')).toBe(1250);
    expect(parseAmount('12.5', 'JPY')).toEqual({ ok: false, message: 'JPY has no decimals' });
  });

  it('clears on empty text and explains what is wrong otherwise', () => {
    expect(parseAmount('  ', 'USD')).toEqual({ ok: true, minor: null });
    expect(parseAmount('abc', 'USD')).toMatchObject({ ok: false, message: '"abc" is not an amount' });
    expect(parseAmount('1.234.56', 'USD')).toMatchObject({ ok: false, message: expect.stringMatching(/separators/) });
    expect(parseAmount('1.999', 'EUR')).toMatchObject({ ok: true, minor: 199900 });
    expect(parseAmount('1.9999', 'EUR')).toMatchObject({ ok: false, message: 'EUR allow at most 2 decimals' });
    expect(parseAmount('999999999999999', 'USD')).toMatchObject({ ok: false, message: 'amount is too large' });
  });
});

describe('formatting', () => {
  it('turns minor units into editable decimal text', () => {
    expect(minorToEditText(null, 'USD')).toBe('');
    expect(minorToEditText(1999, 'USD')).toBe('19.99');
    expect(minorToEditText(-5, 'USD')).toBe('-0.05');
    expect(minorToEditText(1500, 'JPY')).toBe('1500');
  });

  it('formats in the currency with Intl, and round-trips through parse', () => {
    expect(formatMoney(1234, 'KWD')).toBe(
      new Intl.NumberFormat(undefined, { style: 'currency', currency: 'KWD', minimumFractionDigits: 3 }).format(1.234),
    );
    expect(formatMoney(1234, 'IQD')).toMatch(/1\.234/);
    expect(formatMoney(123456, 'USD')).toBe(new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(1234.56));
    expect(formatMoney(null, 'USD')).toBe('—');
    for (const value of [0, 1, 99, 1999, 100000, -250]) expect(minor(minorToEditText(value, 'USD'))).toBe(value);
  });
});

describe('formatMoneyShort', () => {
  it('drops zero decimals only', () => {
    const whole = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(20);
    expect(formatMoneyShort(2000, 'USD')).toBe(whole);
    expect(formatMoneyShort(2050, 'USD')).toBe(formatMoney(2050, 'USD'));
  });
});
