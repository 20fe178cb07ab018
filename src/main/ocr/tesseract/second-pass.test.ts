// Real tesseract on generated receipts: a first reading that finds nothing is read again from the
// second preparation; a good one is not.
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { preparedInput } from '../prepare';
import { CAFE_LINES as LINES, extractForTests as extract, tesseractForTests } from './test-engine';
import { renderReceiptImage } from '../../testing/receipt-image';
import { readAgainIfPoor, SECOND_PASS_ENHANCE } from './second-pass';

const { engine, path: scratch } = tesseractForTests('second-pass-');

async function readFirst(path: string) {
  const input = preparedInput({ path, mime: 'image/png', size: 0 });
  const ocr = await engine.recognize(input);
  let again = 0;
  const readAgain = () => {
    again++;
    return engine.recognize(preparedInput({ path, mime: 'image/png', size: 0 }, { enhance: SECOND_PASS_ENHANCE }));
  };
  return { first: { ocr, fields: extract(ocr) }, readAgain, agains: () => again };
}

describe('readAgainIfPoor', () => {
  it('reads a receipt the first preparation could not read again, and keeps what the second found', async () => {
    // Faint print inside a black scanner frame: the first reading is an empty page.
    const faint = await sharp(await renderReceiptImage(LINES, { width: 700 }))
      .linear(0.3, 165)
      .png()
      .toBuffer();
    const path = scratch('framed.png');
    await sharp(faint).extend({ top: 12, left: 8, right: 10, background: '#080808' }).toFile(path);
    const { first, readAgain, agains } = await readFirst(path);
    expect(first.fields.totalMinor).toBeNull();

    const reading = await readAgainIfPoor(first, readAgain, extract);
    expect(agains()).toBe(1);
    expect(reading.fields).toMatchObject({ totalMinor: 832, date: '2024-03-14', merchant: 'CORNER CAFE' });
    expect(reading.ocr.text).toContain('TOTAL 8.32');
  });

  it('does not read a clear receipt twice', async () => {
    const path = scratch('clear.png');
    await writeFile(path, await renderReceiptImage(LINES, { width: 700 }));
    const { first, readAgain, agains } = await readFirst(path);
    const reading = await readAgainIfPoor(first, readAgain, extract);
    expect(agains()).toBe(0);
    expect(reading).toBe(first);
    expect(reading.fields.totalMinor).toBe(832);
  });
});
