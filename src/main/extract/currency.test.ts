import { describe, expect, it } from 'vitest';
import { detectCurrency } from './currency';
import { buildRows } from './layout';
import { ocrFromLines } from './ocr-fixture';

const detect = (lines: string[], fallback = 'EUR') => detectCurrency(buildRows(ocrFromLines(lines)), fallback);

describe('detectCurrency', () => {
  it('reads currency signs and codes', () => {
    expect(detect(['TOTAL RM9.00']).code).toBe('MYR');
    expect(detect(['Total £12.40']).code).toBe('GBP');
    expect(detect(['Summe 12,40 €']).code).toBe('EUR');
    expect(detect(['TOTAL USD 5.00'], 'MYR').code).toBe('USD');
  });

  it('reads signs and codes of currencies with 0 or 3 minor digits, not "Sdn Bhd"', () => {
    expect(detect(['TOTAL ¥1,280']).code).toBe('JPY');
    expect(detect(['합계 ₩12,000']).code).toBe('KRW');
    expect(detect(['Tong cong 45.000 ₫']).code).toBe('VND');
    expect(detect(['TOTAL Rp 25.000']).code).toBe('IDR');
    expect(detect(['TOTAL KWD 3.250']).code).toBe('KWD');
    expect(detect(['Total BHD 1.500']).code).toBe('BHD');
    expect(detect(['KEDAI MAJU SDN BHD 802723-U', 'TOTAL 9.00'], 'USD').code).toBe('MYR');
    // A misread sign is outvoted by figures with cents; a place name alone is no cue.
    expect(detect(['KEDAI SETIA', 'AT ¥ 1', '3 8.00 24.01', 'TOTAL 24.01', 'GST 1.36'], 'MYR').code).toBe('MYR');
    expect(detect(['TOTAL ¥1,280', 'CASH ¥2,000.00']).code).toBe('JPY');
    expect(detect(['Dubai Mall', 'Tea ¥ 1a 5.00', 'TOTAL 33.00', 'CASH 35.00'], 'AED').code).toBe('AED');
    expect(detect(['TOTAL Rp 125.000,00', 'TUNAI Rp 150.000,00']).code).toBe('IDR');
    expect(detect(['TOTAL KWD 3.25', 'CASH 5.00']).code).toBe('EUR');
    expect(detect(['TOKYO GRILL', 'TOTAL 9.00'], 'USD').code).toBe('USD');
  });

  it('reads "RM" as a unit only in parentheses or beside a money word', () => {
    expect(detect(['Qty Item Amount RM', 'Tea 5.00'], 'USD').code).toBe('MYR');
    expect(detect(['TOTAL (RM)   9.00'], 'USD').code).toBe('MYR');
    expect(detect(['AM Dining RM', 'Tea 5.00'], 'USD')).toMatchObject({ code: 'USD', fromReceipt: false });
  });

  it('takes a pound sign only before a figure with pence', () => {
    expect(detect(['Total £12.40'], 'USD').code).toBe('GBP');
    expect(detect(['of Race; 2 £7 . .', 'Visa 7.61'], 'USD')).toMatchObject({ code: 'USD', fromReceipt: false });
  });

  it('reads country cues', () => {
    expect(detect(['KEDAI MAJU SDN BHD', 'TOTAL 9.00'], 'USD')).toMatchObject({ code: 'MYR', fromReceipt: true });
    expect(detect(['Long Beach, CA 90804', 'TOTAL 9.00'], 'EUR')).toMatchObject({ code: 'USD', fromReceipt: true });
  });

  it('tells euros and pounds without their signs, which PaddleOCR cannot write', () => {
    // From a code or word, the tax's name, a continental address, a British postcode or VAT number.
    expect(detect(['TOTAL A PAGAR EUROS', '19,20'], 'USD')).toMatchObject({ code: 'EUR', dateOrder: 'DMY' });
    expect(detect(['Plat du jour 12,50', 'TVA 10.00% 1,14', 'TOTAL 12,50'], 'USD').code).toBe('EUR');
    expect(detect(['Kaffee 3,20', 'MwSt 19% 0,51', 'SUMME 3,20'], 'USD').code).toBe('EUR');
    expect(detect(['LE SWANN', '8 Rue Crozatier', '75012 PARIS', 'TOTAL 28,15'], 'USD').code).toBe('EUR');
    expect(detect(['The Real Greek Hoxton', '14-15 Hoxton Market', 'London', 'N1 6HG', 'TOTAL 31.80'], 'USD')).toMatchObject({
      code: 'GBP',
      dateOrder: 'DMY',
    });
    expect(detect(['FORFAR DD8 2EP', 'SUBTOTAL 29.25'], 'USD').code).toBe('GBP');
    expect(detect(['VAT Reg No: 191 2478 96', 'TOTAL 17.99'], 'USD').code).toBe('GBP');
    // A printed code or sign outweighs a tax's name that other countries use too.
    expect(detect(['MWST 8.1% 0.75', 'TOTAL CHF 9.90'], 'EUR').code).toBe('CHF');
    // Nobody writes euros with "$": a dollar sign beside "IVA" is some dollar.
    expect(detect(['IVA 16% 2.40', 'TOTAL $17.40'], 'CAD').code).toBe('CAD');
    // Not: a US street named France, a ZIP and a city, a Malaysian postcode before its town.
    expect(detect(['10700 France Ave S', 'Edina, MN 55435', 'TOTAL 9.00'], 'EUR').code).toBe('USD');
    expect(detect(['Lot 5, Jalan Raja', '43000 KAJANG', 'TOTAL RM9.00'], 'EUR').code).toBe('MYR');
  });

  it('does not take a misread % or $ for a pound or yen sign', () => {
    expect(detect(['KEDAI MAJU SDN BHD', 'GST 6.00 ¥', 'TOTAL 9.00'], 'USD').code).toBe('MYR');
    expect(detect(['Total $12.00', 'Cash £20.00 $20.00', 'Change $8.00'], 'EUR').code).toBe('USD');
  });

  it('reads a US city and state or phone number without a ZIP', () => {
    expect(detect(['Long Beach, CA', 'TOTAL 9.00'], 'EUR').code).toBe('USD');
    expect(detect(['(562) 597-0906', 'TOTAL 9.00'], 'EUR').code).toBe('USD');
  });

  it('gives "$" to the dollar the receipt points to', () => {
    expect(detect(['SINGAPORE', 'TOTAL $9.00'], 'USD').code).toBe('SGD');
    expect(detect(['KEDAI MAJU SDN BHD', '$7.10 1 $7.10', 'Total Amount: $7.10'], 'USD').code).toBe('MYR');
  });

  it('treats a bare $ as the user dollar, else US dollars', () => {
    expect(detect(['TOTAL $9.00'], 'CAD').code).toBe('CAD');
    expect(detect(['TOTAL $9.00'], 'EUR').code).toBe('USD');
  });

  it('falls back to the default currency with low confidence', () => {
    expect(detect(['TOTAL 9.00'], 'CHF')).toEqual({ code: 'CHF', confidence: 0.4, fromReceipt: false, dateOrder: null });
  });
});

describe('the date order the cues tell', () => {
  const order = (lines: string[], fallback = 'USD') => detect(lines, fallback).dateOrder;

  it('takes it from a currency at home in one order: RM, MYR, £, €', () => {
    expect(order(['TOTAL RM9.00'])).toBe('DMY');
    expect(order(['TOTAL MYR 9.00'])).toBe('DMY');
    expect(order(['Total £12.40'])).toBe('DMY');
    expect(order(['Summe 12,40 €'])).toBe('DMY');
  });

  it('takes month first from US dollars only with a US address or phone number', () => {
    expect(order(['TOTAL USD 5.00'], 'EUR')).toBeNull();
    expect(order(['TOTAL US$ 5.00', 'Long Beach, CA 90804'], 'EUR')).toBe('MDY');
    expect(order(['TOTAL $5.00', '(562) 597-0906'], 'EUR')).toBe('MDY');
    // A bare "$" is any dollar: Canada, Australia and Singapore print theirs too.
    expect(order(['TOTAL $9.00'], 'AUD')).toBeNull();
    expect(order(['TOTAL $9.00'], 'EUR')).toBeNull();
  });

  it('takes it from the country in the address, a Malaysian GST number or a phone prefix', () => {
    expect(order(['NO 7, JLN UNGU', 'TOTAL 9.00'])).toBe('DMY');
    expect(order(['GST ID : 001661886464', 'TOTAL 9.00'])).toBe('DMY');
    expect(order(['TEL: +603-2141 8888', 'TOTAL 9.00'])).toBe('DMY');
    expect(order(['Tel +65 6123 4567', 'TOTAL $9.00'])).toBe('DMY');
    expect(order(['Tel +44 (0)20 7946 0958', 'TOTAL 9.00'])).toBe('DMY');
    expect(order(['SINGAPORE 018956', 'TOTAL $9.00'])).toBe('DMY');
    // A figure with a plus sign is no phone number; a Canadian HST number tells no order.
    expect(order(['Tip +60.00', 'TOTAL 9.00'])).toBeNull();
    expect(order(['HST 123456789', 'TOTAL 9.00'], 'CAD')).toBeNull();
  });
});
