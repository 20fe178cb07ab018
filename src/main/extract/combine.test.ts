import { describe, expect, it } from 'vitest';
import { combineExtractions, wantsSecondPass } from './combine';
import { extractFields } from './extract';
import { ocrFromLines } from './ocr-fixture';

const today = new Date('2019-06-01T00:00:00Z');
const read = (lines: string[]) => extractFields(ocrFromLines(lines), { dateOrder: 'DMY', defaultCurrency: 'MYR', today });

const GOOD = ['KEDAI MAJU SDN BHD', 'Date: 02/03/2018', 'SUBTOTAL 10.00', 'GST 0.60', 'TOTAL 10.60', 'CASH 20.00', 'CHANGE 9.40'];
// The same receipt with the date and the money lines misread.
const POOR = ['KEDAI MAJU SDN BHD', 'Date: O2/O3/2Ol8', 'SUBT 1O.OO', 'TOTAL 16.60', 'GST 0.6O', 'CASH 2O.OO', 'CHANGE'];

describe('wantsSecondPass', () => {
  it('asks for another pass when the total is doubtful or the date missing', () => {
    expect(wantsSecondPass(read(GOOD))).toBe(false);
    expect(wantsSecondPass(read(POOR))).toBe(true);
    expect(wantsSecondPass(read(['KEDAI MAJU SDN BHD', 'TOTAL 10.60']))).toBe(true);
  });
});

describe('combineExtractions', () => {
  it('takes each field from the reading with more confidence behind it', () => {
    const poor = read(POOR);
    const good = read(GOOD);
    expect(poor.totalMinor).toBe(1660);
    const combined = combineExtractions([poor, good]);
    expect(combined).toMatchObject({ merchant: 'KEDAI MAJU SDN BHD', date: '2018-03-02', totalMinor: 1060, taxMinor: 60 });
    expect(combined.confidence.merchant).toBeGreaterThan(poor.confidence.merchant as number);
    expect(combined.warnings).toEqual([]);
  });

  it('keeps a missing-field warning only when no pass found the field', () => {
    const a = read(['KEDAI MAJU SDN BHD', 'TOTAL 10.60']);
    const b = read(['KEDAI MAJU SDN BHD', 'Date: 02/03/2018', 'TOTAL 10.60']);
    expect(a.warnings).toContain('no date found');
    const combined = combineExtractions([a, b]);
    expect(combined.date).toBe('2018-03-02');
    expect(combined.warnings).not.toContain('no date found');
    expect(combineExtractions([a, a]).warnings).toContain('no date found');
  });

  it('flags a receipt whose readings disagree on a total that no arithmetic backs', () => {
    const a = read(['KEDAI MAJU SDN BHD', 'Date: 02/03/2018', 'TOTAL 12.00']);
    const b = read(['KEDAI MAJU SDN BHD', 'Date: 02/03/2018', 'TOTAL 9.00']);
    const combined = combineExtractions([a, b]);
    expect(combined.warnings.filter((w) => w.includes('disagree'))).toEqual([
      `the readings disagree on the total: ${(combined.totalMinor! / 100).toFixed(2)} kept, ${combined.totalMinor === 1200 ? '9.00' : '12.00'} also read`,
    ]);
    // Readings that agree, or a total the sum of subtotal and tax confirms, need no such warning.
    expect(combineExtractions([a, a]).warnings.some((w) => w.includes('disagree'))).toBe(false);
    expect(combineExtractions([read(POOR), read(GOOD)]).warnings).toEqual([]);
  });

  it('takes the reading that read the name further, not one with specks after it', () => {
    const name = (first: string, second: string) =>
      combineExtractions([read([first, 'Date: 02/03/2018', 'TOTAL 10.60']), read([second, 'Date: 02/03/2018', 'TOTAL 10.60'])]).merchant;
    expect(name('HOLLYWOOD CAFE', 'HOLLYWOOD CAFE & SPORT')).toBe('HOLLYWOOD CAFE & SPORT');
    expect(name('HOLLYWOOD CAFE & SPORT', 'HOLLYWOOD CAFE')).toBe('HOLLYWOOD CAFE & SPORT');
    expect(name('Loaded Cafe', 'Loaded Cafe ls')).toBe('Loaded Cafe');
  });

  it('returns a single pass unchanged and refuses none', () => {
    const one = read(GOOD);
    expect(combineExtractions([one])).toBe(one);
    expect(() => combineExtractions([])).toThrow();
  });
});
