// Tesseract's reader, as the queue asks it (engine.read), on generated receipts: a clear receipt costs
// one recognition; one the first reading cannot read is read again from the enhanced preparation.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFields } from '../../extract/extract';
import { renderReceiptImage } from '../../testing/receipt-image';
import type { OcrResult } from '../engine';
import { preparedInput } from '../prepare';
import { createTesseractEngine } from './tesseract';

const LINES = ['CORNER CAFE', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.82', 'TOTAL 8.32', 'CASH 10.00', 'CHANGE 1.68'];
const extract = (ocr: OcrResult) => extractFields(ocr, { dateOrder: 'DMY', defaultCurrency: 'USD', today: new Date('2024-06-01') });

let dir: string;
const engine = createTesseractEngine({ workers: 1 });
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tesseract-reader-'));
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

/** Reads `path` as the queue does; how many recognitions it took. */
async function read(path: string, input = preparedInput({ path, mime: 'image/png', size: 0 })) {
  const before = engine.stats().recognitions;
  const reading = await engine.read(input, { extract });
  return { reading, recognitions: engine.stats().recognitions - before };
}

describe("tesseract's reader", () => {
  it('reads a clear receipt once', async () => {
    const path = join(dir, 'clear.png');
    await writeFile(path, await renderReceiptImage(LINES, { width: 700 }));
    const { reading, recognitions } = await read(path);
    expect(recognitions).toBe(1);
    expect(reading.fields).toMatchObject({ totalMinor: 832, date: '2024-03-14', merchant: 'CORNER CAFE' });
  });

  it('reads a receipt its first reading could not read again from the enhanced preparation', async () => {
    // Faint print inside a black scanner frame: the plain preparation reads an empty page.
    const faint = await sharp(await renderReceiptImage(LINES, { width: 700 }))
      .linear(0.3, 165)
      .png()
      .toBuffer();
    const path = join(dir, 'framed.png');
    await sharp(faint).extend({ top: 12, left: 8, right: 10, background: '#080808' }).toFile(path);
    const { reading } = await read(path);
    expect(reading.fields).toMatchObject({ totalMinor: 832, date: '2024-03-14', merchant: 'CORNER CAFE' });

    // Pages that were not prepared from a file have no second preparation: the first reading stands.
    const plain = await read(path, { ...preparedInput({ path, mime: 'image/png', size: 0 }), enhanced: undefined });
    expect(plain.reading.fields.totalMinor).toBeNull();
  });
});
