import { describe, expect, it } from 'vitest';
import type { OcrResult } from './engine';
import { pageProgress, stackPages } from './stack-pages';

const page = (text: string, width: number, height: number, engine = 'tesseract', notes?: string[]): OcrResult => {
  const bbox = { x0: 10, y0: 20, x1: 110, y1: 40 };
  return {
    text,
    confidence: 0.8,
    lines: [{ text, confidence: 0.8, bbox, words: [{ text, confidence: engine === 'pdf-text' ? 1 : 0.8, bbox }] }],
    width,
    height,
    engine,
    ...(notes ? { notes } : {}),
  };
};

describe('stackPages', () => {
  it('returns a single page unchanged', () => {
    const one = page('TOTAL 1.00', 500, 800);
    expect(stackPages([one])).toBe(one);
  });

  it('puts each page below the one before, in order, as one tall document', () => {
    const doc = stackPages([page('CAFE', 1000, 1400), page('TOTAL 8.32', 1000, 600)]);
    expect(doc.text).toBe('CAFE\nTOTAL 8.32');
    expect([doc.width, doc.height]).toEqual([1000, 2000]);
    expect(doc.lines.map((l) => l.bbox.y0)).toEqual([20, 1420]);
    expect(doc.lines[1]!.words![0]!.bbox).toEqual({ x0: 10, y0: 1420, x1: 110, y1: 1440 });
    expect(doc.engine).toBe('tesseract');
  });

  it("keeps each page's turn in page order; pages read as they are say nothing", () => {
    const turned = { ...page('TOTAL', 1000, 600), pages: [{ turn: 180 as const }] };
    expect(stackPages([page('CAFE', 1000, 1400), turned, page('THANKS', 1000, 200)]).pages).toEqual([
      { turn: 0 },
      { turn: 180 },
      { turn: 0 },
    ]);
    expect(stackPages([page('CAFE', 1000, 1400), page('TOTAL', 1000, 600)]).pages).toBeUndefined();
  });

  it("says which page of the file each page is, where the caller knows: a PDF's blank page 2 was not read", () => {
    const turned = { ...page('TOTAL', 1000, 600), pages: [{ turn: 90 as const }] };
    expect(stackPages([page('CAFE', 1000, 1400), turned], [1, 3]).pages).toEqual([
      { turn: 0, filePage: 1 },
      { turn: 90, filePage: 3 },
    ]);
    // One page read of a longer file keeps its page too, and so does a page stacked again.
    const only = stackPages([page('TOTAL', 1000, 600)], [2]);
    expect(only.pages).toEqual([{ turn: 0, filePage: 2 }]);
    expect(stackPages([page('CAFE', 1000, 1400), only]).pages).toEqual([{ turn: 0 }, { turn: 0, filePage: 2 }]);
  });

  it('scales pages to the widest, so a text page in points and a scan in pixels share coordinates', () => {
    const doc = stackPages([page('CAFE', 250, 400, 'pdf-text'), page('TOTAL', 1000, 600)]);
    // The 250 pt page is drawn 4× to be 1000 wide: its box and height grow 4×.
    expect(doc.lines[0]!.bbox).toEqual({ x0: 40, y0: 80, x1: 440, y1: 160 });
    expect(doc.lines[1]!.bbox.y0).toBe(1600 + 20);
    expect([doc.width, doc.height]).toEqual([1000, 2200]);
    // Where each page went, so a box can be taken back to its page.
    expect(doc.stacked).toEqual([
      { top: 0, scale: 4, width: 250, height: 400 },
      { top: 1600, scale: 1, width: 1000, height: 600 },
    ]);
    expect(doc.engine).toBe('pdf-text+tesseract');
    expect(doc.confidence).toBeCloseTo(0.9);
  });

  it('moves line boxes that come without words, and counts their words in the confidence', () => {
    const { words: _words, ...boxOnly } = page('TOTAL 8.32', 1000, 600).lines[0]!;
    const doc = stackPages([page('CAFE', 1000, 1400), { ...page('', 1000, 600), lines: [{ ...boxOnly, confidence: 0.5 }] }]);
    expect(doc.lines[1]).toEqual({ text: 'TOTAL 8.32', confidence: 0.5, bbox: { x0: 10, y0: 1420, x1: 110, y1: 1440 } });
    // CAFE at 0.8, TOTAL and 8.32 at the line's 0.5.
    expect(doc.confidence).toBeCloseTo(0.6);
  });

  it('keeps each distinct note and warning once', () => {
    const doc = stackPages([
      page('A', 100, 100, 'ocrspace', ['no confidence']),
      { ...page('B', 100, 100, 'ocrspace', ['no confidence', 'sent a copy']), warnings: ['page 2 failed'] },
    ]);
    expect(doc.notes).toEqual(['no confidence', 'sent a copy']);
    expect(doc.warnings).toEqual(['page 2 failed']);
    const plain = stackPages([page('A', 1, 1), page('B', 1, 1)]);
    expect([plain.notes, plain.warnings]).toEqual([undefined, undefined]);
  });
});

describe('pageProgress', () => {
  it('reports the mean of the pages read side by side', () => {
    const seen: number[] = [];
    const report = pageProgress(4, (f) => seen.push(f));
    report(0, 1);
    report(2, 0.5);
    report(0, 1);
    report(3, 1);
    expect(seen).toEqual([0.25, 0.375, 0.375, 0.625]);
  });
});
