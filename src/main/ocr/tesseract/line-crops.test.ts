import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ocrFromLines } from '../../extract/ocr-fixture';
import type { OcrLine, OcrResult, PreparedImage } from '../engine';
import { cropLine, linesOnPage, replaceLines } from './line-crops';

/** A white page with one black bar where a line of text would be. */
async function pageWithBar(width: number, height: number, bar: { x0: number; y0: number; x1: number; y1: number }): Promise<PreparedImage> {
  const ink = await sharp({ create: { width: bar.x1 - bar.x0, height: bar.y1 - bar.y0, channels: 3, background: '#000000' } })
    .png()
    .toBuffer();
  const data = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([{ input: ink, left: bar.x0, top: bar.y0 }])
    .greyscale()
    .png()
    .toBuffer();
  return { data, mime: 'image/png', width, height };
}

const line = (text: string, y0: number, y1: number, x0 = 10, x1 = 200): OcrLine => ({
  text,
  confidence: 0.9,
  bbox: { x0, y0, x1, y1 },
  words: [{ text, confidence: 0.9, bbox: { x0, y0, x1, y1 } }],
});

describe('cropLine', () => {
  it('cuts the band of the whole page width around the line and enlarges it to the line height asked for', async () => {
    const box = { x0: 40, y0: 100, x1: 160, y1: 112 };
    const page = await pageWithBar(300, 400, box);
    const crop = await cropLine(page, box, { lineHeight: 48 });
    expect(crop.scale).toBe(4);
    // Full width, the line plus a little paper above and below, a white border (12 px) round it.
    expect(crop.image.width).toBe(300 * 4 + 24);
    expect(crop.image.height).toBeGreaterThan(48 + 24);
    expect(crop.image.height).toBeLessThan(48 * 1.4 + 24);

    // The bar comes back where it was once the crop's coordinates are mapped to the page.
    const { data, info } = await sharp(crop.image.data).greyscale().raw().toBuffer({ resolveWithObject: true });
    const dark: number[] = [];
    const mid = Math.round(info.height / 2) * info.width;
    for (let x = 0; x < info.width; x++) if (data[mid + x]! < 128) dark.push(x);
    const reading: OcrResult = {
      text: 'X',
      confidence: 0.9,
      width: info.width,
      height: info.height,
      engine: 'test',
      lines: [line('X', 0, info.height, dark[0]!, dark[dark.length - 1]! + 1)],
    };
    const [mapped] = linesOnPage(crop, reading);
    expect(mapped!.bbox.x0).toBeCloseTo(40, -0.5);
    expect(mapped!.bbox.x1).toBeCloseTo(160, -0.5);
  });

  it('does not shrink a line already taller than asked, beyond half', async () => {
    const box = { x0: 0, y0: 10, x1: 100, y1: 200 };
    const crop = await cropLine(await pageWithBar(120, 240, box), box, { lineHeight: 48 });
    expect(crop.scale).toBe(0.5);
  });

  it('refuses a box outside the page', async () => {
    const page = await pageWithBar(100, 100, { x0: 0, y0: 0, x1: 10, y1: 10 });
    await expect(cropLine(page, { x0: 0, y0: 300, x1: 50, y1: 320 })).rejects.toThrow(/outside/);
  });
});

describe('linesOnPage', () => {
  it('keeps only the lines of the crop that lie on the re-read line, not slivers of its neighbours', async () => {
    const box = { x0: 0, y0: 50, x1: 100, y1: 62 };
    const crop = await cropLine(await pageWithBar(200, 200, box), box, { lineHeight: 48 });
    const y = (pageY: number): number => (pageY - crop.top) * crop.scale + 12;
    const reading: OcrResult = {
      text: '',
      confidence: 0.8,
      width: crop.image.width,
      height: crop.image.height,
      engine: 'test',
      lines: [line('sliver', y(48), y(50)), line('TOTAL 8.32', y(50), y(62)), line('sliver', y(62), y(64))],
    };
    const on = linesOnPage(crop, reading);
    expect(on.map((l) => l.text)).toEqual(['TOTAL 8.32']);
    expect(on[0]!.bbox.y0).toBeCloseTo(50, 5);
    expect(on[0]!.bbox.y1).toBeCloseTo(62, 5);
  });
});

describe('replaceLines', () => {
  it('puts the re-read line in place of the old one and of its pieces on the same band', () => {
    const ocr = ocrFromLines(['CORNER CAFE', 'TOTAL|        8.3Z', 'CASH 10.00']);
    expect(ocr.lines.map((l) => l.text)).toEqual(['CORNER CAFE', 'TOTAL', '8.3Z', 'CASH 10.00']);
    const band = { x0: 0, y0: ocr.lines[1]!.bbox.y0, x1: ocr.width, y1: ocr.lines[1]!.bbox.y1 };
    const out = replaceLines(ocr, [{ line: 1, band, lines: [line('TOTAL 8.32', band.y0, band.y1)] }]);
    expect(out.lines.map((l) => l.text)).toEqual(['CORNER CAFE', 'TOTAL 8.32', 'CASH 10.00']);
    expect(out.text).toBe('CORNER CAFE\nTOTAL 8.32\nCASH 10.00');
  });

  it('keeps a line whose re-reading found nothing', () => {
    const ocr = ocrFromLines(['CORNER CAFE', 'TOTAL 8.32']);
    const band = { x0: 0, y0: ocr.lines[1]!.bbox.y0, x1: ocr.width, y1: ocr.lines[1]!.bbox.y1 };
    expect(replaceLines(ocr, [{ line: 1, band, lines: [] }]).lines).toEqual(ocr.lines);
  });
});
