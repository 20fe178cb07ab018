import { describe, expect, it } from 'vitest';
import type { Box, OcrLine } from '../ocr/engine';
import { buildRows, pageSlant, typicalRowHeight, verticalOverlap } from './layout';
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

  // A photo taken at an angle: each row runs 0.08 px lower per px to the right, so an amount at the
  // far right sits as low as the next row's label.
  const SLANTED = [
    'CAFE LUNA DOWNTOWN BRANCH',
    'Server: Ana   Table: 12',
    'Flat white|                   4.50',
    'Carrot cake|                  6.00',
    'SUBTOTAL|                    10.50',
    'TAX|                          0.95',
    'TOTAL|                       11.45',
  ];

  it('reads the rows of a slanted photo along the slant the long lines show', () => {
    const ocr = ocrFromLines(SLANTED, { columns: true, slant: 0.08 });
    // Unstraightened, 10.50 (at x ≈ 400, 32 px lower) lies level with TAX, a row below its label.
    const tax = ocr.lines.find((l) => l.text === 'TAX')!.bbox;
    expect(verticalOverlap(tax, ocr.lines.find((l) => l.text === '10.50')!.bbox)).toBeGreaterThanOrEqual(0.6);
    expect(buildRows(ocr).map((r) => r.text)).toEqual([
      'CAFE LUNA DOWNTOWN BRANCH',
      'Server: Ana Table: 12',
      'Flat white 4.50',
      'Carrot cake 6.00',
      'SUBTOTAL 10.50',
      'TAX 0.95',
      'TOTAL 11.45',
    ]);
    // The rows keep the page's boxes: the amount is where it was read.
    expect(buildRows(ocr)[4].words[1].box).toEqual(ocr.lines.find((l) => l.text === '10.50')!.bbox);
  });

  // A photo in perspective: the top of the receipt slants 0.08, the bottom not at all.
  const PERSPECTIVE = [
    'ARAXI BURGER AVENTURA BRANCH',
    '17861 BISCAYNE BLVD MIAMI',
    'Server: Valerie   03/17/19 5:39 PM',
    '2 Vanilla Bean|               12.00',
    'Classic Burger 4oz|            8.00',
    'Route 66 Burger 8oz|          14.00',
    'Subtotal|                     34.00',
    'Service Charge 18%|            6.12',
    'Tax|                           2.14',
    'Total|                        42.26',
    'Thank you for dining with us',
  ];

  it('reads each part of a photo in perspective along the slant its own lines show', () => {
    const ocr = ocrFromLines(PERSPECTIVE, { columns: true, slant: (row) => 0.08 * Math.max(0, 1 - row / 6) });
    expect(buildRows(ocr).map((r) => r.text)).toEqual(PERSPECTIVE.map((line) => line.replace('|', ' ').replace(/ +/g, ' ')));
  });

  describe('pageSlant', () => {
    // A line whose first and last words' centres lie 200 px apart, `slant` lower at the right, centred at height y.
    const line = (slant: number, y = 0): Box[] => [
      { x0: 0, y0: y - 10 - 100 * slant, x1: 40, y1: y + 10 - 100 * slant },
      { x0: 200, y0: y - 10 + 100 * slant, x1: 240, y1: y + 10 + 100 * slant },
    ];

    it('is the slant of the lines all over a page that slants evenly', () => {
      const slant = pageSlant([line(0.08, 0), line(0.081, 100), line(0.079, 200)]);
      for (const y of [-50, 0, 150, 400]) expect(slant(y)).toBeCloseTo(0.08, 2);
    });

    it('goes from the slant of the lines above to that of the lines below, and is theirs beyond them', () => {
      const slant = pageSlant([line(0.06, 0), line(0.06, 100), line(0.03, 200), line(0, 300), line(0, 400)]);
      expect(slant(-100)).toBeCloseTo(0.06, 3);
      expect(slant(150)).toBeCloseTo(0.045, 3);
      expect(slant(250)).toBeCloseTo(0.015, 3);
      expect(slant(1000)).toBeCloseTo(0, 3);
    });

    it('does not follow one line read askew', () => {
      const slant = pageSlant([line(0.05, 0), line(0.05, 100), line(-0.2, 200), line(0.05, 300), line(0.05, 400)]);
      expect(slant(200)).toBeCloseTo(0.05, 3);
    });

    it('is level when too few lines tell: two, or lines whose words are close together', () => {
      expect(pageSlant([line(0.08), line(0.08, 100)])(50)).toBe(0);
      const short: Box[] = [
        { x0: 0, y0: 0, x1: 20, y1: 20 },
        { x0: 30, y0: 5, x1: 50, y1: 25 },
      ];
      expect(pageSlant([short, short, short])(0)).toBe(0);
    });
  });

  it('puts a line in a gap between lines of its row, whichever was found first', () => {
    const piece = (text: string, x0: number, y0: number): OcrLine => {
      const bbox = { x0, y0, x1: x0 + text.length * 10, y1: y0 + 22 };
      return { text, confidence: 0.9, bbox, words: [{ text, confidence: 0.9, bbox }] };
    };
    // The date's box sits a little higher than the label before it, so it is placed in the row first.
    const lines = [piece('No. CS00035863', 0, 100), piece('13/03/2018', 260, 96), piece('Date:', 190, 101)];
    const rows = buildRows({ text: '', confidence: 0.9, lines, width: 400, height: 200, engine: 'x' });
    expect(rows.map((r) => r.text)).toEqual(['No. CS00035863 Date: 13/03/2018']);
  });

  it('does not let a tall line standing across two rows join the second row to the first', () => {
    const piece = (text: string, x0: number, y0: number, y1 = y0 + 40): OcrLine => {
      const bbox = { x0, y0, x1: x0 + text.length * 20, y1 };
      return { text, confidence: 0.9, bbox, words: [{ text, confidence: 0.9, bbox }] };
    };
    const lines = [
      piece('TOTAL', 20, 1140),
      piece('$84.11', 900, 1144),
      // Smudge read as one tall line over both rows.
      piece('RT', 590, 1112, 1248),
      piece('Master', 20, 1188),
      piece('card', 380, 1191),
      piece('$84.11', 900, 1199),
    ];
    const rows = buildRows({ text: '', confidence: 0.9, lines, width: 1100, height: 1400, engine: 'x' });
    expect(rows.map((r) => r.text)).toEqual(['TOTAL RT $84.11', 'Master card $84.11']);
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
