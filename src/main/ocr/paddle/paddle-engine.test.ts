// The PP-OCR engine with the real models from node_modules, on receipts rendered by the test.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptImage, writeReceiptImage, type ReceiptImageOptions } from '../../testing/receipt-image';
import type { OcrEngine, OcrInput } from '../engine';
import { preparePages } from '../prepare';
import { createPaddleEngine } from './paddle-engine';

const LINES = ['CORNER CAFE', '12 Main St', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20', 'SUBTOTAL 7.70', 'TAX 0.62', 'TOTAL 8.32'];

let dir: string;
let engine: OcrEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paddle-'));
  engine = createPaddleEngine({ threads: 2 });
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

async function receipt(name: string, options: ReceiptImageOptions = {}): Promise<OcrInput> {
  const path = join(dir, name);
  await writeReceiptImage(path, LINES, options);
  return { path, mime: 'image/png', size: (await stat(path)).size, prepare: () => preparePages(path, 'image/png') };
}

describe('PP-OCR engine', () => {
  it('reads a receipt into lines with word boxes and 0..1 confidences', async () => {
    const progress: number[] = [];
    const result = await engine.recognize(await receipt('upright.png'), { onProgress: (f) => progress.push(f) });
    expect(result.engine).toBe('paddle');
    expect(result.text).toContain('CORNER CAFE');
    expect(result.text).toContain('14/03/2024');
    const total = result.lines.find((l) => /TOTAL\s*8\.32/.test(l.text) && !/SUB/.test(l.text));
    expect(total, result.text).toBeDefined();
    // The amount's word box lies right of the label's, on the same line.
    const [label, amount] = [total!.words!.find((w) => w.text.startsWith('TOTAL')), total!.words!.find((w) => w.text.includes('8.32'))];
    expect(amount!.bbox.x0).toBeGreaterThanOrEqual(label!.bbox.x1 - 1);
    expect(amount!.bbox.y0).toBeLessThan(label!.bbox.y1);
    for (const line of result.lines) {
      expect(line.confidence).toBeGreaterThan(0.5);
      expect(line.confidence).toBeLessThanOrEqual(1);
    }
    expect(result.notes ?? []).toEqual([]);
    expect(progress.at(-1)).toBe(1);
  });

  it.each([90, 180, 270] as const)('reads a receipt turned %i° the right way up and says so', async (rotate) => {
    const result = await engine.recognize(await receipt(`turned-${rotate}.png`, { rotate }));
    // Monospaced O and 0 are told apart less surely on a resampled page; a name may come as two boxes.
    expect(result.text).toMatch(/T[O0]TAL 8\.32/);
    expect(result.text).toMatch(/CORNER\sCAFE/);
    // The receipt was turned `rotate` clockwise, so it is read turned back the other way.
    const back = (360 - rotate) % 360;
    expect(result.notes?.join(' ')).toMatch(back === 180 ? /upside down/ : back === 90 ? /90° clockwise/ : /anticlockwise/);
  });

  it('straightens a tilted photo, so a label and its amount lie on one row', async () => {
    const path = join(dir, 'tilted.png');
    const lines = ['MAPLE STREET DELI', 'Soup of the day       5.50', 'Rye sandwich          7.25', 'TOTAL                12.75'];
    await writeFile(path, await sharp(await renderReceiptImage(lines, { width: 900 })).rotate(4, { background: '#ffffff' }).png().toBuffer());
    const result = await engine.recognize({ path, mime: 'image/png', size: (await stat(path)).size, prepare: () => preparePages(path, 'image/png') });
    const box = (text: RegExp) => result.lines.find((l) => text.test(l.text))!.bbox;
    const [label, amount] = [box(/^T[O0]TAL/), box(/12\.75$/)];
    const overlap = Math.min(label.y1, amount.y1) - Math.max(label.y0, amount.y0);
    expect(overlap).toBeGreaterThan(0.8 * (label.y1 - label.y0));
  });

  it('stops before reading when cancelled', async () => {
    const input = await receipt('cancel.png');
    await expect(engine.recognize(input, { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
