// Receipts scanned or photographed turned through the whole pipeline (createApp, real tesseract, real
// SQLite): each is saved with the total and date read the right way up, its pages' turns and a note
// saying how it was turned; an upright receipt gets neither; each page of a multi-page file is turned on its own.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { renderReceiptImage, type ReceiptImageOptions } from '../testing/receipt-image';

// Each file its own total, so that none is a possible duplicate of another.
const lines = (total: string) => [
  'MAPLE STREET DELI',
  '27 Maple Street',
  'Date: 09/11/2024',
  '--------------------------',
  'Soup of the day       5.50',
  'Rye sandwich          7.25',
  'Lemonade              2.75',
  '--------------------------',
  `TOTAL                ${total}`,
  'Thank you',
];

let dir: string;
let app: App;

const image = (total: string, options: ReceiptImageOptions = {}) => renderReceiptImage(lines(total), options);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-orientation-'));
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  writeFileSync(join(inbox, 'upright.png'), await image('15.50'));
  writeFileSync(join(inbox, 'upside-down.jpg'), await image('16.50', { rotate: 180, format: 'jpeg', noise: true }));
  writeFileSync(join(inbox, 'sideways-90.png'), await image('17.50', { rotate: 90 }));
  writeFileSync(join(inbox, 'sideways-270.png'), await image('18.50', { rotate: 270 }));
  // A two-page scan: the first page upright, the second (with the total) upside down.
  const pages = await Promise.all(
    [renderReceiptImage(lines('19.50').slice(0, 5)), renderReceiptImage(lines('19.50').slice(5), { rotate: 180 })].map(async (p) =>
      sharp(await p)
        .toColourspace('srgb')
        .png()
        .toBuffer(),
    ),
  );
  writeFileSync(
    join(inbox, 'two-pages.tiff'),
    await sharp(pages, { join: { animated: true } })
      .tiff({ compression: 'lzw' })
      .toBuffer(),
  );
  app = await createApp({
    ledgerPath: join(dir, 'ledger.sqlite3'),
    ocrWorkers: 2,
    overrides: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 2 },
  });
  await app.queue.addPaths([inbox]);
  await app.queue.idle();
}, 180_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const saved = (name: string) => {
  const job = app.queue.list().jobs.find((j) => j.fileName === name);
  expect(job?.state).toBe('saved');
  return app.ledger.get(job!.receiptId!)!;
};

describe('receipts turned sideways or upside down', () => {
  it.each([
    ['upright.png', 1550, [], []],
    ['upside-down.jpg', 1650, [180], ['page 1 was upside down; read turned 180°']],
    ['sideways-90.png', 1750, [270], ['page 1 was sideways; read turned 90° anticlockwise']],
    ['sideways-270.png', 1850, [90], ['page 1 was sideways; read turned 90° clockwise']],
    ['two-pages.tiff', 1950, [0, 180], ['page 2 was upside down; read turned 180°']],
  ])('%s is read the right way up', (name, totalMinor, turns, notes) => {
    const receipt = saved(name);
    expect(receipt).toMatchObject({ merchant: 'MAPLE STREET DELI', totalMinor, date: '2024-11-09' });
    expect(app.ledger.pageTurns(receipt.id)).toEqual(turns);
    expect(receipt.ocrNotes).toEqual(notes);
  });
});
