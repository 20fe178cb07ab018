import { describe, expect, it } from 'vitest';
import { formatMinor, minorDigits } from './money';

describe('money', () => {
  it('knows the ISO 4217 minor digits, 2 by default', () => {
    expect([minorDigits('USD'), minorDigits('JPY'), minorDigits('KWD'), minorDigits('BHD'), minorDigits('CLF')]).toEqual([2, 0, 3, 3, 4]);
    expect([minorDigits('XYZ'), minorDigits(null), minorDigits('toString')]).toEqual([2, 2, 2]);
  });

  it('writes minor units as a plain decimal without going through a float', () => {
    expect(formatMinor(3390, 'USD')).toBe('33.90');
    expect(formatMinor(5, 'EUR')).toBe('0.05');
    expect(formatMinor(0, 'USD')).toBe('0.00');
    expect(formatMinor(-500, 'USD')).toBe('-5.00');
    expect(formatMinor(-5, 'USD')).toBe('-0.05');
    expect(formatMinor(1200, 'JPY')).toBe('1200');
    expect(formatMinor(1234, 'KWD')).toBe('1.234');
    expect(formatMinor(9_999_999_999_999, 'USD')).toBe('99999999999.99');
    expect(formatMinor(1999, null)).toBe('19.99');
  });
});
