// Watch folders through the composition root: real folders on disk, real file events, the real queue
// and ledger. The receipts are text PDFs, read without OCR, so a file cut short would fail to save.
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/model';
import { createApp, type App } from '../app';
import { textPdf } from '../testing/text-pdf';
import { FolderWatcher } from './folder-watcher';

const SETTLE_MS = 300;

let dir: string;
let inbox: string;
let picked: string[];
const open: App[] = [];

function start(rescanMs = 60_000): Promise<App> {
  return createApp({
    ledgerPath: join(dir, 'ledger.sqlite3'),
    ocrWorkers: 1,
    overrides: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 },
    dialogs: { pickPaths: async () => picked, saveCsvPath: async () => null, saveBundlePath: async () => null },
    watchTiming: { settleMs: SETTLE_MS, rescanMs },
  }).then((app) => (open.push(app), app));
}

async function stop(app: App): Promise<void> {
  open.splice(open.indexOf(app), 1);
  await app.close();
}

const receipt = (merchant: string, total: string) => textPdf([merchant, 'Date: 14/03/2024', `TOTAL ${total}`]);
const jobsFor = (app: App, name: string): Job[] => app.queue.list().jobs.filter((j) => j.fileName === name);

/** Waits until `check` holds (file events and settling take a moment), or fails with what it saw. */
async function eventually<T>(read: () => T, check: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`gave up waiting; last saw ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

/** Long enough for any event about a file to have settled and been handed on. */
const quiet = () => sleep(SETTLE_MS * 4);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-watch-'));
  inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  picked = [inbox];
});

afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('watch folders', () => {
  it('queues a file written slowly in chunks exactly once, after it is whole', async () => {
    const app = await start();
    const added = await app.dispatch('watch:add', {});
    expect(added).toMatchObject({ ok: true, value: { folders: [{ path: inbox }] } });

    const bytes = receipt('SLOW SCANNER SHOP', '12.50');
    const file = join(inbox, 'slow.pdf');
    const chunk = Math.ceil(bytes.length / 8);
    writeFileSync(file, bytes.subarray(0, chunk));
    // Each pause is shorter than the settle interval, so the file never looks finished until it is.
    for (let at = chunk; at < bytes.length; at += chunk) {
      await sleep(SETTLE_MS / 2);
      appendFileSync(file, bytes.subarray(at, at + chunk));
    }
    const [job] = await eventually(
      () => jobsFor(app, 'slow.pdf'),
      (jobs) => jobs.some((j) => j.state === 'saved'),
    );
    await quiet();
    await app.queue.idle();
    expect(jobsFor(app, 'slow.pdf')).toHaveLength(1);
    expect(app.ledger.get(job!.receiptId!)?.merchant).toBe('SLOW SCANNER SHOP');
  });

  it('stops at once when the folder is removed', async () => {
    const app = await start();
    const added = await app.dispatch('watch:add', {});
    const id = (added as { value: { folders: { id: number }[] } }).value.folders[0]!.id;
    expect(await app.dispatch('watch:remove', { id })).toEqual({ ok: true, value: { folders: [] } });
    writeFileSync(join(inbox, 'after.pdf'), receipt('AFTER SHOP', '3.00'));
    await quiet();
    expect(app.queue.list().jobs).toEqual([]);
    expect(await app.dispatch('watch:remove', { id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('resumes after a restart: new files are queued, known ones and exact copies stay silent', async () => {
    const first = await start();
    await first.dispatch('watch:add', {});
    writeFileSync(join(inbox, 'known.pdf'), receipt('KNOWN SHOP', '5.00'));
    await eventually(
      () => jobsFor(first, 'known.pdf'),
      (jobs) => jobs.some((j) => j.state === 'saved'),
    );
    await stop(first);

    // While the app is closed: a new receipt, and a copy of the known one under another name.
    writeFileSync(join(inbox, 'while-closed.pdf'), receipt('LATER SHOP', '7.00'));
    copyFileSync(join(inbox, 'known.pdf'), join(inbox, 'copy-of-known.pdf'));

    const second = await start();
    expect((await second.dispatch('watch:list', {})) as unknown).toMatchObject({ ok: true, value: { folders: [{ path: inbox }] } });
    await eventually(
      () => jobsFor(second, 'while-closed.pdf'),
      (jobs) => jobs.some((j) => j.state === 'saved'),
    );
    await quiet();
    await second.queue.idle();
    const jobs = second.queue.list().jobs;
    expect(jobs.filter((j) => j.fileName === 'known.pdf')).toHaveLength(1); // the first run's job only
    expect(jobs.filter((j) => j.fileName === 'copy-of-known.pdf')).toEqual([]);
    expect(jobs.some((j) => j.state === 'duplicate')).toBe(false);
  });

  it('shows a folder that is gone at start as a problem, and watches it again once it is back', async () => {
    const first = await start();
    await first.dispatch('watch:add', {});
    await stop(first);
    rmSync(inbox, { recursive: true });

    const app = await start(500);
    expect(app.watch.list()).toEqual([
      expect.objectContaining({ path: inbox, problem: `cannot watch ${inbox}: the folder does not exist` }),
    ]);
    mkdirSync(inbox); // the share is mounted again
    writeFileSync(join(inbox, 'back.pdf'), receipt('BACK AGAIN SHOP', '9.00'));
    await eventually(
      () => jobsFor(app, 'back.pdf'),
      (jobs) => jobs.some((j) => j.state === 'saved'),
    );
    expect(app.watch.list()[0]?.problem).toBeUndefined();
  });

  it('refuses a folder that is not there, in one line', async () => {
    const app = await start();
    picked = [join(dir, 'no-such-folder')];
    const result = await app.dispatch('watch:add', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'failed', message: `cannot watch ${join(dir, 'no-such-folder')}: the folder does not exist` },
    });
  });
});

describe('FolderWatcher rescan', () => {
  it('finds settled files that no event announced, in subfolders too, and skips partial downloads', async () => {
    mkdirSync(join(inbox, 'phone'));
    writeFileSync(join(inbox, 'phone', 'a.jpg'), 'a');
    writeFileSync(join(inbox, 'b.pdf.crdownload'), 'b');
    writeFileSync(join(inbox, '.hidden.jpg'), 'c');
    const handed: string[] = [];
    // Not started: no OS events at all, as on a share that sends none.
    const watcher = new FolderWatcher(inbox, {
      known: () => false,
      onFile: async (path) => void handed.push(path),
      onError: (message) => expect.fail(message),
      settleMs: 50,
    });
    try {
      await watcher.rescan();
      await eventually(
        () => handed,
        (h) => h.length > 0,
      );
      await sleep(200);
      expect(handed).toEqual([join(inbox, 'phone', 'a.jpg')]);
    } finally {
      await watcher.close();
    }
  });
});
