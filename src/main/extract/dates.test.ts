import { describe, expect, it } from 'vitest';
import { findDatesInText, isoDate, pickDate, type DateContext } from './dates';
import { buildRows } from './layout';
import { ocrFromLines } from './ocr-fixture';

const today = new Date('2019-06-01T12:00:00Z');
const ctx = (over: Partial<DateContext> = {}): DateContext => ({ order: 'DMY', countryOrder: null, today, ...over });
const pick = (lines: string[], over: Partial<DateContext> = {}) => pickDate(buildRows(ocrFromLines(lines)), ctx(over));
const isos = (text: string, order: 'DMY' | 'MDY' = 'DMY') => findDatesInText(text, 0, order).map((d) => d.iso);

describe('findDatesInText', () => {
  it('reads numeric dates in the given order', () => {
    expect(isos('Date: 05/03/2018')).toEqual(['2018-03-05']);
    expect(isos('Date: 05/03/2018', 'MDY')).toEqual(['2018-05-03']);
    expect(isos('25-12-18 10:31')).toEqual(['2018-12-25']);
    expect(isos('25.12.2018')).toEqual(['2018-12-25']);
    expect(isos('25/12/ 2018')).toEqual(['2018-12-25']);
  });

  it('reads year-first, compact and month-name forms', () => {
    expect(isos('2018-03-27 13:00')).toEqual(['2018-03-27']);
    expect(isos('TXN 20180327 0012')).toEqual(['2018-03-27']);
    expect(isos('10 MAR 2018')).toEqual(['2018-03-10']);
    expect(isos('Mar 27, 2018 7:15PM')).toEqual(['2018-03-27']);
    expect(isos('Tuesday,March27th2018')).toEqual(['2018-03-27']);
    expect(isos('27-Mar-18')).toEqual(['2018-03-27']);
  });

  it('reads a two-digit year from 69 on as of the 1900s, as strptime does', () => {
    expect(isos('17JUL89')).toEqual(['1989-07-17']);
    expect(isos('FRI 23-10-92')).toEqual(['1992-10-23']);
    expect(isos('05/01/68')).toEqual(['2068-01-05']);
    expect(isos('05/01/69')).toEqual(['1969-01-05']);
  });

  it("joins a two-digit day split by the print's spacing, where the month is padded to two digits", () => {
    expect(isos('1 9/05/18')).toEqual(['2018-05-19']);
    expect(isos('1 1/05/2018 13:02')).toEqual(['2018-05-11']);
    // A one-digit month goes with one-digit days: the lone digit before is something else.
    expect(isos('Table 2 1/5/2018')).toEqual(['2018-05-01']);
    expect(isos('Qty 1 19/05/18')).toEqual(['2018-05-19']);
  });

  it('tolerates O for 0 and rejects impossible days', () => {
    expect(isos('2O/O1/2O18')).toEqual(['2018-01-20']);
    expect(isos('31/02/2018')).toEqual([]);
    expect(isoDate(2018, 2, 29)).toBeNull();
  });

  it('reads digits OCR read as letters, a lost leading 2 of the year, and 6/8/9 for the 0 of 20xx', () => {
    expect(isos('Date: 11/09/2¢17')).toEqual(['2017-09-11']);
    expect(isos('Date : D3/D6/017 5:02 PM')).toEqual(['2017-06-03']);
    expect(isos('14 Mar 2618 18:40')).toEqual(['2018-03-14']);
    expect(findDatesInText('Date: 11/09/2¢17', 0, 'DMY')[0].repaired).toBe(true);
    // Mostly letters, or a stand-in letter that ends a word, is not a date.
    expect(isos('SOLD/IS/ZOOS')).toEqual([]);
    expect(isos('BIS/10/2017 ')).toEqual([]);
  });

  it('reads dates without separators or with one lost, and times glued to the year', () => {
    expect(isos('21032018 No: CS-1024')).toEqual(['2018-03-21']);
    expect(isos('EE DD: 1109/2017 11:58')).toEqual(['2017-09-11']);
    expect(isos('17/012018', 'MDY')).toEqual(['2018-01-17']);
    expect(isos('17/01/201808:53')).toEqual(['2018-01-17']);
    expect(isos('15-08-2017-12:29')).toEqual(['2017-08-15']);
    expect(isos('15-08-2017-12.29')).toEqual([]);
    expect(isos('2018-11-1818.5834')).toEqual(['2018-11-18']);
    expect(isos('2018-11-1818:58')).toEqual(['2018-11-18']);
    expect(isos('12 Mar188:54 A')).toEqual(['2018-03-12']);
    expect(isos('Mar 12, 20188:54')).toEqual(['2018-03-12']);
    // Two digits before a colon are the hour, not the end of a four-digit year, unless that year is
    // 19xx or 20xx (a space read as a colon).
    expect(isos('4/15/1612:03:14PM', 'MDY')).toEqual(['2016-04-15']);
    expect(isos('15-08-2017:12529')).toEqual(['2017-08-15']);
    expect(isos('12 Mar 1810:54')).toEqual(['2018-03-12']);
    expect(isos('Mar 12 1810:54')).toEqual(['2018-03-12']);
    expect(isos('Date: 25/12/2018: paid')).toEqual(['2018-12-25']);
    // A time before the date, the space between lost: the time's minutes are two digits.
    expect(isos('22:484.8.2016')).toEqual(['2016-08-04']);
    expect(isos('22:4 84.8.2016')).toEqual([]);
    // A four-digit year of 19xx or 20xx ends the date: digits after it start the next fields.
    expect(isos('17/01/20184 2153')).toEqual(['2018-01-17']);
    expect(isos('17/01/201842153')).toEqual(['2018-01-17']);
    expect(isos('17/01/16184')).toEqual([]);
    // Three digits after the month and no time: not a day.
    expect(isos('2018-11-181')).toEqual([]);
    expect(isos('Jan Mar18°18 10:54AM')).toEqual(['2018-03-18']);
  });

  it('reads month names with a letter read as a digit', () => {
    expect(isos('E5TS 4 FE8 18/17 8:19FH')).toEqual(['2017-02-18']);
    expect(isos('12 N0V 2019')).toEqual(['2019-11-12']);
    expect(isos('0CT 3, 2020')).toEqual(['2020-10-03']);
  });

  it('reads a full month name with one letter misread, but not a word two letters away', () => {
    expect(isos('Tuesday. Harch 27th 2018 7:51 pm')).toEqual(['2018-03-27']);
    expect(isos('3 Apri1 2019')).toEqual(['2019-04-03']);
    // Its day printed right after it, the space lost.
    expect(isos('Tuesdty. Harch27th 2018 7:51 p')).toEqual(['2018-03-27']);
    expect(isos('WATCH 27 2018')).toEqual([]);
    expect(isos('WATCH27 2018')).toEqual([]);
  });

  it('reads month names of European receipts, with or without their accents', () => {
    expect(isos('jeudi 23 juin 2016 14:42')).toEqual(['2016-06-23']);
    expect(isos('5 août 2019')).toEqual(['2019-08-05']);
    expect(isos('3 déc. 2023')).toEqual(['2023-12-03']);
    expect(isos('14. März 2024')).toEqual(['2024-03-14']);
    expect(isos('12 Okt 2021')).toEqual(['2021-10-12']);
    expect(isos('12-AGO-2019')).toEqual(['2019-08-12']);
    expect(isos('1 dic 2022')).toEqual(['2022-12-01']);
    expect(isos('2 gennaio 2024')).toEqual(['2024-01-02']);
    expect(isos('7 mei 2020')).toEqual(['2020-05-07']);
    expect(isos('18 avr. 2014')).toEqual(['2014-04-18']);
    // Abbreviations that are words on receipts are not months, nor are longer words that start like one.
    expect(isos('1 SET 12.90')).toEqual([]);
    expect(isos('2 GENERAL 12.00')).toEqual([]);
    expect(isos('1 MAIS 10.00')).toEqual([]);
  });

  it('does not read money or phone numbers as dates', () => {
    expect(isos('TOTAL 12.50')).toEqual([]);
    expect(isos('TEL 03-8765 4321')).toEqual([]);
    expect(isos('MI11/3-21 - 12/480')).toEqual([]);
    expect(isos('25.12/2018')).toEqual([]);
  });
});

describe('pickDate', () => {
  it('takes the surer copy of a timestamp printed twice', () => {
    const ocr = ocrFromLines(['Server: Ann 1/26/2013 7:03:09 PM', 'Coffee 2.50', 'TOTAL 2.50', 'Opened: 7/26/2013 7:03:09 PM']);
    for (const w of ocr.lines[0].words) w.confidence = 0.5;
    expect(pickDate(buildRows(ocr), ctx({ order: 'MDY' }))?.iso).toBe('2013-07-26');
    // Different times of day are different dates: the earlier row stands.
    const other = ocrFromLines(['Server: Ann 1/26/2013 7:03:09 PM', 'Coffee 2.50', 'Opened: 7/26/2013 9:15:00 PM']);
    for (const w of other.lines[0].words) w.confidence = 0.5;
    expect(pickDate(buildRows(other), ctx({ order: 'MDY' }))?.iso).toBe('2013-01-26');
  });

  it('uses the user order for an ambiguous date', () => {
    expect(pick(['SHOP', '05/03/2018'])?.iso).toBe('2018-03-05');
    expect(pick(['SHOP', '05/03/2018'], { order: 'MDY' })?.iso).toBe('2018-05-03');
  });

  it('lets a day above 12 elsewhere on the receipt settle the order', () => {
    const p = pick(['SHOP', 'Date 05/03/2018', 'Valid until 28/03/2018'], { order: 'MDY' });
    expect(p?.iso).toBe('2018-03-05');
    expect(p?.order).toBe('DMY');
  });

  it('lets a date whose second number is above 12 settle month first', () => {
    const p = pick(['SHOP', 'Date 05/03/2018', 'Valid until 03/28/2018']);
    expect(p?.iso).toBe('2018-05-03');
    expect(p?.order).toBe('MDY');
  });

  it('lets the country cue override the user order', () => {
    expect(pick(['SHOP', '05/03/2018'], { order: 'MDY', countryOrder: 'DMY' })?.iso).toBe('2018-03-05');
  });

  it('prefers the date printed with a time, and not an offer end date', () => {
    expect(pick(['OrderNo 1106 06/07/18', 'Pie 10.50', '06/07/16 13:54'])?.iso).toBe('2016-07-06');
    expect(pick(['05/25/2017 1:00 PM', 'Discount ends 12/31/2017'], { order: 'MDY' })?.iso).toBe('2017-05-25');
    expect(pick(['Offer ends 12/31/2017', 'SHOP'], { order: 'MDY' })?.confidence).toBeLessThan(0.5);
  });

  it('prefers a cleanly printed date over one read through stand-in characters', () => {
    expect(pick(['11/O9/2¢17 SHOP', 'Cashier 2 12/09/2017'])?.iso).toBe('2017-09-12');
  });

  it('prefers the labelled purchase date over an expiry date', () => {
    expect(pick(['Exp 01/2020 12/12/2019', 'Date: 03/04/2018'])?.iso).toBe('2018-04-03');
  });

  it('reads a date under a Date column header', () => {
    expect(pick(['2018-04-08 17:36:35', 'Date     Time   No', '06/04/18 17:36 4176'])?.iso).toBe('2018-04-06');
  });

  it('warns about a future date', () => {
    const p = pick(['Date: 2025-01-02']);
    expect(p?.iso).toBe('2025-01-02');
    expect(p?.warnings[0]).toMatch(/future/);
    expect(p?.confidence).toBeLessThan(0.5);
  });

  it('warns about a date decades old and prefers a plausible one', () => {
    const old = pick(['Date: 12/01/1981']);
    expect(old?.warnings[0]).toMatch(/more than 15 years old/);
    expect(pick(['Printed 12/01/1981', 'Date: 13/01/2019'])?.iso).toBe('2019-01-13');
  });

  it('allows a day of clock or time-zone slack after the scan day', () => {
    expect(pick(['Date: 2019-06-02'])?.warnings).toEqual([]);
    expect(pick(['Date: 2019-06-03'])?.warnings[0]).toMatch(/future/);
  });

  it('doubts a year well before the other dates on the receipt and prefers a date that is not', () => {
    // "2018" read as "2013" in the labelled date; the other two dates have the year right.
    const p = pick(['Date: 12/03/2013 10:00', 'TOTAL 9.00', '12/03/2018 10:02', 'Member 12/03/2018']);
    expect(p?.iso).toBe('2018-03-12');
    // One date against one: the usual evidence decides, and a person checks the year.
    const tie = pick(['Date: 12/03/2013 10:00', 'TOTAL 9.00', 'Member 12/03/2018']);
    expect(tie?.iso).toBe('2013-03-12');
    expect(tie?.warnings[0]).toMatch(/also prints 2018-03-12: one of the years may be misread/);
    // A year apart is New Year, an expiry date is no reference: no doubt.
    expect(pick(['Date: 31/12/2017 23:58', 'Printed 01/01/2018'])?.warnings).toEqual([]);
    expect(pick(['Date: 12/03/2016', 'Valid until 12/03/2019'])?.warnings).toEqual([]);
  });

  it('swaps an ambiguous date that would lie in the future', () => {
    // 05/12/2019 read day-first is December, after "today" (June 2019); month-first it is May.
    expect(pick(['Date: 05/12/2019'])?.iso).toBe('2019-05-12');
  });

  it('returns null when no date is printed', () => {
    expect(pick(['SHOP', 'TOTAL 9.00'])).toBeNull();
  });
});
