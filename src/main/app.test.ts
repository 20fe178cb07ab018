// The whole pipeline through the composition root, as the window and the CLI use it: real generated
// receipt images, real tesseract, a real SQLite ledger, the contract's dispatch.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events } from '../shared/contract';
import type { Job, LedgerPage } from '../shared/model';
import { createApp, type App } from './app';
import { writeReceiptImage } from './testing/receipt-image';

const RECEIPTS = [
  {
    name: 'cafe.png',
    total: 832,
    lines: ['CORNER CAFE', '12 Main St', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20', 'SUBTOTAL 7.70', 'TAX 0.62', 'TOTAL 8.32'],
  },
  {
    name: 'books.png',
    total: 3390,
    lines: ['CITY BOOKS', '5 High Road', 'Date: 02/11/2023', 'Novel 25.00', 'Map 8.90', 'TOTAL 33.90', 'CASH 40.00', 'CHANGE 6.10'],
  },
];

let dir: string;
let app: App;
const events: { event: string; payload: unknown }[] = [];

async function scan(paths: string[]) {
  const result = await app.dispatch('scan:add-dropped', { paths });
  expect(result.ok).toBe(true);
  await app.queue.idle();
  return result;
}

const jobsNamed = (name: string): Job[] => app.queue.list().jobs.filter((j) => j.fileName === name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-app-'));
  const inbox = join(dir, 'inbox');
  mkdirSync(join(inbox, 'nested'), { recursive: true });
  for (const r of RECEIPTS) await writeReceiptImage(join(inbox, r.name), r.lines);
  copyFileSync(join(inbox, 'cafe.png'), join(inbox, 'nested', 'cafe-copy.png'));
  writeFileSync(join(inbox, 'notes.jpg'), 'this is a text file, not a photo\n'.repeat(20));
  app = await createApp({
    ledgerPath: join(dir, 'ledger.sqlite3'),
    ocrWorkers: 1,
    overrides: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 },
    // The save dialog's stand-in: the person chooses out.csv in the test folder.
    dialogs: { pickPaths: async () => [], saveCsvPath: async () => join(dir, 'out.csv'), saveBundlePath: async () => join(dir, 'out.zip') },
  });
  app.onEvent((event, payload) => events.push({ event, payload }));
  await scan([inbox]);
});

afterAll(async () => {
  await app?.close();
});

describe('scanning a folder', () => {
  it('saves each receipt once, reports the copy as a duplicate and the bad file with its reason', () => {
    const saved = [...jobsNamed('cafe.png'), ...jobsNamed('books.png')];
    expect(saved.map((j) => j.state)).toEqual(['saved', 'saved']);
    const [copy] = jobsNamed('cafe-copy.png');
    expect(copy.state).toBe('duplicate');
    expect(copy.duplicateOf).toBe(jobsNamed('cafe.png')[0].receiptId);
    const [bad] = jobsNamed('notes.jpg');
    expect(bad.state).toBe('failed');
    expect(bad.error).toMatch(/jpg/i);
    expect(app.queue.list().summary).toEqual({ saved: 2, duplicate: 1, failed: 1, skipped: 0, cancelled: 0 });
  });

  it('reads the totals and dates into the ledger', async () => {
    const result = await app.dispatch('ledger:query', { sort: 'total', direction: 'asc' });
    const page = (result as { ok: true; value: LedgerPage }).value;
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.totalMinor)).toEqual([832, 3390]);
    expect(page.rows.map((r) => r.date)).toEqual(['2024-03-14', '2023-11-02']);
    expect(page.rows[0].merchant).toMatch(/CORNER CAFE/i);
  });

  it('sent batched progress through every stage, ending in the terminal states', () => {
    const progress = events.filter((e) => e.event === 'queue:progress').map((e) => e.payload as Events['queue:progress']);
    const states = new Set(progress.flatMap((p) => p.updates.map((u) => u.state)));
    // (a stage shorter than the batching interval may be coalesced away, so 'reading' is not asserted)
    for (const state of ['ocr', 'saved', 'duplicate', 'failed'] as const) expect(states).toContain(state);
    expect(progress.flatMap((p) => p.added)).toHaveLength(4);
    expect(events.some((e) => e.event === 'ledger:changed')).toBe(true);
  });

  it('adds nothing when the same folder is scanned again', async () => {
    const before = app.queue.list().summary;
    await scan([join(dir, 'inbox')]);
    const after = app.queue.list().summary;
    expect(after.saved).toBe(before.saved);
    expect(after.duplicate).toBe(before.duplicate + 3);
    const page = await app.dispatch('ledger:query', {});
    expect((page as { ok: true; value: LedgerPage }).value.total).toBe(2);
  });

  it('exports a corrected total to CSV', async () => {
    const page = ((await app.dispatch('ledger:query', { sort: 'total' })) as { ok: true; value: LedgerPage }).value;
    const id = page.rows[0].id;
    const updated = await app.dispatch('ledger:update', { id, patch: { totalMinor: 901 } });
    expect(updated).toMatchObject({ ok: true, value: { totalMinor: 901, corrected: ['total'] } });
    const out = join(dir, 'out.csv');
    expect(await app.dispatch('export:csv', {})).toEqual({ ok: true, value: { path: out, rows: 2 } });
    const csv = readFileSync(out, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toMatch(/,9\.01,/);
  });

  it('cancels queued files without saving them', async () => {
    const more = join(dir, 'more');
    mkdirSync(more);
    for (let i = 0; i < 3; i++) await writeReceiptImage(join(more, `r${i}.png`), ['SHOP ' + i, `TOTAL ${i + 1}.00`]);
    const added = await app.dispatch('scan:add-dropped', { paths: [more] });
    expect(added).toMatchObject({ ok: true, value: { queued: 3 } });
    expect(await app.dispatch('scan:cancel', {})).toMatchObject({ ok: true });
    await app.queue.idle();
    const states = ['r0.png', 'r1.png', 'r2.png'].map((n) => jobsNamed(n)[0].state);
    expect(states.every((s) => s === 'cancelled')).toBe(true);
    expect(((await app.dispatch('ledger:query', {})) as { ok: true; value: LedgerPage }).value.total).toBe(2);
    // and a retry brings them back
    // (the text file fails again: retry takes every failed or cancelled job)
    expect(await app.dispatch('scan:retry', {})).toMatchObject({ ok: true, value: { requeued: 5 } });
    await app.queue.idle();
    expect(['r0.png', 'r1.png', 'r2.png'].map((n) => jobsNamed(n)[0].state)).toEqual(['saved', 'saved', 'saved']);
  });
});
