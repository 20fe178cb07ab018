import { describe, expect, it } from 'vitest';
import { extractFields } from './extract';
import { ocrFromLines } from './ocr-fixture';
import { linesToReread, MAX_LINES_PER_FIELD } from './reread-lines';

const extract = (lines: string[]) => {
  const ocr = ocrFromLines(lines);
  return { ocr, fields: extractFields(ocr, { dateOrder: 'DMY', defaultCurrency: 'USD', today: new Date('2024-06-01') }) };
};

describe('linesToReread', () => {
  it('asks for nothing when the date and a checked total were read', () => {
    const { ocr, fields } = extract(['CORNER CAFE', 'Date: 14/03/2024 10:22', 'Latte 4.50', 'SUBTOTAL 4.50', 'TAX 0.45', 'TOTAL 4.95']);
    expect(linesToReread(ocr, fields)).toEqual([]);
  });

  it('re-reads the lines that look like a date, or carry a date label, when no date was read', () => {
    // The date's separators were lost: "14O3 2O24" reads as no date at all.
    const { ocr, fields } = extract(['CORNER CAFE', 'Date: 14O3 2O24', 'Time 10:22', 'Latte 4.50', 'TOTAL 4.50', 'Ref 1234']);
    expect(fields.date).toBeNull();
    // Not the amounts: a single dot is a decimal point.
    expect(linesToReread(ocr, fields).filter((l) => l.field === 'date')).toEqual([
      { line: 1, field: 'date' },
      { line: 2, field: 'date' },
    ]);
  });

  it('re-reads the total and the lines it must add up from when the sum does not check', () => {
    const { ocr, fields } = extract([
      'CORNER CAFE',
      'Date: 14/03/2024',
      'Latte 4.50',
      'SUBTOTAL 4.50',
      'TAX 0.45',
      'TOTAL 5.95',
      'CASH 10.00',
    ]);
    expect(fields.confidence.total).toBeLessThan(0.7);
    // The total first, then what it adds up from, as far as the limit goes.
    expect(linesToReread(ocr, fields, ['total'])).toEqual([
      { line: 3, field: 'total' },
      { line: 5, field: 'total' },
    ]);
    expect(linesToReread(ocr, fields, ['date'])).toEqual([]);
  });

  it('re-reads a total label read apart from its amount: the line is cut across the page', () => {
    // The amount was not read at all.
    const { ocr, fields } = extract(['CORNER CAFE', 'Date: 14/03/2024', 'TOTAL', 'Thank you']);
    expect(fields.totalMinor).toBeNull();
    expect(linesToReread(ocr, fields)).toEqual([{ line: 2, field: 'total' }]);
  });

  it('re-reads at most a few lines per field, the likeliest first, in page order', () => {
    const lines = ['SHOP', 'Date:', ...Array.from({ length: 8 }, (_, i) => `Item ${i} 1-${i}`), 'TOTAL 1.00'];
    const { ocr, fields } = extract(lines);
    expect(fields.date).toBeNull();
    const dates = linesToReread(ocr, fields).filter((l) => l.field === 'date');
    expect(dates).toHaveLength(MAX_LINES_PER_FIELD);
    expect(dates[0]).toEqual({ line: 1, field: 'date' });
    expect(dates.map((d) => d.line)).toEqual([...dates.map((d) => d.line)].sort((a, b) => a - b));
  });
});
