// What a compromised renderer can ask of main, through the real app's dispatch and the preload's client:
// it cannot name a path to read or write, and errors reach it as one readable line.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { createApi } from '../../preload/api';
import type { InvokeChannel } from '../../shared/contract';

let dir: string;
let app: App;
let logged: unknown[];
/** What the stand-in dialogs answer: the person's choice. */
let answers: { pick: string[]; savePath: string | null };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'boundary-test-'));
  logged = [];
  answers = { pick: [], savePath: null };
  app = await createApp({
    ledgerPath: join(dir, 'ledger.sqlite3'),
    ocrWorkers: 1,
    dialogs: {
      pickPaths: async () => answers.pick,
      saveCsvPath: async () => answers.savePath,
      saveBundlePath: async () => answers.savePath,
    },
    logError: (error) => logged.push(error),
  });
});

afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A folder with one file that is not a receipt: it is queued and fails at the type check, without OCR. */
function folderWithOneFile(): string {
  const folder = join(dir, 'inbox');
  mkdirSync(folder);
  writeFileSync(join(folder, 'notes.jpg'), 'not a photo\n');
  return folder;
}

describe('export:csv', () => {
  it('takes no path from the renderer', async () => {
    const target = join(dir, 'autostart.desktop');
    const result = await app.dispatch('export:csv', { path: target });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(existsSync(target)).toBe(false);
  });

  it('writes where the person chose in the save dialog, and nothing when they cancel', async () => {
    expect(await app.dispatch('export:csv', {})).toEqual({ ok: true, value: { path: null, rows: 0 } });
    answers.savePath = join(dir, 'chosen.csv');
    expect(await app.dispatch('export:csv', {})).toEqual({ ok: true, value: { path: answers.savePath, rows: 0 } });
    expect(readFileSync(answers.savePath, 'utf8')).toMatch(/^\uFEFF/);
  });
});

describe('queueing files', () => {
  it('refuses paths named by the renderer', async () => {
    expect(await app.dispatch('scan:add-paths', { paths: ['/etc/passwd'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: 'unknown request "scan:add-paths"' },
    });
    expect(await app.dispatch('dialog:pick', { kind: 'files' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(app.queue.list().jobs).toEqual([]);
  });

  it("queues what the person picked in main's dialog, and nothing when they cancel", async () => {
    expect(await app.dispatch('scan:pick', { kind: 'folder' })).toEqual({ ok: true, value: { picked: false, queued: 0 } });
    answers.pick = [folderWithOneFile()];
    expect(await app.dispatch('scan:pick', { kind: 'folder' })).toEqual({ ok: true, value: { picked: true, queued: 1 } });
    await app.queue.idle();
    expect(app.queue.list().jobs.map((j) => j.fileName)).toEqual(['notes.jpg']);
  });

  it('takes only absolute paths on the drop channel', async () => {
    for (const paths of [['relative/notes.jpg'], ['/tmp/a\0b'], []]) {
      expect(await app.dispatch('scan:add-dropped', { paths })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
  });
});

describe("the preload's client over the app", () => {
  // Electron's webUtils.getPathForFile gives a path only for a File of a real drop: the stand-in knows
  // the one file the person dropped, and gives '' for any File built by script.
  const dropped = new File([], 'inbox');
  let sent: InvokeChannel[];
  const api = () =>
    createApi({
      invoke: (channel, request) => {
        sent.push(channel);
        return app.dispatch(channel, request);
      },
      subscribe: (event, listener) => app.onEvent((e, payload) => e === event && listener(payload)),
      pathForFile: (file) => (file === dropped ? join(dir, 'inbox') : ''),
    });
  beforeEach(() => (sent = []));

  it('does not let the page send the drop channel with paths of its own', async () => {
    await expect(api().invoke('scan:add-dropped' as never, { paths: ['/etc/passwd'] } as never)).rejects.toThrow(
      'unknown request "scan:add-dropped"',
    );
    expect(await api().addDropped([new File(['x'], 'passwd')])).toEqual({ queued: 0, unlocated: 1 });
    expect(sent).toEqual([]);
  });

  it('queues the files of a real drop', async () => {
    folderWithOneFile();
    expect(await api().addDropped([dropped, new File([], 'from-a-browser.png')])).toEqual({ queued: 1, unlocated: 1 });
    expect(sent).toEqual(['scan:add-dropped']);
    await app.queue.idle();
  });
});

describe('settings:get', () => {
  it('tells the window how the key store protects the key, not more', async () => {
    const obfuscated = await createApp({
      ledgerPath: join(dir, 'other.sqlite3'),
      ocrWorkers: 1,
      secrets: { get: () => 'k', set: () => undefined, protection: 'obfuscated' },
    });
    try {
      expect(await obfuscated.dispatch('settings:get', {})).toMatchObject({
        ok: true,
        value: { ocrSpaceKeySet: true, ocrSpaceKeyProtection: 'obfuscated' },
      });
    } finally {
      await obfuscated.close();
    }
    expect(await app.dispatch('settings:get', {})).toMatchObject({ ok: true, value: { ocrSpaceKeyProtection: 'memory' } });
  });
});

describe('errors', () => {
  it('shows an expected error as its own line and does not log it', async () => {
    answers.savePath = join(dir, 'missing', 'out.csv');
    expect(await app.dispatch('export:csv', {})).toEqual({
      ok: false,
      error: { code: 'failed', message: `cannot export: the folder ${join(dir, 'missing')} does not exist` },
    });
    expect(logged).toEqual([]);
  });

  it('logs an unexpected failure and sends no stack or library message', async () => {
    answers.savePath = join(dir, 'is-a-folder.csv');
    mkdirSync(answers.savePath);
    const result = await app.dispatch('export:csv', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'failed', message: "export:csv failed unexpectedly; the details are in the app's log" },
    });
    expect(logged).toHaveLength(1);
    expect(String(logged[0])).toMatch(/EISDIR/);
  });
});
