// Headless entry over the same composition root as the window: scan files, folders and links into the
// ledger, or export it as CSV.
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { createApp, memorySecrets, type App } from './app';
import { defaultUserDataDir, ledgerPathIn, settingsPathIn } from './paths';
import { defaultSettings, SettingsStore, type StoredSettings } from './settings';
import { exportCsv } from './export/csv';
import { LOG_PROGRESS_INTERVAL_MS, LogProgress, TerminalProgress, type Progress } from './cli-progress';
import { printable, printableJson } from './printable';
import { isTerminal, OCR_ENGINES, type Job, type LedgerFilter } from '../shared/model';
import type { ExportedReceipt } from './ledger/rows';
import { watchUntilInterrupted } from './watch/cli-watch';
import { bindKey } from './secret-store';
import { DEFAULT_OCRSPACE_URL } from './ocr/ocrspace';

const USAGE = `usage:
  npm run scan -- [--db FILE] [--date-order DMY|MDY] [--currency CODE] [--concurrency N]
                  [--engine ${OCR_ENGINES.join('|')}] [--ocrspace-url URL] [--json] PATH|URL...
  npm run scan -- [options as above] --watch FOLDER   (queues new files until Ctrl+C)
  npm run export -- [--db FILE] [--create-db] --out FILE.csv [--search TEXT] [--from YYYY-MM-DD]
                    [--to YYYY-MM-DD] [--needs-review] [--possible-duplicates]
  npm run scan -- --help    (what each option does, and its default)`;

/** The command line is wrong: says why, with the usage; exit 2. */
class UsageError extends Error {}
/** A file, folder or ledger named on the command line cannot be used: one line, no usage; exit 1. */
class TargetError extends Error {}

export const OPTIONS = {
  db: { type: 'string' },
  'create-db': { type: 'boolean' },
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
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const command = positionals.shift();
    if (values.help) {
      out.write(help());
      return 0;
    }
    if (command === 'scan' && values.watch !== undefined) return await watchFolder(values, resolve(values.watch), err);
    if (command === 'scan') return await scan(values, positionals, out, err);
    if (command === 'export') return await exportLedger(values, positionals, out);
    throw new UsageError(command ? `unknown command "${printable(command)}"` : 'no command given');
  } catch (error) {
    const message = printable((error as Error).message);
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`${message}\n${USAGE}\n`);
      return 2;
    }
    // Expected or not, one line: a stack trace tells a user nothing they can act on.
    err.write(`error: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

/** Full help: every option, its default now, and where that default comes from. */
function help(): string {
  const settingsPath = settingsPathIn(defaultUserDataDir());
  const saved = new SettingsStore(settingsPath).get();
  const locale = Intl.DateTimeFormat().resolvedOptions().locale;
  const builtIn = defaultSettings();
  const source = (key: keyof StoredSettings, otherwise: string) => (saved[key] !== builtIn[key] ? "the desktop app's setting" : otherwise);
  const url = process.env.OCRSPACE_URL
    ? `${printable(process.env.OCRSPACE_URL)} (from OCRSPACE_URL)`
    : `${saved.ocrSpaceUrl} (${source('ocrSpaceUrl', 'built in')})`;
  return `Scan receipt photos, scans and PDFs into a local ledger, and export the ledger as CSV.

${USAGE}

scan PATH|URL...  reads each file, every file under each folder, and each http(s) link, one receipt per file.
  Exit status: 0 when at least one input gave a receipt (new, or already in the ledger); 1 when none did
  (all skipped or failed) or on an error; 2 on a usage error; 130 when interrupted (the rest resumes next run).
  Progress goes to stderr: a redrawn line on a terminal, else a line at most every ${LOG_PROGRESS_INTERVAL_MS / 1000} s.
export            writes the ledger's receipts (or those matching the filters) to a CSV file.

  --db FILE              the ledger, an SQLite file. Default: the desktop app's, ${ledgerPathIn(defaultUserDataDir())}.
                         scan creates it when missing; export refuses a missing one unless --create-db.
  --create-db            (export) create --db when it does not exist, and export its header only. Default: off.
  --date-order DMY|MDY   (scan) how to read a date such as 03/04/2025 that could be either way.
                         Default now: ${saved.dateOrder} (${source('dateOrder', `system locale ${locale}`)}).
  --currency CODE        (scan) ISO 4217 code for receipts that print no currency of their own.
                         Default now: ${saved.defaultCurrency} (${source('defaultCurrency', `system locale ${locale}`)}).
  --concurrency N        (scan) files read at once, 1 to 64. Default now: ${saved.concurrency} (${source('concurrency', 'CPU cores')}).
  --engine NAME          (scan) paddle: PP-OCR, offline; tesseract: offline, older; ocrspace: OCR.space cloud,
                         uploads each file and needs OCRSPACE_API_KEY. Default now: ${saved.ocrEngine} (${source('ocrEngine', 'built in')}).
  --ocrspace-url URL     (scan) the OCR.space endpoint. Default now: ${url}.
  --watch FOLDER         (scan) instead of PATHs: queue each new file that settles in FOLDER (and its subfolders)
                         until Ctrl+C; files already in the ledger are skipped silently. Default: off. The
                         desktop app's own watch folders are not touched.
  --json                 (scan) one JSON object per file on stdout ({"file","status","error"?,"receipt"?}),
                         then {"summary":…}. Default: off (a line per failed, skipped or possibly duplicate file,
                         and a summary, on stderr).
  --out FILE.csv         (export, required) the CSV to write, replaced if it exists; its folder must exist.
  --search TEXT          (export) only receipts whose text or fields contain TEXT. Default: all.
  --from YYYY-MM-DD      (export) only receipts dated on or after that day. Default: no lower bound.
  --to YYYY-MM-DD        (export) only receipts dated on or before that day. Default: no upper bound.
  --needs-review         (export) only receipts flagged for a person to check. Default: off.
  --possible-duplicates  (export) only receipts flagged as possible duplicates. Default: off.
  -h, --help             this text.

Where defaults come from: the settings saved by the desktop app (${settingsPath}), else the system
locale (set LANG or LC_ALL, e.g. LANG=en_GB.UTF-8 for DMY and GBP). Options change them for one run only.
Environment: OCRSPACE_API_KEY (key for --engine ocrspace), OCRSPACE_URL (as --ocrspace-url).
`;
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

/** The ledger file the command works on, refused up front when it cannot be one. */
function ledgerPath(values: Values, mustExist: boolean): string {
  const path = values.db ? resolve(values.db) : ledgerPathIn(defaultUserDataDir());
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new TargetError(`--db ${path} is a folder: give the ledger file, e.g. ${join(path, 'ledger.sqlite3')}`);
  if (!stat && mustExist) {
    throw new TargetError(
      values.db
        ? `no ledger at ${path}: scan receipts into it first, or add --create-db to export an empty one`
        : `no ledger at ${path} (the desktop app's): scan receipts first, or name one with --db FILE`,
    );
  }
  return path;
}

async function openApp(values: Values, path: string): Promise<App> {
  const userData = defaultUserDataDir();
  const o = overrides(values);
  try {
    return await createApp({
      ledgerPath: path,
      settingsPath: settingsPathIn(userData),
      overrides: o,
      ocrWorkers: o.concurrency,
      // The key from the environment is for the address given with it (or OCR.space itself).
      secrets: memorySecrets(
        process.env.OCRSPACE_API_KEY ? bindKey(process.env.OCRSPACE_API_KEY, o.ocrSpaceUrl ?? DEFAULT_OCRSPACE_URL) : null,
      ),
      watchFolders: false,
    });
  } catch (error) {
    throw new TargetError(`cannot open the ledger ${path}: ${(error as Error).message}`);
  }
}

async function watchFolder(values: Values, folder: string, err: NodeJS.WritableStream): Promise<number> {
  const app = await openApp(values, ledgerPath(values, false));
  try {
    return await watchUntilInterrupted(app, folder, err);
  } finally {
    await app.close();
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** What a person should look at next: "2 need review, 1 possible duplicate". */
const flagged = (needsReview: number, possibleDuplicates: number) =>
  `${plural(needsReview, 'needs', 'need')} review, ${plural(possibleDuplicates, 'possible duplicate')}`;

async function scan(
  values: Values,
  inputs: string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WriteStream | NodeJS.WritableStream,
): Promise<number> {
  if (inputs.length === 0) throw new UsageError('scan needs at least one file, folder or link');
  const app = await openApp(values, ledgerPath(values, false));
  const jobs = new Map<number, Job>();
  const printed = new Set<number>();
  const progress: Progress = 'isTTY' in err && err.isTTY ? new TerminalProgress(err) : new LogProgress(err);
  const counts: Record<string, number> = {};
  let possibleDuplicates = 0;
  let needsReview = 0;

  const report = (job: Job) => {
    if (printed.has(job.id) || !isTerminal(job.state)) return;
    printed.add(job.id);
    counts[job.state] = (counts[job.state] ?? 0) + 1;
    const receipt = job.receiptId && job.state === 'saved' ? app.ledger.get(job.receiptId) : null;
    // Saved, but with the same merchant, date and total as receipts already there: worth a look.
    const alike = receipt?.possibleDuplicates ?? [];
    if (alike.length > 0) possibleDuplicates++;
    if (receipt?.needsReview) needsReview++;
    if (values.json) {
      const line: Record<string, unknown> = { file: job.source, status: job.state };
      if (job.error) line.error = job.error;
      if (receipt) {
        const { ocrText: _text, duplicates: _pairs, ...row } = receipt;
        line.receipt = row;
      }
      if (job.duplicateOf) line.duplicateOf = job.duplicateOf;
      out.write(`${printableJson(line)}\n`);
    } else if (job.state === 'failed' || job.state === 'skipped') {
      progress.clear();
      err.write(`${job.state}: ${printable(job.source)}: ${printable(job.error ?? '')}\n`);
    } else if (alike.length > 0) {
      progress.clear();
      err.write(`saved as #${receipt!.id} (possible duplicate of ${alike.map((id) => `#${id}`).join(', ')}): ${printable(job.source)}\n`);
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
    progress.draw(jobs);
  });
  const stop = () => {
    progress.clear();
    err.write('\nstopping: unfinished files resume on the next run\n');
    void app.close().then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  let engineProblem: string | null;
  try {
    for (const job of app.queue.list().jobs) if (!isTerminal(job.state)) jobs.set(job.id, job);
    const urls = inputs.filter((i) => /^https?:\/\//i.test(i));
    const paths = inputs.filter((i) => !/^https?:\/\//i.test(i));
    for (const url of urls) app.queue.addUrl(url);
    if (paths.length > 0) await app.queue.addPaths(paths);
    await app.queue.idle();
    // Jobs finished before their 'added' event was seen are read back from the ledger.
    for (const job of app.queue.list().jobs) if (jobs.has(job.id)) report(job);
    engineProblem = app.engineProblem();
  } finally {
    process.off('SIGINT', stop);
    unsubscribe();
    progress.clear();
    await app.close();
  }
  const summary = { saved: 0, duplicate: 0, failed: 0, skipped: 0, cancelled: 0, ...counts };
  // A duplicate is a receipt too: the file is already in the ledger.
  const produced = summary.saved + summary.duplicate > 0;
  if (values.json) out.write(`${JSON.stringify({ summary: { ...summary, needsReview, possibleDuplicates } })}\n`);
  else {
    const saved = ` (${flagged(needsReview, possibleDuplicates)})`;
    err.write(
      `${Object.entries(summary)
        .map(([k, v]) => `${v} ${k}${k === 'saved' ? saved : ''}`)
        .join(', ')}\n`,
    );
    if (engineProblem) err.write(`warning: ${engineProblem}; these receipts were read with tesseract instead\n`);
    if (!produced)
      err.write(
        `no receipt from ${inputs.length === 1 ? 'this input' : 'these inputs'}: ${jobs.size === 0 ? 'no files found' : 'every file was skipped or failed'}\n`,
      );
  }
  return produced ? 0 : 1;
}

/** A --from/--to value: a real calendar day as YYYY-MM-DD. */
function isoDay(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const day = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!day || day.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`--${option} must be a real date as YYYY-MM-DD, got "${printable(value)}"`);
  }
  return value;
}

/** The CSV path from --out, refused up front when it names a folder or a missing one. */
function csvTarget(out: string): string {
  const target = resolve(out);
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    throw new TargetError(`--out ${target} is a folder: give a file name, e.g. ${join(target, 'receipts.csv')}`);
  }
  if (!statSync(dirname(target), { throwIfNoEntry: false })?.isDirectory()) {
    throw new TargetError(`--out ${target}: the folder ${dirname(target)} does not exist`);
  }
  return target;
}

const WRITE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EISDIR: 'it is a folder',
};

async function exportLedger(values: Values, rest: string[], out: NodeJS.WritableStream): Promise<number> {
  if (rest.length > 0) throw new UsageError(`unexpected argument "${printable(rest[0])}"`);
  if (!values.out) throw new UsageError('export needs --out FILE.csv');
  const filter: LedgerFilter = {
    ...(values.search ? { text: values.search } : {}),
    ...(values.from ? { dateFrom: isoDay('from', values.from) } : {}),
    ...(values.to ? { dateTo: isoDay('to', values.to) } : {}),
    ...(values['needs-review'] ? { needsReview: true } : {}),
    ...(values['possible-duplicates'] ? { possibleDuplicates: true } : {}),
  };
  if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) {
    throw new UsageError(`--from ${filter.dateFrom} is after --to ${filter.dateTo}`);
  }
  const target = csvTarget(values.out);
  const app = await openApp(values, ledgerPath(values, !values['create-db']));
  let needsReview = 0;
  let possibleDuplicates = 0;
  function* tally(rows: Iterable<ExportedReceipt>): Generator<ExportedReceipt> {
    for (const row of rows) {
      if (row.needsReview) needsReview++;
      if (row.possibleDuplicates.length > 0) possibleDuplicates++;
      yield row;
    }
  }
  try {
    const { rows } = await exportCsv(tally(app.ledger.exportRows(filter)), target).catch((error: NodeJS.ErrnoException) => {
      throw new TargetError(`cannot write ${target}: ${WRITE_ERRORS[error.code ?? ''] ?? error.message}`);
    });
    out.write(`exported ${plural(rows, 'receipt')} (${flagged(needsReview, possibleDuplicates)}) to ${printable(target)}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

if (process.argv[1] && /cli\.(ts|js|mjs)$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
