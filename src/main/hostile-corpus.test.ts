// The hostile corpus of issue 6 through the whole app, twice: through the composition root as the
// window uses it, and through the CLI as a child process. Every bad file must end with exactly one
// specific error (queue, CLI --json, and the ledger's jobs table), the batch must go on without crash,
// hang or runaway memory, and the good receipts beside them must be saved exactly once.
// Error wording is matched by what it must say (its kind), not word for word.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events } from '../shared/contract';
import { isTerminal } from '../shared/model';
import { createApp, type App } from './app';
import { MANY_PAGES, NAMES, writeHostileCorpus, type HostileCorpus } from './testing/hostile-corpus';

const root = join(import.meta.dirname, '..', '..');
/** The app's per-file time limit in this test; the CLI runs with its defaults. */
const FILE_TIMEOUT_MS = 8_000;
/** A decoded 50,000 × 50,000 image alone would take 2.5 GB; the whole batch must stay far below. */
const MAX_RSS_GROWTH_MB = 700;

/** What each bad file's one error must say. Skipped (by the folder walk) or failed (by a stage) both count. */
const BAD: Record<string, RegExp> = {
  [NAMES.empty]: /empty/i,
  [NAMES.truncatedJpeg]: /decod|damaged|truncated|incomplete|premature|corrupt/i,
  [NAMES.truncatedPng]: /decod|damaged|truncated|incomplete|premature|corrupt/i,
  [NAMES.text]: /\.jpg\b.*(text|unrecognised)/i,
  [NAMES.executable]: /executable/i,
  [NAMES.htmlPolyglot]: /damaged|corrupt|html/i,
  [NAMES.bomb]: /50\D?000 × 50\D?000|too many pixels|megapixel/i,
  [NAMES.manyPages]: new RegExp(`${String(MANY_PAGES).replace(/(\d)(?=(\d{3})+$)/, '$1\\D?')} pages`, 'i'),
  // Its 50,000 × 50,000 image is left out by the pixel limit, so the page is empty; the memory bound
  // below is what proves the image was never decoded.
  [NAMES.hugePage]: /too large/i,
  [NAMES.encrypted]: /password|encrypt/i,
  [NAMES.spinning]: /took longer|too long|time limit|timed out/i,
  [NAMES.selfLink]: /symbolic link loop/i,
  [NAMES.unreadable]: /permission denied/i,
  [NAMES.sparse3GB]: /3 GB.*limit/i,
  [NAMES.vanishing]: /vanished|no longer exists|does not exist/i,
  [NAMES.growing]: /changed/i,
};

/** Messages that would mean an error escaped its stage instead of being described for the person. */
const GENERIC = /unexpected error|undefined|\[object |^Error\b|\n\s+at /;

interface Outcome {
  state: string;
  error?: string | null;
}

/** Every file in the corpus has exactly one outcome; the bad ones with an error of their kind. */
function expectOutcomes(byName: Map<string, Outcome[]>, corpus: HostileCorpus) {
  const expected = [...Object.keys(BAD), ...corpus.good.map((g) => g.name)]
    .filter((name) => corpus.unreadable !== null || name !== NAMES.unreadable)
    .sort();
  expect([...byName.keys()].sort()).toEqual(expected);
  for (const [name, outcomes] of byName) expect(outcomes, name).toHaveLength(1);
  for (const good of corpus.good) expect(byName.get(good.name)?.[0], good.name).toMatchObject({ state: 'saved' });
  for (const [name, kind] of Object.entries(BAD)) {
    const [outcome] = byName.get(name) ?? [];
    if (!outcome) continue; // only the unreadable case, where this machine cannot make one
    expect(['failed', 'skipped'], `${name}: ${outcome.error}`).toContain(outcome.state);
    // As root the unreadable file is a link to a kernel attribute outside the folder: never followed.
    const outside = name === NAMES.unreadable && corpus.unreadable === 'kernel-attribute';
    expect(outcome.error, name).toMatch(outside ? /outside the folder you added/ : kind);
    expect(outcome.error, name).not.toMatch(GENERIC);
    expect(outcome.error, name).not.toContain('\n');
  }
}

const group = <T>(items: T[], name: (item: T) => string) => {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(name(item), [...(map.get(name(item)) ?? []), item]);
  return map;
};

/** The ledger file as another program sees it: every job's persisted state, and the saved receipts. */
function readLedger(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const jobs = db.prepare('SELECT file_name AS name, state, error FROM jobs').all() as ({ name: string } & Outcome)[];
    const receipts = db
      .prepare('SELECT f.file_name AS name, r.total_minor AS totalMinor FROM receipts r JOIN files f ON f.id = r.file_id ORDER BY 1')
      .all() as { name: string; totalMinor: number }[];
    return { jobs: group(jobs, (j) => j.name), receipts };
  } finally {
    db.close();
  }
}

function expectGoodSavedOnce(receipts: { name: string; totalMinor: number }[], corpus: HostileCorpus) {
  expect(receipts).toEqual([...corpus.good].sort((a, b) => (a.name < b.name ? -1 : 1)));
}

const dirs: string[] = [];
function corpusDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rs-hostile-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'in'));
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the hostile corpus through createApp', () => {
  let app: App;
  let corpus: HostileCorpus;
  let ledgerPath: string;
  let elapsedMs = 0;
  let rssGrowthMb = 0;

  beforeAll(async () => {
    const dir = corpusDir();
    corpus = await writeHostileCorpus(join(dir, 'in'));
    ledgerPath = join(dir, 'ledger.sqlite3');
    app = await createApp({
      ledgerPath,
      ocrWorkers: 1,
      fileTimeoutMs: FILE_TIMEOUT_MS,
      overrides: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 },
    });
    // Once the walk is over and the first files are done, the last two files are meddled with; good
    // receipts are queued before them, so they have not been read yet.
    let meddled: Promise<() => void> | undefined;
    const unsubscribe = app.onEvent((event, payload) => {
      if (event !== 'queue:progress' || meddled) return;
      if ((payload as Events['queue:progress']).updates.some((u) => isTerminal(u.state))) {
        meddled = corpus.vanish().then(() => corpus.keepChanging());
      }
    });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const start = performance.now();
    try {
      const added = await app.dispatch('scan:add-dropped', { paths: [corpus.dir] });
      expect(added.ok).toBe(true);
      await app.queue.idle();
      elapsedMs = performance.now() - start;
    } finally {
      clearInterval(sampler);
      unsubscribe();
      (await meddled)?.();
    }
    rssGrowthMb = (peak - baseline) / 1e6;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('gives every bad file one specific error and saves every good receipt', () => {
    const jobs = app.queue.list().jobs;
    expect(jobs.every((j) => isTerminal(j.state))).toBe(true);
    expectOutcomes(
      group(jobs, (j) => j.fileName),
      corpus,
    );
  });

  it('persists the same outcome for every file in the ledger, and each good receipt once', () => {
    const ledger = readLedger(ledgerPath);
    expectOutcomes(ledger.jobs, corpus);
    expectGoodSavedOnce(ledger.receipts, corpus);
  });

  it('stops the PDF that makes pdfjs spin at the per-file time limit, while the rest goes on', () => {
    const spin = app.queue.list().jobs.find((j) => j.fileName === NAMES.spinning);
    expect(spin?.error).toMatch(new RegExp(`${FILE_TIMEOUT_MS / 1000} s`));
    // Nothing waited for more than one time limit: the spin held one slot while the others worked.
    expect(elapsedMs).toBeLessThan(FILE_TIMEOUT_MS + 60_000);
  });

  it('keeps memory bounded', () => {
    expect(rssGrowthMb).toBeLessThan(MAX_RSS_GROWTH_MB);
  });
});

describe('the hostile corpus through the CLI', () => {
  let corpus: HostileCorpus;
  let db: string;
  let result: { code: number | null; stdout: string; stderr: string; peakRssMb: number };

  /** Peak resident memory of a live process so far (Linux); 0 where /proc is not available. */
  const peakRssMb = (pid: number): number => {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  };

  beforeAll(async () => {
    const dir = corpusDir();
    corpus = await writeHostileCorpus(join(dir, 'in'));
    db = join(dir, 'ledger.sqlite3');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'src/main/cli.ts'),
        'scan',
        '--db',
        db,
        '--json',
        '--date-order',
        'DMY',
        '--concurrency',
        '1',
        corpus.dir,
      ],
      { cwd: root, env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') } },
    );
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let stopChanging: Promise<() => void> | undefined;
    const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(child.pid!))), 100);
    // The CLI prints a file's line when it is done, so the first line means the walk is over.
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      stopChanging ??= corpus.vanish().then(() => corpus.keepChanging());
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // A hang fails here rather than at the test timeout, with what the CLI had said so far.
    const guard = setTimeout(() => child.kill('SIGKILL'), 100_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(guard);
    clearInterval(sampler);
    (await stopChanging)?.();
    result = { code, stdout, stderr, peakRssMb: peak };
  });

  it('runs the batch to its end and exits 0', () => {
    expect(result.code, result.stderr).toBe(0);
  });

  it('prints one line per file with one specific error for each bad file, then the summary', () => {
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const files = lines.filter((l) => 'file' in l) as ({ file: string } & { status: string; error?: string })[];
    expectOutcomes(
      group(
        files.map((f) => ({ name: basename(f.file), state: f.status, error: f.error })),
        (f) => f.name,
      ),
      corpus,
    );
    const bad = files.length - corpus.good.length;
    expect(lines.at(-1)?.summary).toMatchObject({ saved: corpus.good.length, duplicate: 0 });
    expect(lines.at(-1).summary.failed + lines.at(-1).summary.skipped).toBe(bad);
  });

  it('persists every outcome in the ledger, and each good receipt once', () => {
    const ledger = readLedger(db);
    expectOutcomes(ledger.jobs, corpus);
    expectGoodSavedOnce(ledger.receipts, corpus);
  });

  it('keeps the process memory bounded', () => {
    expect(result.peakRssMb).toBeLessThan(MAX_RSS_GROWTH_MB + 400);
  });
});
