import { describe, expect, it } from 'vitest';
import { buildRows, typicalRowHeight, verticalOverlap } from './layout';
import { lineBoxesOnly, ocrFromLines, textOnly } from './ocr-fixture';

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

  it("places the words of a line given only as a box by character position, at the line's confidence", () => {
    const shop = { text: 'SHOP', confidence: 0.9, bbox: { x0: 40, y0: 10, x1: 120, y1: 32 } };
    // 11 characters over 220 px: 20 px each, so "12.50" (characters 6..10) spans 420..520.
    const total = { text: 'TOTAL 12.50', confidence: 0.8, bbox: { x0: 300, y0: 100, x1: 520, y1: 122 } };
    const rows = buildRows({ text: 'SHOP\nTOTAL 12.50', confidence: 0.85, lines: [shop, total], width: 600, height: 200, engine: 'x' });
    expect(rows.map((r) => r.text)).toEqual(['SHOP', 'TOTAL 12.50']);
    expect(rows[1].synthetic).toBe(false);
    expect(rows[1].words[1]).toEqual({ text: '12.50', box: { x0: 420, y0: 100, x1: 520, y1: 122 }, confidence: 0.8, start: 6 });
    expect(rows[1].confidence).toBe(0.8);
  });

  it('builds the same rows from line boxes only as from words, joining pieces on one baseline', () => {
    const ocr = ocrFromLines(['GREEN FIELD', 'SUBTOTAL|        51.90', 'TAX 6%|           4.68', 'TOTAL|           56.58'], {
      columns: true,
      yJitter: 3,
    });
    const rows = buildRows(lineBoxesOnly(ocr));
    expect(rows.map((r) => r.text)).toEqual(['GREEN FIELD', 'SUBTOTAL 51.90', 'TAX 6% 4.68', 'TOTAL 56.58']);
    expect(rows).toEqual(buildRows(ocr));
  });

  it('lays out words that come without boxes as text', () => {
    const empty = { x0: 0, y0: 0, x1: 0, y1: 0 };
    const line = (text: string) => ({
      text,
      confidence: 0.8,
      bbox: empty,
      words: text.split(' ').map((w) => ({ text: w, confidence: 0.8, bbox: empty })),
    });
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
