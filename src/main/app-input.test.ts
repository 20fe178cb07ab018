// Hostile or odd input through the composition root's dispatch, as the window sends it: each gets a
// working answer or a one-line message, never a raw library error.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerPage } from '../shared/model';
import { createApp, type App } from './app';
import { newReceipt } from './ledger/fixtures';
import { listenLocal, type LocalServer } from './net/test-server';

let dir: string;
let app: App;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-app-input-'));
  app = await createApp({ ledgerPath: join(dir, 'ledger.sqlite3'), ocrWorkers: 1, overrides: { concurrency: 1 } });
});
afterEach(async () => {
  await app.close();
  await Promise.all(closers.splice(0).map((close) => close()));
  rmSync(dir, { recursive: true, force: true });
});

async function server(handler: Parameters<typeof listenLocal>[0]): Promise<LocalServer> {
  const local = await listenLocal(handler);
  closers.push(local.close);
  return local;
}

describe('search text', () => {
  it('treats a NUL like a space instead of failing with a SQLite error', async () => {
    app.ledger.saveReceipt(newReceipt('nul', { merchant: 'Corner Cafe' }));
    for (const text of ['Corner\0Cafe', 'Cafe\0', '\0', 'Co\0']) {
      const result = await app.dispatch('ledger:query', { text });
      expect(result, JSON.stringify(text)).toMatchObject({ ok: true });
      const page = (result as { ok: true; value: LedgerPage }).value;
      expect(page.total, JSON.stringify(text)).toBe(1);
    }
    expect(await app.dispatch('ledger:summary', { text: 'Corner\0Cafe' })).toMatchObject({ ok: true });
  });
});

describe('links', () => {
  it('queues a link whose %-encoding is broken, named as written', async () => {
    const local = await server((_req, res) => res.writeHead(404, 'Not Found').end());
    const result = await app.dispatch('scan:add-url', { url: `${local.origin}/r/%E0%A4%A.jpg` });
    expect(result).toMatchObject({ ok: true, value: { queued: 1 } });
    await app.queue.idle();
    const [job] = app.queue.list().jobs;
    expect(job).toMatchObject({ fileName: '%E0%A4%A.jpg', state: 'failed', error: 'The link answered HTTP 404 Not Found' });
  });
});

describe('dropped folders', () => {
  it('lists a symbolic link out of the folder as skipped, with its reason, and reads nothing through it', async () => {
    mkdirSync(join(dir, 'inbox'));
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'private.jpg'), 'not for the queue');
    symlinkSync(join(dir, 'outside', 'private.jpg'), join(dir, 'inbox', 'receipt.jpg'));
    symlinkSync(join(dir, 'outside'), join(dir, 'inbox', 'more'));
    expect(await app.dispatch('scan:add-paths', { paths: [join(dir, 'inbox')] })).toMatchObject({ ok: true, value: { queued: 2 } });
    await app.queue.idle();
    const reason = 'symbolic link to a place outside the folder you added; not followed';
    expect(app.queue.list().jobs.map(({ fileName, state, error }) => ({ fileName, state, error }))).toEqual([
      { fileName: 'more', state: 'skipped', error: reason },
      { fileName: 'receipt.jpg', state: 'skipped', error: reason },
    ]);
  });
});
