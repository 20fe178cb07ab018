// Real tesseract on generated receipts: a date printed too small for the page reading is read again
// from a crop of its line, enlarged; the reading is put back in place of the line.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ocrFromLines } from '../../extract/ocr-fixture';
import { preparedInput } from '../prepare';
import { extractForTests as extract, tesseractForTests } from './test-engine';
import { renderReceiptImage } from '../../testing/receipt-image';
import { rereadInput, rereadLines } from './reread';
import { readAgainIfPoor } from './second-pass';

const WIDTH = 1100;

/** A receipt printed at a readable size but for its date line, printed in `dateSize` px type. */
async function receiptWithSmallDate(path: string, dateSize: number): Promise<void> {
  const parts = await Promise.all([
    renderReceiptImage(['CORNER CAFE', '12 Harbour Road'], { width: WIDTH }),
    renderReceiptImage(['Date: 14/03/2024 10:22'], { width: WIDTH, fontSize: dateSize }),
    renderReceiptImage(['Latte 4.50', 'Muffin 3.82', 'TOTAL 8.32', 'CASH 10.00', 'CHANGE 1.68'], { width: WIDTH }),
  ]);
  const heights = await Promise.all(parts.map(async (p) => (await sharp(p).metadata()).height!));
  const tops = heights.map((_, i) => heights.slice(0, i).reduce((a, b) => a + b, 0));
  await sharp({ create: { width: WIDTH, height: tops[2]! + heights[2]!, channels: 3, background: '#ffffff' } })
    .composite(parts.map((input, i) => ({ input, top: tops[i]!, left: 0 })))
    .png()
    .toFile(path);
}

async function blankPage(width: number, height: number) {
  const data = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .greyscale()
    .png()
    .toBuffer();
  return { data, mime: 'image/png' as const, width, height };
}

const { engine, path: scratch } = tesseractForTests('reread-');

async function readFirst(path: string) {
  const input = preparedInput({ path, mime: 'image/png', size: 0 });
  const ocr = await engine.recognize(input);
  return { input, first: { ocr, fields: extract(ocr) } };
}

describe('rereadLines', () => {
  it('reads a date printed too small for the page reading from an enlarged crop of its line', async () => {
    const path = scratch('small-date.png');
    await receiptWithSmallDate(path, 12);
    const { input, first } = await readFirst(path);
    // The page reading gets the line but not the date right (a year's digit, the label's first letter).
    const dateLine = first.ocr.lines.findIndex((l) => /10:22/.test(l.text));
    expect(dateLine).toBeGreaterThan(0);
    expect(first.fields.date).not.toBe('2024-03-14');

    const [page] = await input.prepare();
    let crops = 0;
    const result = await rereadLines(
      first,
      page!,
      (crop) => (crops++, engine.recognize({ path, mime: crop.mime, size: 0, prepare: async () => [crop] })),
      extract,
    );
    expect(result.crops).toBe(1);
    expect(crops).toBe(1);
    expect(result.reading.fields.date).toBe('2024-03-14');
    // The re-read line replaces the old one in the page's reading; the rest is the first reading's.
    expect(result.reading.ocr.lines[dateLine]!.text).toMatch(/14\/03\/2024/);
    expect(result.reading.ocr.lines.filter((_, i) => i !== dateLine)).toEqual(first.ocr.lines.filter((_, i) => i !== dateLine));
    // The money fields are the first reading's: only the date's lines were re-read.
    expect(result.reading.fields.totalMinor).toBe(first.fields.totalMinor);
  });

  it('re-reads nothing on a receipt whose date and total read well', async () => {
    const path = scratch('clear.png');
    await receiptWithSmallDate(path, 28);
    const { input, first } = await readFirst(path);
    expect(first.fields.date).toBe('2024-03-14');
    const [page] = await input.prepare();
    const result = await rereadLines(first, page!, () => Promise.reject(new Error('nothing should be re-read')), extract);
    expect(result).toEqual({ reading: first, lines: null, crops: 0 });
  });

  it('reads pieces of one printed line once: a crop of the band holds them all', async () => {
    // The engine split the line in two; both pieces look like parts of a date.
    const first = (() => {
      const ocr = ocrFromLines(['CORNER CAFE', 'Date:|      14-O3 2O24', 'TOTAL 8.32']);
      return { ocr, fields: extract(ocr) };
    })();
    expect(first.ocr.lines).toHaveLength(4);
    const page = await blankPage(first.ocr.width, first.ocr.height);
    let crops = 0;
    const result = await rereadLines(
      first,
      page,
      (crop) => (crops++, engine.recognize({ path: 'crop.png', mime: crop.mime, size: 0, prepare: async () => [crop] })),
      extract,
    );
    expect([result.crops, crops]).toEqual([1, 1]);
  });

  it('re-reads nothing when the boxes do not refer to the page given (a receipt of several pages)', async () => {
    const path = scratch('small-date-2.png');
    await receiptWithSmallDate(path, 12);
    const { first } = await readFirst(path);
    const other = { data: Buffer.alloc(0), mime: 'image/png' as const, width: 10, height: 10 };
    expect((await rereadLines(first, other, () => Promise.reject(new Error('no')), extract)).crops).toBe(0);
    expect((await rereadLines(first, null, () => Promise.reject(new Error('no')), extract)).crops).toBe(0);
  });
});

describe('readAgainIfPoor with line re-reading', () => {
  it('needs no whole second reading when re-reading the date line fixes the receipt', async () => {
    const path = scratch('small-date-3.png');
    await receiptWithSmallDate(path, 12);
    const { input, first } = await readFirst(path);
    let pages = 0;
    const readAgain = () => (pages++, engine.recognize(preparedInput({ path, mime: 'image/png', size: 0 })));
    // Without line re-reading the unsure date stands: the checks pass it (it is not missing).
    expect((await readAgainIfPoor(first, readAgain, extract)).fields.date).not.toBe('2024-03-14');
    const reading = await readAgainIfPoor(first, readAgain, extract, (r) => rereadInput(r, input, engine, extract));
    expect(reading.fields).toMatchObject({ date: '2024-03-14', totalMinor: 832, merchant: 'CORNER CAFE' });
    expect(pages).toBe(0);
  });

  it('cuts the lines from the page turned as it was read when the receipt was upside down', async () => {
    const upright = scratch('small-date-4.png');
    const path = scratch('small-date-upside-down.png');
    await receiptWithSmallDate(upright, 12);
    await sharp(upright).rotate(180).toFile(path);
    const { input, first } = await readFirst(path);
    expect(first.ocr.pages).toEqual([{ turn: 180 }]);
    expect(first.fields.date).not.toBe('2024-03-14');
    let recognitions = 0;
    const counting = {
      ...engine,
      recognize: (...args: Parameters<typeof engine.recognize>) => (recognitions++, engine.recognize(...args)),
    };
    const reading = await rereadInput(first, input, counting, extract);
    expect(reading.fields).toMatchObject({ date: '2024-03-14', totalMinor: 832 });
    // One crop, read as it is: a line cut from a page already turned needs no turns tried.
    expect(recognitions).toBe(1);
  });
});
