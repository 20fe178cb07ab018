// Orientation on generated receipts, read by real tesseract workers: upright pages once, pages turned
// upside down or sideways each way read the right way up, saying the turn (and a note for people).
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptImage } from '../../testing/receipt-image';
import type { OcrInput, OcrResult } from '../engine';
import { readAgainTurned, readingQuality } from './orientation';
import { turnNote } from '../turns';
import { preparePages } from '../prepare';
import { createTesseractEngine, type TesseractEngine } from './tesseract';

const LINES = [
  'HILLTOP BAKERY',
  '4 Station Road',
  'Date: 21/06/2024',
  '--------------------------',
  'Sourdough loaf        4.20',
  'Croissant x2          3.60',
  'Coffee                2.80',
  '--------------------------',
  'SUBTOTAL             10.60',
  'TAX                   0.85',
  'TOTAL                11.45',
  'Thank you',
];

let dir: string;
let engine: TesseractEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orientation-'));
  engine = createTesseractEngine({ workers: 2 });
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

async function input(name: string, image: Buffer): Promise<OcrInput> {
  const path = join(dir, name);
  await writeFile(path, image);
  return { path, mime: 'image/png', size: (await stat(path)).size, prepare: () => preparePages(path, 'image/png') };
}

const reading = (words: [string, number][]): OcrResult => {
  const box = { x0: 0, y0: 0, x1: 10, y1: 10 };
  const ws = words.map(([text, confidence]) => ({ text, confidence, bbox: box }));
  return {
    text: words.map((w) => w[0]).join(' '),
    confidence: 0,
    lines: [{ text: '', confidence: 0, bbox: box, words: ws }],
    width: 10,
    height: 10,
    engine: 'tesseract',
  };
};

describe('readingQuality', () => {
  it('counts the characters of confidently read, word-like tokens', () => {
    expect(
      readingQuality(
        reading([
          ['TOTAL', 0.91],
          ['11.45', 0.88],
        ]),
      ),
    ).toBe(9 / 10);
    // Too short, too unsure, mostly symbols: none count.
    expect(
      readingQuality(
        reading([
          ['Oo', 0.9],
          ['TOTAL', 0.4],
          ['«+~1', 0.8],
        ]),
      ),
    ).toBe(0);
    expect(readingQuality(reading([]))).toBe(0);
  });

  it("counts the words of a line that comes as a box only, at the line's confidence", () => {
    const line = (confidence: number) => ({ text: 'TOTAL 11.45', confidence, bbox: { x0: 0, y0: 0, x1: 110, y1: 10 } });
    const only = (confidence: number): OcrResult => ({
      text: 'TOTAL 11.45',
      confidence,
      lines: [line(confidence)],
      width: 110,
      height: 10,
      engine: 'x',
    });
    expect(readingQuality(only(0.9))).toBe(9 / 10);
    expect(readingQuality(only(0.4))).toBe(0);
  });
});

describe('reading pages the right way up', () => {
  it('reads an upright page once, with no turn or note', async () => {
    const before = engine.stats().recognitions;
    const result = await engine.recognize(await input('upright.png', await renderReceiptImage(LINES)));
    expect(engine.stats().recognitions - before).toBe(1);
    expect(result.text).toContain('TOTAL 11.45');
    expect(result.pages).toBeUndefined();
    expect(result.notes ?? []).toEqual([]);
  });

  it('reads an upside-down page turned 180° and says so', async () => {
    const before = engine.stats().recognitions;
    const result = await engine.recognize(await input('upside-down.png', await renderReceiptImage(LINES, { rotate: 180 })));
    expect(result.text).toContain('TOTAL 11.45');
    expect(result.pages).toEqual([{ turn: 180 }]);
    expect(result.notes).toEqual(['page 1 was upside down; read turned 180°']);
    // The poor first reading, three reduced copies turned, the page turned.
    expect(engine.stats().recognitions - before).toBe(5);
  });

  it('tries no turns when told the page is upright (a line cut from a page already read)', async () => {
    const before = engine.stats().recognitions;
    const result = await engine.recognize(await input('told-upright.png', await renderReceiptImage(LINES, { rotate: 180 })), {
      upright: true,
    });
    expect(engine.stats().recognitions - before).toBe(1);
    expect(result.notes ?? []).toEqual([]);
  });

  it('reads pages again turned as an earlier reading found them, once each', async () => {
    const turned = await input('again.png', await renderReceiptImage(LINES, { rotate: 180 }));
    const before = engine.stats().recognitions;
    const result = await readAgainTurned(engine, turned, [{ turn: 180 }]);
    expect(engine.stats().recognitions - before).toBe(1);
    expect(result.text).toContain('TOTAL 11.45');
    expect(result.pages).toEqual([{ turn: 180 }]);
    expect(result.notes).toEqual([turnNote(1, 180)]);
  });

  it('reads sideways pages upright whichever way they were turned', async () => {
    const [right, left] = await Promise.all(
      ([90, 270] as const).map(async (rotate) =>
        engine.recognize(await input(`sideways-${rotate}.png`, await renderReceiptImage(LINES, { rotate }))),
      ),
    );
    // A page the fixture turned 90° clockwise is read turned back, anticlockwise.
    expect([right!.pages, right!.notes]).toEqual([[{ turn: 270 }], ['page 1 was sideways; read turned 90° anticlockwise']]);
    expect([left!.pages, left!.notes]).toEqual([[{ turn: 90 }], ['page 1 was sideways; read turned 90° clockwise']]);
    for (const r of [left!, right!]) expect(r.text).toContain('TOTAL 11.45');
  });
});
