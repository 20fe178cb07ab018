import { describe, expect, it } from 'vitest';
import { buildRows, typicalRowHeight, verticalOverlap } from './layout';
import { ocrFromLines, textOnly } from './ocr-fixture';

describe('buildRows', () => {
  it('keeps word boxes and character offsets of each row', () => {
    const rows = buildRows(ocrFromLines(['GREEN FIELD', 'TOTAL 56.58']));
    expect(rows.map((r) => r.text)).toEqual(['GREEN FIELD', 'TOTAL 56.58']);
    expect(rows[1].words[1]).toMatchObject({ text: '56.58', start: 6 });
    expect(rows[1].synthetic).toBe(false);
  });

  it('joins a label and its amount reported as separate lines on one baseline', () => {
    const ocr = ocrFromLines(['SUBTOTAL|        51.90', 'TAX|             4.68', 'TOTAL|           56.58'], {
      columns: true,
      yJitter: 3,
    });
    expect(ocr.lines.map((l) => l.text)).toEqual(['SUBTOTAL', 'TAX', 'TOTAL', '51.90', '4.68', '56.58']);
    expect(buildRows(ocr).map((r) => r.text)).toEqual(['SUBTOTAL 51.90', 'TAX 4.68', 'TOTAL 56.58']);
  });

  it('lays out words that come without boxes as text', () => {
    const empty = { x0: 0, y0: 0, x1: 0, y1: 0 };
    const line = (text: string) => ({ text, confidence: 0.8, bbox: empty, words: text.split(' ').map((w) => ({ text: w, confidence: 0.8, bbox: empty })) });
    const rows = buildRows({ text: '', confidence: 0.8, lines: [line('SHOP'), line('TOTAL 9.00')], width: 0, height: 0, engine: 'x' });
    expect(rows.map((r) => r.text)).toEqual(['SHOP', 'TOTAL 9.00']);
    expect(rows[1].synthetic).toBe(true);
    expect(rows[1].words[1].box.x0).toBeGreaterThan(0);
  });

  it('builds rows from plain text when the engine gives no words', () => {
    const rows = buildRows(textOnly(['SHOP', '', 'TOTAL   9.00']));
    expect(rows.map((r) => r.text)).toEqual(['SHOP', 'TOTAL 9.00']);
    expect(rows.every((r) => r.synthetic)).toBe(true);
    expect(rows[1].words[1].box.x0).toBeGreaterThan(rows[1].words[0].box.x1);
  });
});

describe('geometry helpers', () => {
  it('measures vertical overlap relative to the shorter box', () => {
    expect(verticalOverlap({ x0: 0, y0: 0, x1: 1, y1: 10 }, { x0: 5, y0: 5, x1: 6, y1: 25 })).toBe(0.5);
    expect(verticalOverlap({ x0: 0, y0: 0, x1: 1, y1: 10 }, { x0: 0, y0: 20, x1: 1, y1: 30 })).toBe(0);
  });

  it('takes the median row height', () => {
    expect(typicalRowHeight(buildRows(ocrFromLines(['A', 'B', 'C'])))).toBe(22);
  });
});
