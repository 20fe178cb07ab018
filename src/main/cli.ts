// Headless entry over the same composition root as the window: scan files, folders and links into the
// ledger, or export it as CSV.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createApp, memorySecrets, type App } from './app';
import { defaultUserDataDir, ledgerPathIn, settingsPathIn } from './paths';
import { isTerminal, OCR_ENGINES, type Job, type JobState } from '../shared/model';
import type { StoredSettings } from './settings';
import { ledgerFilterSchema } from '../shared/contract';
import { exportLedgerCsv } from './export/ledger-csv';
import { z } from 'zod';
import { watchUntilInterrupted } from './watch/cli-watch';
import { bindKey } from './secret-store';
import { DEFAULT_OCRSPACE_URL } from './ocr/ocrspace';

const USAGE = `usage:
  npm run scan -- [--db FILE] [--date-order DMY|MDY] [--currency CODE] [--concurrency N]
                  [--engine paddle|tesseract|ocrspace] [--ocrspace-url URL] [--json] PATH|URL...
  npm run scan -- [options as above] --watch FOLDER   (queues new files until Ctrl+C)
  npm run export -- [--db FILE] --out FILE.csv [--search TEXT] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                    [--needs-review] [--possible-duplicates]
env: OCRSPACE_API_KEY (with --engine ocrspace), OCRSPACE_URL`;

class UsageError extends Error {}

const OPTIONS = {
  db: { type: 'string' },
  'date-order': { type: 'string' },
  currency: { type: 'string' },
  concurrency: { type: 'string' },
  engine: { type: 'string' },
  'ocrspace-url': { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  search: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'needs-review': { type: 'boolean' },
  'possible-duplicates': { type: 'boolean' },
  watch: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let command: string | undefined;
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
    command = positionals.shift();
    if (values.help) {
      out.write(`${USAGE}\n`);
      return 0;
    }
    if (command === 'scan' && values.watch !== undefined) return await watchFolder(values, resolve(values.watch), err);
    if (command === 'scan') return await scan(values, positionals, out, err);
    if (command === 'export') return await exportCsv(values, positionals, out);
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    err.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}

function overrides(values: Values): Partial<StoredSettings> {
  const o: Partial<StoredSettings> = {};
  const order = values['date-order']?.toUpperCase();
  if (order !== undefined) {
    if (order !== 'DMY' && order !== 'MDY') throw new UsageError('--date-order must be DMY or MDY');
    o.dateOrder = order;
  }
  if (values.currency !== undefined) {
    if (!/^[A-Za-z]{3}$/.test(values.currency)) throw new UsageError('--currency must be an ISO 4217 code such as EUR');
    o.defaultCurrency = values.currency.toUpperCase();
  }
  if (values.concurrency !== undefined) {
    const n = Number(values.concurrency);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError('--concurrency must be a whole number from 1 to 64');
    o.concurrency = n;
  }
  if (values.engine !== undefined) {
    const engine = OCR_ENGINES.find((e) => e === values.engine);
    if (!engine) throw new UsageError(`--engine must be one of ${OCR_ENGINES.join(', ')}`);
    o.ocrEngine = engine;
  }
  const url = values['ocrspace-url'] ?? process.env.OCRSPACE_URL;
  if (url !== undefined) {
    if (!/^https?:\/\//i.test(url)) throw new UsageError('--ocrspace-url must be an http(s) URL');
    o.ocrSpaceUrl = url;
  }
  return o;
}

async function openApp(values: Values, extra: Partial<StoredSettings> = {}): Promise<App> {
  const userData = defaultUserDataDir();
  const o = { ...overrides(values), ...extra };
  return createApp({
    ledgerPath: values.db ? resolve(values.db) : ledgerPathIn(userData),
    settingsPath: settingsPathIn(userData),
    overrides: o,
    ocrWorkers: o.concurrency,
    // The key from the environment is for the address given with it (or OCR.space itself).
    secrets: memorySecrets(process.env.OCRSPACE_API_KEY ? bindKey(process.env.OCRSPACE_API_KEY, o.ocrSpaceUrl ?? DEFAULT_OCRSPACE_URL) : null),
    watchFolders: false,
  });
}

async function watchFolder(values: Values, folder: string, err: NodeJS.WritableStream): Promise<number> {
  const app = await openApp(values);
  try {
    return await watchUntilInterrupted(app, folder, err);
  } finally {
    await app.close();
  }
}

async function scan(values: Values, inputs: string[], out: NodeJS.WritableStream, err: NodeJS.WriteStream | NodeJS.WritableStream): Promise<number> {
  if (inputs.length === 0) throw new UsageError('scan needs at least one file, folder or link');
  const app = await openApp(values);
  const jobs = new Map<number, Job>();
  const printed = new Set<number>();
  const bar = !values.json && 'isTTY' in err && err.isTTY ? new ProgressLine(err) : undefined;
  const counts: Record<string, number> = {};
  let possibleDuplicates = 0;

  const report = (job: Job) => {
    if (printed.has(job.id) || !isTerminal(job.state)) return;
    printed.add(job.id);
    counts[job.state] = (counts[job.state] ?? 0) + 1;
    const receipt = job.receiptId ? app.ledger.get(job.receiptId) : null;
    // Saved, but with the same merchant, date and total as receipts already there: worth a look.
    const alike = receipt?.possibleDuplicates ?? [];
    if (alike.length > 0) possibleDuplicates++;
    if (values.json) {
      const line: Record<string, unknown> = { file: job.source, status: job.state };
      if (job.error) line.error = job.error;
      if (receipt) {
        const { ocrText: _text, duplicates: _pairs, ...row } = receipt;
        line.receipt = row;
      }
      if (job.duplicateOf) line.duplicateOf = job.duplicateOf;
      out.write(`${JSON.stringify(line)}\n`);
    } else if (job.state === 'failed' || job.state === 'skipped') {
      bar?.clear();
      err.write(`${job.state}: ${job.source}: ${job.error}\n`);
    } else if (alike.length > 0) {
      bar?.clear();
      err.write(`saved as #${receipt!.id} (possible duplicate of ${alike.map((id) => `#${id}`).join(', ')}): ${job.source}\n`);
    }
  };
  const unsubscribe = app.onEvent((event, payload) => {
    if (event !== 'queue:progress') return;
    const { added, updates } = payload as { added: Job[]; updates: (Partial<Job> & { id: number })[] };
    for (const job of added) jobs.set(job.id, { ...job });
    for (const update of updates) {
      const job = jobs.get(update.id);
      if (job) Object.assign(job, update);
    }
    for (const job of jobs.values()) report(job);
    bar?.draw(jobs);
  });
  const stop = () => {
    err.write('\nstopping: unfinished files resume on the next run\n');
    void app.close().then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    for (const job of app.queue.list().jobs) if (!isTerminal(job.state)) jobs.set(job.id, job);
    const urls = inputs.filter((i) => /^https?:\/\//i.test(i));
    const paths = inputs.filter((i) => !/^https?:\/\//i.test(i));
    for (const url of urls) app.queue.addUrl(url);
    if (paths.length > 0) await app.queue.addPaths(paths);
    await app.queue.idle();
    // Jobs finished before their 'added' event was seen are read back from the ledger.
    for (const job of app.queue.list().jobs) if (jobs.has(job.id)) report(job);
  } finally {
    process.off('SIGINT', stop);
    unsubscribe();
    bar?.clear();
    await app.close();
  }
  const summary = { saved: 0, duplicate: 0, failed: 0, skipped: 0, cancelled: 0, ...counts };
  if (values.json) out.write(`${JSON.stringify({ summary })}\n`);
  else {
    const alike = possibleDuplicates > 0 ? ` (${possibleDuplicates} possible duplicate${possibleDuplicates === 1 ? '' : 's'})` : '';
    err.write(`${Object.entries(summary).map(([k, v]) => `${v} ${k}${k === 'saved' ? alike : ''}`).join(', ')}\n`);
  }
  return 0;
}

async function exportCsv(values: Values, rest: string[], out: NodeJS.WritableStream): Promise<number> {
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (!values.out) throw new UsageError('export needs --out FILE.csv');
  const app = await openApp(values);
  try {
    // Not through the renderer's contract: --out is a path the local user typed, which 'export:csv' never takes.
    const filter = ledgerFilterSchema.safeParse({
      ...(values.search ? { text: values.search } : {}),
      ...(values.from ? { dateFrom: values.from } : {}),
      ...(values.to ? { dateTo: values.to } : {}),
      ...(values['needs-review'] ? { needsReview: true } : {}),
      ...(values['possible-duplicates'] ? { possibleDuplicates: true } : {}),
    });
    if (!filter.success) throw new UsageError(z.prettifyError(filter.error));
    const { rows, path } = await exportLedgerCsv(app.ledger, filter.data, resolve(values.out));
    out.write(`wrote ${rows} receipts to ${path}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

/** One redrawn line on a terminal: bar, counts, current stage mix. */
class ProgressLine {
  private last = 0;
  constructor(private readonly stream: NodeJS.WritableStream) {}

  draw(jobs: Map<number, Job>): void {
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    let done = 0;
    let sum = 0;
    const active: Partial<Record<JobState, number>> = {};
    for (const job of jobs.values()) {
      if (isTerminal(job.state)) done++;
      else active[job.state] = (active[job.state] ?? 0) + 1;
      sum += isTerminal(job.state) ? 100 : job.percent;
    }
    const fraction = jobs.size ? sum / (jobs.size * 100) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const stages = Object.entries(active).map(([s, n]) => `${s} ${n}`).join(' · ');
    this.stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${jobs.size} ${stages}`);
  }

  clear(): void {
    this.stream.write('\r\x1b[2K');
  }
}

if (process.argv[1] && /cli\.(ts|js|mjs)$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
