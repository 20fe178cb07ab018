import { describe, expect, it } from 'vitest';
import { assessReview } from '../ledger/review';
import { extractFields } from './extract';
import { ocrFromLines, textOnly, US_RESTAURANT } from './ocr-fixture';

const today = new Date('2019-06-01T00:00:00Z');

const US_RECEIPT = US_RESTAURANT;

describe('extractFields', () => {
  it('reads a US restaurant receipt with word boxes', () => {
    const f = extractFields(ocrFromLines(US_RECEIPT, { columns: true }), { dateOrder: 'DMY', defaultCurrency: 'EUR', today });
    expect(f).toMatchObject({
      merchant: 'GREEN FIELD',
      // A US address settles month-first although the user reads day-first.
      date: '2018-05-06',
      totalMinor: 5324,
      subtotalMinor: 4890,
      taxMinor: 434,
      tipMinor: null,
      currency: 'USD',
      paymentMethod: 'Visa',
    });
    expect(f.items).toEqual([
      { description: 'Coffee', quantity: 1, amountMinor: 300 },
      { description: 'Lunch', quantity: 2, amountMinor: 4590 },
    ]);
    expect(f.warnings).toEqual([]);
    expect(f.confidence.total).toBeGreaterThan(0.8);
  });

  it('reads the same receipt photographed at an angle, its amounts a row lower than level', () => {
    const f = extractFields(ocrFromLines(US_RECEIPT, { columns: true, slant: 0.08 }), { dateOrder: 'DMY', defaultCurrency: 'EUR', today });
    expect(f).toMatchObject({ merchant: 'GREEN FIELD', date: '2018-05-06', totalMinor: 5324, subtotalMinor: 4890, taxMinor: 434 });
    expect(f.items).toEqual([
      { description: 'Coffee', quantity: 1, amountMinor: 300 },
      { description: 'Lunch', quantity: 2, amountMinor: 4590 },
    ]);
  });

  it('reads the same receipt from plain text', () => {
    const f = extractFields(textOnly(US_RECEIPT.map((l) => l.replace('|', ''))), { dateOrder: 'DMY', defaultCurrency: 'EUR', today });
    expect(f).toMatchObject({ merchant: 'GREEN FIELD', date: '2018-05-06', totalMinor: 5324, currency: 'USD' });
  });

  it('reads a Malaysian receipt with rounding and a stray note', () => {
    const f = extractFields(
      ocrFromLines([
        'jane doe',
        'KEDAI MAJU SDN BHD',
        '(123456-X)',
        'NO 5, JALAN 3, 81100 JOHOR BAHRU',
        'GST ID: 000123456789',
        'Date: 02/03/2018 10:11',
        'Item A            10.00 SR',
        'Item B             8.86 SR',
        'Total Sales (Excl GST)   18.86',
        'GST @6%                   1.13',
        'Total (Incl GST)         19.99',
        'Rounding                  0.01',
        'Rounded Total (RM)       20.00',
        'CASH                     50.00',
        'CHANGE                   30.00',
      ]),
      { dateOrder: 'MDY', defaultCurrency: 'USD', today },
    );
    expect(f).toMatchObject({
      merchant: 'KEDAI MAJU SDN BHD',
      date: '2018-03-02',
      totalMinor: 2000,
      subtotalMinor: 1886,
      taxMinor: 113,
      currency: 'MYR',
      paymentMethod: 'Cash',
    });
    expect(f.warnings).toEqual([]);
  });

  it('reads amounts in the minor units of the currency printed on the receipt', () => {
    const read = (lines: string[]) => extractFields(ocrFromLines(lines), { dateOrder: 'DMY', defaultCurrency: 'USD', today });
    expect(read(['RAMEN YA', '2019/05/20 12:31', 'Ramen 2 1,960', 'TOTAL ¥1,280'])).toMatchObject({
      currency: 'JPY',
      totalMinor: 1280,
      date: '2019-05-20',
    });
    expect(read(['AL MAHA CAFE', 'Coffee 1.500', 'Cake 1.750', 'TOTAL KWD 3.250'])).toMatchObject({
      currency: 'KWD',
      totalMinor: 3250,
      items: [
        { description: 'Coffee', amountMinor: 1500 },
        { description: 'Cake', amountMinor: 1750 },
      ],
    });
  });

  it('flags what is missing for review', () => {
    const f = extractFields(ocrFromLines(['THANK YOU']), { dateOrder: 'DMY', defaultCurrency: 'GBP', today });
    expect(f).toMatchObject({ merchant: null, date: null, totalMinor: null, currency: 'GBP', items: [] });
    expect(f.warnings).toEqual(expect.arrayContaining(['no date found', 'no total found', 'no merchant name found']));
  });

  it('reads the day/month order from the receipt before the user setting', () => {
    const date = (lines: string[], dateOrder: 'DMY' | 'MDY') =>
      extractFields(ocrFromLines(lines), { dateOrder, defaultCurrency: 'USD', today }).date;
    const cafe = ['ANSON CAFE', 'Date: 05/03/2018 10:20', 'Tea 9.00'];
    // A Malaysian receipt on a month-first machine: ringgit, a +60 phone number, or both.
    expect(date([...cafe, 'TOTAL RM 9.00'], 'MDY')).toBe('2018-03-05');
    expect(date(['TEL +603-2141 8888', ...cafe, 'TOTAL 9.00'], 'MDY')).toBe('2018-03-05');
    expect(date(['TEL +603-2141 8888', ...cafe, 'TOTAL RM 9.00'], 'MDY')).toBe('2018-03-05');
    // A US receipt on a day-first machine: US dollars with a US address, or a US phone number.
    expect(date([...cafe, 'Long Beach, CA 90804', 'TOTAL US$ 9.00'], 'DMY')).toBe('2018-05-03');
    expect(date(['(562) 597-0906', ...cafe, 'TOTAL $9.00'], 'DMY')).toBe('2018-05-03');
    // Nothing on the receipt tells: the setting decides.
    expect(date([...cafe, 'TOTAL $9.00'], 'DMY')).toBe('2018-03-05');
    expect(date([...cafe, 'TOTAL $9.00'], 'MDY')).toBe('2018-05-03');
  });

  it('sends a receipt whose date is after the scan day, or years before its other dates, to review', () => {
    const needsReview = (lines: string[]): { date: string | null; warnings: string[]; needsReview: boolean } => {
      const f = extractFields(ocrFromLines(lines), { dateOrder: 'DMY', defaultCurrency: 'MYR', today });
      const review = assessReview({ values: f, confidence: f.confidence, warnings: f.warnings, corrected: [], possibleDuplicate: false });
      return { date: f.date, warnings: f.warnings, needsReview: review.needsReview };
    };
    const shop = ['KEDAI MAJU SDN BHD', 'Tea 9.00', 'TOTAL RM 9.00'];
    expect(needsReview([...shop, 'Date: 12/03/2047 10:00'])).toMatchObject({ date: '2047-03-12', needsReview: true });
    expect(needsReview([...shop, 'Date: 12/03/2018 10:00'])).toMatchObject({ date: '2018-03-12', warnings: [], needsReview: false });
    const misread = needsReview([...shop, 'Date: 12/03/2013 10:00', 'Member 12/03/2018']);
    expect(misread).toMatchObject({ needsReview: true, warnings: [expect.stringMatching(/2018-03-12: one of the years may be misread/)] });
  });

  it('handles empty OCR output', () => {
    const f = extractFields(textOnly([]), { dateOrder: 'DMY', defaultCurrency: 'GBP' });
    expect(f.totalMinor).toBeNull();
    expect(f.warnings.length).toBeGreaterThan(0);
  });
});
