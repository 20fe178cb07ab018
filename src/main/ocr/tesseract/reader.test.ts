// Tesseract's reader, as the queue asks it (engine.read), on generated receipts: a clear receipt costs
// one recognition; one the first reading cannot read is read again from the enhanced preparation.
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderReceiptImage } from '../../testing/receipt-image';
import { preparedInput } from '../prepare';
import { CAFE_LINES as LINES, extractForTests as extract, tesseractForTests } from './test-engine';

const { engine, path: scratch } = tesseractForTests('tesseract-reader-');

/** Reads `path` as the queue does; how many recognitions it took. */
async function read(path: string, input = preparedInput({ path, mime: 'image/png', size: 0 })) {
  const before = engine.stats().recognitions;
  const reading = await engine.read(input, { extract });
  return { reading, recognitions: engine.stats().recognitions - before };
}

describe("tesseract's reader", () => {
  it('reads a clear receipt once', async () => {
    const path = scratch('clear.png');
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
    const path = scratch('framed.png');
    await sharp(faint).extend({ top: 12, left: 8, right: 10, background: '#080808' }).toFile(path);
    const { reading } = await read(path);
    expect(reading.fields).toMatchObject({ totalMinor: 832, date: '2024-03-14', merchant: 'CORNER CAFE' });

    // Pages that were not prepared from a file have no second preparation: the first reading stands.
    const plain = await read(path, { ...preparedInput({ path, mime: 'image/png', size: 0 }), enhanced: undefined });
    expect(plain.reading.fields.totalMinor).toBeNull();
  });
});
