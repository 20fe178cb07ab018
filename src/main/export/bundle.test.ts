// The accountant bundle written from a real ledger and real files, read back with a real unzip library
// (yauzl), and its PDF read back with pdf.js.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerFilter } from '../../shared/model';
import { newReceipt } from '../ledger/fixtures';
import { Ledger } from '../ledger/ledger';
import { readPdfText } from '../ocr/pdf-text';
import { makeThumbnail } from '../ocr/prepare';
import { unzipAll } from '../testing/unzip';
import { BUNDLE_CSV, BUNDLE_PDF, exportBundle } from './bundle';

let dir: string;
let ledger: Ledger;
const originals = new Map<string, Buffer>();

const csvRows = (zip: Map<string, Buffer>) => parse(zip.get(BUNDLE_CSV)!, { columns: true, bom: true }) as Record<string, string>[];

async function save(
  seed: string,
  fields: Parameters<typeof newReceipt>[1],
  file: { name: string; bytes: Buffer; mime: string },
  category?: string,
) {
  const path = join(dir, file.name);
  writeFileSync(path, file.bytes);
  originals.set(path, file.bytes);
  const saved = ledger.saveReceipt(
    newReceipt(seed, fields, {
      file: { sha256: newReceipt(seed).file.sha256, size: file.bytes.length, mime: file.mime, fileName: file.name, sourcePath: path },
    }),
  );
  if (category) ledger.update(saved.id, { category });
  return saved;
}

const jpeg = (colour: string) =>
  sharp({ create: { width: 60, height: 90, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();

async function bundle(filter: LedgerFilter = {}, pdf = false) {
  const target = join(dir, `bundle-${Math.random().toString(36).slice(2)}.zip`);
  const result = await exportBundle(ledger.exportRows(filter), target, {
    pageImage: pdf ? (e) => makeThumbnail(e.path, e.mime, 400) : undefined,
  });
  return { target, result, zip: await unzipAll(target) };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-bundle-test-'));
  ledger = Ledger.open(join(dir, 'ledger.sqlite3'));
  originals.clear();
  await save(
    'shell',
    { merchant: 'SHELL 1234 / Main St.', date: '2024-03-02', totalMinor: 4520 },
    { name: 'IMG_0001.JPG', bytes: await jpeg('#c33'), mime: 'image/jpeg' },
    'Fuel',
  );
  // Same merchant, date and total: the names must still differ, whatever the case.
  await save(
    'shell-2',
    { merchant: 'Shell 1234 / main st.', date: '2024-03-02', totalMinor: 4520 },
    { name: 'scan.jpeg', bytes: await jpeg('#3c3'), mime: 'image/jpeg' },
    'Fuel',
  );
  await save(
    'cafe',
    { merchant: 'Café Zürich', date: '2024-01-20', totalMinor: 830, currency: 'EUR' },
    {
      name: 'cafe.png',
      bytes: await sharp(await jpeg('#33c'))
        .png()
        .toBuffer(),
      mime: 'image/png',
    },
    'Meals',
  );
  await save(
    'unread',
    {
      merchant: null,
      date: null,
      totalMinor: null,
      subtotalMinor: null,
      taxMinor: null,
      confidence: { merchant: 0.1, date: 0.1, total: 0.1 },
    },
    { name: 'blurry.jpg', bytes: await jpeg('#999'), mime: 'image/jpeg' },
  );
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('accountant bundle', () => {
  it('holds the CSV with a bundle_file column and every original file, byte for byte, under safe unique names', async () => {
    const { result, zip } = await bundle();
    expect(result).toMatchObject({ receipts: 4, files: 4, missing: 0 });
    const rows = csvRows(zip);
    expect(rows.map((r) => r.bundle_file)).toEqual([
      'receipts/undated_unknown_no-total.jpg',
      'receipts/2024-01-20_Cafe-Zurich_8.30.png',
      'receipts/2024-03-02_SHELL-1234-Main-St_45.20.jpg',
      'receipts/2024-03-02_Shell-1234-main-st_45.20_2.jpg',
    ]);
    for (const row of rows) {
      expect(row.bundle_file).toMatch(/^receipts\/[\p{L}\p{N}_.-]+$/u);
      expect(zip.get(row.bundle_file)).toEqual(originals.get(row.source_path));
    }
    expect([...zip.keys()].sort()).toEqual([BUNDLE_CSV, ...rows.map((r) => r.bundle_file)].sort());
  });

  it('respects the filters: date range, category, needs review', async () => {
    const byDate = csvRows((await bundle({ dateFrom: '2024-03-01', dateTo: '2024-03-31' })).zip);
    expect(byDate.map((r) => r.merchant)).toEqual(['SHELL 1234 / Main St.', 'Shell 1234 / main st.']);
    const { zip: meals, result } = await bundle({ category: 'Meals' });
    expect(csvRows(meals).map((r) => r.merchant)).toEqual(['Café Zürich']);
    expect([...meals.keys()]).toEqual([BUNDLE_CSV, 'receipts/2024-01-20_Cafe-Zurich_8.30.png']);
    expect(result.receipts).toBe(1);
    const review = csvRows((await bundle({ needsReview: true })).zip);
    const expected = ledger.query({ needsReview: true, sort: 'date', direction: 'asc' }).rows.map((r) => r.fileName);
    expect(review.map((r) => r.file_name)).toEqual(expected);
    expect(expected).toContain('blurry.jpg');
    expect(expected).not.toContain('IMG_0001.JPG');
  });

  it('lists a receipt whose file is gone in the CSV without a file, and says how many', async () => {
    rmSync(join(dir, 'cafe.png'));
    const { zip, result } = await bundle({}, true);
    expect(result).toMatchObject({ receipts: 4, files: 3, missing: 1 });
    expect(csvRows(zip).find((r) => r.file_name === 'cafe.png')?.bundle_file).toBe('');
    writeFileSync(join(dir, 'out.pdf'), zip.get(BUNDLE_PDF)!);
    const pages = await readPdfText(join(dir, 'out.pdf'));
    expect(pages[1]?.text).toContain('no longer at');
  });

  it('adds one PDF with a page per receipt in date order, each headed by its ledger fields', async () => {
    const { zip } = await bundle({}, true);
    const pdf = zip.get(BUNDLE_PDF)!;
    writeFileSync(join(dir, 'out.pdf'), pdf);
    const pages = await readPdfText(join(dir, 'out.pdf'));
    expect(pages).toHaveLength(4);
    const headers = pages.map((p) => p!.text.split('\n')[0]);
    expect(headers[0]).toMatch(/^undated · unknown merchant · no total · uncategorised · card · needs review · receipt #4/);
    expect(headers[1]).toMatch(/^2024-01-20 · Café Zürich · total 8.30 EUR · tax 3.90 EUR · Meals · card · receipt #3/);
    expect(headers[2]).toMatch(/^2024-03-02 · SHELL 1234 \/ Main St\. · total 45.20 USD/);
  });

  it('leaves nothing behind when the save location cannot be written', async () => {
    await expect(exportBundle(ledger.exportRows({}), join(dir, 'no-such-folder', 'b.zip'))).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(dir, 'IMG_0001.JPG')).length).toBeGreaterThan(0);
  });
});
