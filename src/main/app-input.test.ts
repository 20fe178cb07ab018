// Hostile or odd input through the composition root's dispatch, as the window sends it: each gets a
// working answer or a one-line message, never a raw library error.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerPage } from '../shared/model';
import { createApp, type App } from './app';
import { newReceipt } from './ledger/fixtures';
import { listenLocal, readBody, type LocalServer } from './net/test-server';
import { writeReceiptImage } from './testing/receipt-image';

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

describe('links with secrets', () => {
  it('downloads with the full link but stores and shows it without credentials or query', async () => {
    const seen: { url?: string; authorization?: string }[] = [];
    const local = await server((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(404, 'Not Found').end();
    });
    const port = new URL(local.origin).port;
    const url = `http://alice:s3cret-pass@127.0.0.1:${port}/bucket/r.jpg?X-Amz-Signature=deadbeefsig&token=tok-123`;
    expect(await app.dispatch('scan:add-url', { url })).toMatchObject({ ok: true });
    await app.queue.idle();
    expect(seen).toEqual([
      {
        url: '/bucket/r.jpg?X-Amz-Signature=deadbeefsig&token=tok-123',
        authorization: `Basic ${Buffer.from('alice:s3cret-pass').toString('base64')}`,
      },
    ]);
    const [job] = app.queue.list().jobs;
    expect(job).toMatchObject({ source: `http://…@127.0.0.1:${port}/bucket/r.jpg?…`, fileName: 'r.jpg', state: 'failed' });

    // Retry still has the full link in memory; the ledger file never had it.
    expect(await app.dispatch('scan:retry', { jobId: job.id })).toMatchObject({ ok: true, value: { requeued: 1 } });
    await app.queue.idle();
    expect(seen).toHaveLength(2);
    expect(seen[1].url).toContain('deadbeefsig');
    await app.close();
    const stored = Buffer.concat(
      ['ledger.sqlite3', 'ledger.sqlite3-wal'].filter((f) => existsSync(join(dir, f))).map((f) => readFileSync(join(dir, f))),
    );
    for (const secret of ['s3cret-pass', 'deadbeefsig', 'tok-123', 'alice']) expect(stored.includes(secret), secret).toBe(false);

    // After a restart the link cannot be fetched as stored: the job says so instead of fetching a stripped link.
    app = await createApp({ ledgerPath: join(dir, 'ledger.sqlite3'), ocrWorkers: 1, overrides: { concurrency: 1 } });
    expect(await app.dispatch('scan:retry', { jobId: job.id })).toMatchObject({ ok: true, value: { requeued: 1 } });
    await app.queue.idle();
    expect(seen).toHaveLength(2);
    expect(app.queue.list().jobs[0]).toMatchObject({
      state: 'failed',
      error: 'The link’s sign-in details or query were not kept after the app closed; paste the link again',
    });
  });

  it('removes the partial downloads a crash left when the app starts', async () => {
    await app.close();
    const downloads = join(dir, 'downloads');
    mkdirSync(downloads, { recursive: true });
    writeFileSync(join(downloads, '.5f1d8c1e-2b7a-4c1e-9d51-0f6a3c9b1e22.part'), 'half a receipt');
    writeFileSync(join(downloads, '0123456789abcdef.jpg'), 'a kept receipt');
    app = await createApp({ ledgerPath: join(dir, 'ledger.sqlite3'), ocrWorkers: 1 });
    expect(readdirSync(downloads)).toEqual(['0123456789abcdef.jpg']);
  });
});

describe('dropped folders', () => {
  it('lists a symbolic link out of the folder as skipped, with its reason, and reads nothing through it', async () => {
    mkdirSync(join(dir, 'inbox'));
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'private.jpg'), 'not for the queue');
    symlinkSync(join(dir, 'outside', 'private.jpg'), join(dir, 'inbox', 'receipt.jpg'));
    symlinkSync(join(dir, 'outside'), join(dir, 'inbox', 'more'));
    expect(await app.dispatch('scan:add-dropped', { paths: [join(dir, 'inbox')] })).toMatchObject({ ok: true, value: { queued: 2 } });
    await app.queue.idle();
    const reason = 'symbolic link to a place outside the folder you added; not followed';
    expect(app.queue.list().jobs.map(({ fileName, state, error }) => ({ fileName, state, error }))).toEqual([
      { fileName: 'more', state: 'skipped', error: reason },
      { fileName: 'receipt.jpg', state: 'skipped', error: reason },
    ]);
  });
});

describe('the OCR.space key', () => {
  it('goes only to the origin it was saved for: a new address needs the key again', async () => {
    const received: { server: string; key: unknown }[] = [];
    const standIn = (name: string) =>
      server(async (req, res) => {
        await readBody(req);
        received.push({ server: name, key: req.headers.apikey });
        res.writeHead(500).end();
      });
    const first = await standIn('first');
    const second = await standIn('second');
    const saved = await app.dispatch('settings:set', {
      ocrEngine: 'ocrspace',
      ocrSpaceUrl: `${first.origin}/parse/image`,
      ocrSpaceKey: 'key-for-first',
    });
    expect(saved).toMatchObject({ ok: true, value: { ocrSpaceKeySet: true } });

    // Another port is another origin.
    const moved = await app.dispatch('settings:set', { ocrSpaceUrl: `${second.origin}/parse/image` });
    expect(moved).toMatchObject({ ok: true, value: { ocrSpaceKeySet: false } });
    await writeReceiptImage(join(dir, 'r.png'), ['CORNER CAFE', 'TOTAL 8.32']);
    await app.dispatch('scan:add-dropped', { paths: [join(dir, 'r.png')] });
    await app.queue.idle();
    expect(app.queue.list().jobs[0]).toMatchObject({
      state: 'failed',
      error: `The OCR.space key was saved for ${first.origin}, not ${second.origin}: enter the key again in Settings to use it there`,
    });
    expect(received).toEqual([]);

    // Entered again for the new address, it is sent there.
    expect(await app.dispatch('settings:set', { ocrSpaceKey: 'key-for-second' })).toMatchObject({
      ok: true,
      value: { ocrSpaceKeySet: true },
    });
    await app.dispatch('scan:retry', {});
    await app.queue.idle();
    expect(received.length).toBeGreaterThan(0);
    expect(new Set(received.map((r) => `${r.server} ${String(r.key)}`))).toEqual(new Set(['second key-for-second']));
  });

  it('accepts plain http only for this computer', async () => {
    for (const ocrSpaceUrl of ['http://ocr.example.com/parse/image', 'http://10.0.0.5/parse', 'ftp://127.0.0.1/x']) {
      const result = await app.dispatch('settings:set', { ocrSpaceUrl, ocrSpaceKey: 'k' });
      expect(result, ocrSpaceUrl).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      expect((result as { error: { message: string } }).error.message).toMatch(/expected (https:\/\/|a link starting with https:\/\/)/);
    }
    expect(app.settings.get().ocrSpaceUrl).toBe('https://api.ocr.space/parse/image');
    for (const ocrSpaceUrl of [
      'http://localhost:8080/parse',
      'http://127.0.0.1:9/parse',
      'http://[::1]:9/parse',
      'https://ocr.example.com/parse',
    ]) {
      expect(await app.dispatch('settings:set', { ocrSpaceUrl }), ocrSpaceUrl).toMatchObject({ ok: true });
    }
  });
});
