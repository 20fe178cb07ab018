// PDF, multi-page TIFF and HEIC receipts through the whole pipeline (createApp, real tesseract, real
// SQLite): a digital PDF is read from its text layer (no OCR); a scanned two-page PDF is rendered, OCR'd
// page by page (its blank pages left out) and saved as ONE receipt; a mixed PDF takes text pages as they are; hostile PDFs fail
// alone with their own clear message.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { makeThumbnail } from '../ocr/prepare';
import { renderReceiptImage } from '../testing/receipt-image';
import { scannedPdf } from '../testing/scanned-pdf';
import { textPdf } from '../testing/text-pdf';

let dir: string;
let app: App;

// One receipt printed over two pages: the total is only on the second.
const PAGE_ONE = ['RIVERSIDE MARKET', '88 Bridge Street', 'Date: 05/09/2024', 'Apples 3.40', 'Bread 2.60', 'Cheese 6.75'];
const PAGE_TWO = ['Milk 1.95', 'Eggs 3.30', 'SUBTOTAL 18.00', 'TAX 1.44', 'TOTAL 19.44', 'CARD 19.44'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-pdf-'));
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const [one, two] = await Promise.all([renderReceiptImage(PAGE_ONE, { width: 900 }), renderReceiptImage(PAGE_TWO, { width: 900 })]);
  writeFileSync(
    join(inbox, 'cafe.pdf'),
    textPdf(['CORNER CAFE', '12 Main St', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20', 'TAX 0.62', 'TOTAL 8.32']),
  );
  // Scanned on both sides: page 2 is the blank back of page 1.
  writeFileSync(join(inbox, 'scanned.pdf'), await scannedPdf([{ image: one }, { blank: true }, { image: two }]));
  writeFileSync(
    join(inbox, 'mixed.pdf'),
    await scannedPdf([
      { text: ['GREEN GROCER', 'Date: 07/10/2024', 'Pears 2.50', 'Plums 3.10'] },
      { image: await renderReceiptImage(['TOTAL 5.60'], { width: 900 }) },
    ]),
  );
  const rgb = await Promise.all([one, two].map((p) => sharp(p).toColourspace('srgb').png().toBuffer()));
  // A different receipt's pages (other sha-256), as a two-page TIFF.
  writeFileSync(
    join(inbox, 'scan.tiff'),
    await sharp(rgb.reverse(), { join: { animated: true } })
      .tiff({ compression: 'lzw' })
      .toBuffer(),
  );
  copyFileSync(fileURLToPath(new URL('../ocr/fixtures/receipt.heic', import.meta.url)), join(inbox, 'deli.heic'));
  writeFileSync(join(inbox, 'blank.pdf'), textPdf([]));
  writeFileSync(join(inbox, 'locked.pdf'), textPdf(['TOTAL 1.00'], { encrypt: true }));
  writeFileSync(join(inbox, 'broken.pdf'), '%PDF-1.4\nnot really a pdf\n');
  writeFileSync(join(inbox, 'book.pdf'), await scannedPdf(Array.from({ length: 2000 }, () => ({ blank: true as const }))));
  app = await createApp({
    ledgerPath: join(dir, 'ledger.sqlite3'),
    ocrWorkers: 2,
    overrides: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 2 },
  });
  await app.queue.addPaths([inbox]);
  await app.queue.idle();
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const job = (name: string) => app.queue.list().jobs.find((j) => j.fileName === name);
const receiptOf = (name: string) => app.ledger.query({}).rows.find((r) => r.id === job(name)?.receiptId);

describe('PDF, TIFF and HEIC receipts', () => {
  it('saves a digital PDF from its text layer', () => {
    expect(job('cafe.pdf')?.state).toBe('saved');
    expect(receiptOf('cafe.pdf')).toMatchObject({ merchant: 'CORNER CAFE', totalMinor: 832, taxMinor: 62, date: '2024-03-14' });
  });

  it('OCRs a scanned two-page PDF into ONE receipt with the total from page two', () => {
    expect(job('scanned.pdf')?.state).toBe('saved');
    expect(app.ledger.query({}).rows.filter((r) => r.id === job('scanned.pdf')?.receiptId)).toHaveLength(1);
    expect(receiptOf('scanned.pdf')).toMatchObject({
      merchant: expect.stringMatching(/RIVERSIDE MARKET/),
      date: '2024-09-05',
      totalMinor: 1944,
      taxMinor: 144,
    });
  });

  it('reads a mixed PDF: the text page as text, the scanned page by OCR, in order', () => {
    expect(job('mixed.pdf')?.state).toBe('saved');
    expect(receiptOf('mixed.pdf')).toMatchObject({ merchant: 'GREEN GROCER', date: '2024-10-07', totalMinor: 560 });
  });

  it('reads every page of a multi-page TIFF as one receipt', () => {
    expect(job('scan.tiff')?.state).toBe('saved');
    // Pages reversed: the total now comes first and the merchant second, but both are found.
    expect(receiptOf('scan.tiff')).toMatchObject({ totalMinor: 1944, date: '2024-09-05' });
  });

  it('reads a HEIC phone photo', () => {
    expect(job('deli.heic')?.state).toBe('saved');
    expect(receiptOf('deli.heic')).toMatchObject({ merchant: expect.stringMatching(/HARBOUR DELI/), totalMinor: 650, date: '2024-06-21' });
  });

  it('fails blank, password-protected, broken and book-length PDFs alone, each with a clear message', () => {
    expect(job('blank.pdf')).toMatchObject({ state: 'failed', error: expect.stringMatching(/The PDF has nothing on its pages to read/) });
    expect(job('locked.pdf')).toMatchObject({ state: 'failed', error: expect.stringMatching(/Password-protected PDFs are not supported/) });
    expect(job('broken.pdf')).toMatchObject({ state: 'failed', error: expect.stringMatching(/The PDF could not be read/) });
    expect(job('book.pdf')).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/The PDF has 2000 pages; receipts over 50 pages are refused/),
    });
  });

  it('keeps which page of the file each page read is', () => {
    const filePages = (name: string) => app.ledger.get(job(name)!.receiptId!)?.provenance?.pages.map((p) => p.filePage);
    expect(filePages('scanned.pdf')).toEqual([1, 3]);
    expect(filePages('mixed.pdf')).toEqual([1, 2]);
    expect(filePages('scan.tiff')).toEqual([1, 2]);
    expect(filePages('deli.heic')).toEqual([undefined]);
  });

  it('shows each page read in the detail view: the second of the scanned PDF is its third page', async () => {
    const id = job('scanned.pdf')!.receiptId!;
    const path = join(dir, 'inbox', 'scanned.pdf');
    const shown = async (page: number) => {
      const result = await app.dispatch('ledger:thumbnail', { id, maxSize: 400, page });
      return (result as { ok: true; value: { dataUrl: string } }).value.dataUrl;
    };
    const filePage = async (n: number) =>
      `data:image/jpeg;base64,${(await makeThumbnail(path, 'application/pdf', 400, { filePage: n })).data.toString('base64')}`;
    expect(await shown(0)).toBe(await filePage(1));
    expect(await shown(1)).toBe(await filePage(3));
    expect(await shown(1)).not.toBe(await filePage(2));
    expect(await app.dispatch('ledger:thumbnail', { id, page: 2 })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: `receipt ${id} has no page 3` },
    });
  });

  it('previews the first page of a PDF and a HEIC photo in the detail view', async () => {
    for (const name of ['scanned.pdf', 'deli.heic']) {
      const result = await app.dispatch('ledger:thumbnail', { id: job(name)!.receiptId!, maxSize: 400 });
      expect(result.ok).toBe(true);
      const { dataUrl, width } = (result as { ok: true; value: { dataUrl: string; width: number } }).value;
      expect(width).toBe(400);
      const meta = await sharp(Buffer.from(dataUrl.replace(/^data:image\/jpeg;base64,/, ''), 'base64')).metadata();
      expect([meta.format, meta.width]).toEqual(['jpeg', 400]);
    }
  });

  it('records which reader read each receipt', () => {
    const db = new Database(join(dir, 'ledger.sqlite3'), { readonly: true });
    try {
      const engine = (name: string) => db.prepare('SELECT engine FROM receipts WHERE id = ?').pluck().get(job(name)?.receiptId);
      expect(['cafe.pdf', 'scanned.pdf', 'mixed.pdf', 'deli.heic'].map(engine)).toEqual([
        'pdf-text',
        'paddle',
        'pdf-text+paddle',
        'paddle',
      ]);
    } finally {
      db.close();
    }
  });
});
