// The command line as a person runs it: a real child process over real files and a real ledger.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPTIONS } from './cli';
import { writeReceiptImage } from './testing/receipt-image';

const root = join(import.meta.dirname, '..', '..');
let home: string;

function cliArgs(args: string[]) {
  return [process.execPath, ['--import', 'tsx', join(root, 'src/main/cli.ts'), ...args]] as const;
}
function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const [cmd, argv] = cliArgs(args);
  const r = spawnSync(cmd, argv, { cwd: root, env: { ...process.env, XDG_CONFIG_HOME: home, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** Expected user errors: one line on stderr, no usage text, no stack trace, exit 1. */
function expectOneLineError(r: ReturnType<typeof run>, message: RegExp) {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: [^\n]*\n$/);
  expect(r.stderr).toMatch(message);
}
// Each child process loads the OCR models afresh, and a test here runs up to five of them one after
// another: on a shared two-core machine that outlasts the suite's 120 s default.
const SCANS = { timeout: 360_000 };
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'rs-cli-home-'));
});

describe('usage errors', () => {
  it.each([
    [[], /no command/],
    [['scan'], /at least one/],
    [['scan', '--date-order', 'YDM', 'x'], /DMY or MDY/],
    [['scan', '--concurrency', '0', 'x'], /concurrency/],
    [['scan', '--bogus', 'x'], /bogus/],
    [['export', '--db', '/tmp/x.db'], /--out/],
  ])('%j exits 2 and says why', (args, message) => {
    const r = run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/usage:/);
  });
});

describe('scan and export', SCANS, () => {
  it('scans a folder with --json, then exports the ledger as CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-cli-'));
    const inbox = join(dir, 'in');
    mkdirSync(inbox);
    await writeReceiptImage(join(inbox, 'a.png'), ['HARBOUR DELI', 'Date: 05/06/2024', 'Soup 6.50', 'TOTAL 6.50']);
    writeFileSync(join(inbox, 'b.pdf'), 'not really a pdf');
    const db = join(dir, 'l.sqlite3');

    const first = run(['scan', '--db', db, '--json', '--date-order', 'DMY', '--concurrency', '1', inbox]);
    expect(first.code).toBe(0);
    const lines = jsonLines(first.stdout);
    const byFile = Object.fromEntries(lines.filter((l) => l.file).map((l) => [l.file.split('/').pop(), l]));
    expect(byFile['a.png']).toMatchObject({ status: 'saved', receipt: { totalMinor: 650, date: '2024-06-05', ocrNotes: [] } });
    expect(byFile['b.pdf']).toMatchObject({ status: 'failed' });
    expect(byFile['b.pdf'].error).toMatch(/\S/);
    expect(lines.at(-1)).toEqual({
      summary: { saved: 1, duplicate: 0, failed: 1, skipped: 0, cancelled: 0, needsReview: 0, possibleDuplicates: 0 },
    });

    const again = run(['scan', '--db', db, '--json', inbox]);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout).at(-1).summary).toMatchObject({ saved: 0, duplicate: 1, failed: 1 });

    const out = join(dir, 'out.csv');
    const exported = run(['export', '--db', db, '--out', out]);
    expect(exported.code).toBe(0);
    const csv = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(csv[0].split(',').slice(0, 7)).toEqual(['id', 'file_name', 'source_path', 'sha256', 'merchant', 'date', 'total']);
    expect(csv[1]).toContain(',2024-06-05,6.50,');
  });

  it('saves a second, different file of a receipt already there, and says it may be a duplicate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-cli-'));
    const lines = ['HARBOUR DELI', 'Date: 05/06/2024', 'Soup 6.50', 'TOTAL 6.50'];
    await writeReceiptImage(join(dir, 'scan.png'), lines);
    await writeReceiptImage(join(dir, 'photo.jpg'), lines, { format: 'jpeg' });
    await writeReceiptImage(join(dir, 'other.png'), ['CITY BOOKS', 'Date: 02/11/2023', 'TOTAL 25.00']);
    const db = join(dir, 'l.sqlite3');
    const args = ['scan', '--db', db, '--date-order', 'DMY', '--concurrency', '1'];
    expect(run([...args, join(dir, 'scan.png')]).code).toBe(0);
    expect(run([...args, join(dir, 'other.png')]).stderr).toMatch(
      /^(progress: .*\n)*1 saved \(0 need review, 0 possible duplicates\), 0 duplicate, 0 failed, 0 skipped, 0 cancelled\n$/,
    );

    const second = run([...args, join(dir, 'photo.jpg')]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`saved as #3 (possible duplicate of #1): ${join(dir, 'photo.jpg')}\n`);
    // A possible duplicate is saved flagged for a person to check.
    expect(second.stderr).toContain('1 saved (1 needs review, 1 possible duplicate), 0 duplicate');

    const out = join(dir, 'out.csv');
    expect(run(['export', '--db', db, '--out', out, '--possible-duplicates']).stdout).toBe(
      `exported 2 receipts (1 needs review, 2 possible duplicates) to ${out}\n`,
    );
    const [header, ...rows] = readFileSync(out, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(rows.map((r) => r[header.indexOf('possible_duplicate_of')])).toEqual(['3', '1']);
  });
});

describe('crash safety', SCANS, () => {
  it('resumes after kill -9 mid-batch with every receipt saved exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-crash-'));
    const inbox = join(dir, 'in');
    mkdirSync(inbox);
    const count = 5;
    for (let i = 0; i < count; i++) {
      await writeReceiptImage(join(inbox, `r${i}.png`), [`STORE NUMBER ${i}`, 'Date: 01/02/2024', `TOTAL ${i + 10}.25`]);
    }
    const db = join(dir, 'l.sqlite3');

    // Kill the scan as soon as its first receipt is saved, while the others are in flight.
    const [cmd, argv] = cliArgs(['scan', '--db', db, '--json', '--concurrency', '1', inbox]);
    const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, XDG_CONFIG_HOME: home } });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout.on('data', (chunk) => {
        seen += chunk;
        if (seen.includes('"status":"saved"')) {
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`scan ended before it was killed: ${seen}`)),
      );
    });
    const mid = new Database(db, { readonly: true });
    const savedBefore = (mid.prepare('SELECT COUNT(*) AS n FROM receipts').get() as { n: number }).n;
    mid.close();
    expect(savedBefore).toBeGreaterThanOrEqual(1);
    expect(savedBefore).toBeLessThan(count);

    const second = run(['scan', '--db', db, '--json', inbox]);
    expect(second.code).toBe(0);
    const check = new Database(db, { readonly: true });
    const receipts = check.prepare('SELECT f.sha256 FROM receipts r JOIN files f ON f.id = r.file_id').all() as { sha256: string }[];
    expect(receipts).toHaveLength(count);
    expect(new Set(receipts.map((r) => r.sha256)).size).toBe(count);
    const unfinished = check.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued','reading','ocr','extracting')`).get() as {
      n: number;
    };
    expect(unfinished.n).toBe(0);
    check.close();
  });
});

describe('the committed samples', SCANS, () => {
  it('scan to one receipt per file with the printed totals, with a progress line at most every 5 s, then export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-samples-'));
    const db = join(dir, 'ledger.sqlite3');
    const started = Date.now();
    const scan = run(['scan', '--db', db, '--json', 'samples']);
    const seconds = (Date.now() - started) / 1000;
    expect(scan.code).toBe(0);
    const files = readdirSync(join(root, 'samples'));
    const lines: { file?: string; status: string; receipt?: Record<string, unknown> }[] = jsonLines(scan.stdout);
    const read = Object.fromEntries(
      lines
        .filter((l) => l.file)
        .map(({ file, status, receipt: r }) => [file!.split('/').pop(), [status, r?.merchant, r?.date, r?.totalMinor, r?.currency]]),
    );
    expect(Object.keys(read).sort()).toEqual(files.sort());
    expect(read).toEqual({
      'bergblick-apotheke.png': ['saved', 'BERGBLICK APOTHEKE', '2025-02-05', 2390, 'CHF'],
      'cafe-lumen.jpg': ['saved', 'CAFE LUMEN', '2025-03-14', 1020, 'EUR'],
      'harbour-deli.heic': ['saved', 'HARBOUR DELI', '2024-06-21', 650, expect.any(String)],
      'kettle-and-crumb.jpg': ['saved', 'THE KETTLE & CRUMB', '2025-01-09', 1005, 'GBP'],
      'north-trail-outfitters.jpg': ['saved', 'NORTH TRAIL OUTFITTERS', '2024-11-23', 2911, 'USD'],
      'papertrail-invoice.pdf': ['saved', 'PAPERTRAIL STATIONERY', '2024-09-30', 6215, 'AUD'],
      'sakura-home-goods-2-pages.pdf': ['saved', 'SAKURA HOME GOODS', '2024-10-02', 3280, 'JPY'],
    });
    // Piped, progress is a plain line now and then: never more than one per 5 s.
    const progress = scan.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    expect(progress.length).toBeLessThanOrEqual(Math.floor(seconds / 5));
    for (const line of progress) expect(line).toMatch(/^progress: \d+\/7 files done, elapsed \d+:\d\d, ETA (\d+:\d\d|\?)(, now \w+ \S+)?/);
    expect(scan.stderr).not.toContain('\r');

    const out = join(dir, 'receipts.csv');
    const exported = run(['export', '--db', db, '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(`exported 7 receipts (0 need review, 0 possible duplicates) to ${out}\n`);
    expect(readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(8);
  });
});

describe('exit status and summary', SCANS, () => {
  it('exits 1 when no input gave a receipt, naming each one skipped or failed on one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-cli-'));
    writeFileSync(join(dir, 'broken.pdf'), 'not really a pdf');
    const r = run(['scan', '--db', join(dir, 'l.sqlite3'), join(dir, 'missing-folder'), join(dir, 'broken.pdf')]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/usage:|\n\s+at /);
    expect(r.stderr).toContain(`skipped: ${join(dir, 'missing-folder')}: `);
    expect(r.stderr).toContain(`failed: ${join(dir, 'broken.pdf')}: `);
    expect(r.stderr).toContain('0 saved (0 need review, 0 possible duplicates), 0 duplicate, 1 failed, 1 skipped, 0 cancelled\n');
    expect(r.stderr).toContain('no receipt from these inputs: every file was skipped or failed\n');

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = run(['scan', '--db', join(dir, 'l.sqlite3'), '--json', empty]);
    expect(none.code).toBe(1);
    expect(jsonLines(none.stdout)).toEqual([
      { summary: { saved: 0, duplicate: 0, failed: 0, skipped: 0, cancelled: 0, needsReview: 0, possibleDuplicates: 0 } },
    ]);
  });

  it('counts the saved receipts that need review, in the scan summary and the export line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-cli-'));
    // No total anywhere: saved, but a person must check it.
    await writeReceiptImage(join(dir, 'no-total.png'), ['CORNER KIOSK', 'Date: 05/06/2024', 'Thank you']);
    await writeReceiptImage(join(dir, 'fine.png'), ['HARBOUR DELI', 'Date: 05/06/2024', 'Soup 6.50', 'TOTAL 6.50']);
    const db = join(dir, 'l.sqlite3');
    const r = run(['scan', '--db', db, '--concurrency', '1', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('2 saved (1 needs review, 0 possible duplicates), 0 duplicate');
    const out = join(dir, 'review.csv');
    expect(run(['export', '--db', db, '--out', out, '--needs-review']).stdout).toBe(
      `exported 1 receipt (1 needs review, 0 possible duplicates) to ${out}\n`,
    );
  });

  it('on a terminal, redraws one line with the current file, elapsed time and ETA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-tty-'));
    await writeReceiptImage(join(dir, 'tty-receipt.png'), ['HARBOUR DELI', 'Date: 05/06/2024', 'TOTAL 6.50']);
    const [cmd, argv] = cliArgs(['scan', '--db', join(dir, 'l.sqlite3'), join(dir, 'tty-receipt.png')]);
    // util-linux `script` runs the scan on a pseudo-terminal, as a person at a terminal would.
    const r = spawnSync('script', ['-qec', [cmd, ...argv].join(' '), '/dev/null'], {
      cwd: root,
      env: { ...process.env, XDG_CONFIG_HOME: home },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const frames = r.stdout.split('\r\x1b[2K').filter((f) => f.startsWith('['));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.some((f) => /^\[[#-]+\] 0\/1 · elapsed \d+:\d\d, ETA (\d+:\d\d|\?) · \w+ tty-receipt\.png$/.test(f))).toBe(true);
    expect(r.stdout).toContain('1 saved (0 need review, 0 possible duplicates)');
  });
});

describe('help', () => {
  it('describes every option with its default, and says where the date order and currency come from', () => {
    const r = run(['--help'], { LANG: 'en_GB.UTF-8', LC_ALL: 'en_GB.UTF-8' });
    expect(r.code).toBe(0);
    for (const option of Object.keys(OPTIONS)) {
      const described = r.stdout.split('\n').findIndex((l) => new RegExp(`^ {2}(-h, )?--${option}\\b.*\\S`).test(l));
      expect(described, option).toBeGreaterThan(-1);
      // The description (its line or the next ones, up to the next option) names a default, or says the option is required.
      const block = r.stdout
        .split('\n')
        .slice(described, described + 3)
        .join(' ');
      expect(block, option).toMatch(option === 'help' ? /this text/ : /Default|required/);
    }
    expect(r.stdout).toContain('Default now: DMY (system locale en-GB)');
    expect(r.stdout).toContain('Default now: GBP (system locale en-GB)');
    expect(r.stdout).toContain(join(home, 'Receipt Scanner', 'settings.json'));

    const appHome = mkdtempSync(join(tmpdir(), 'rs-cli-home-'));
    mkdirSync(join(appHome, 'Receipt Scanner'));
    writeFileSync(join(appHome, 'Receipt Scanner', 'settings.json'), JSON.stringify({ defaultCurrency: 'CHF' }));
    const saved = run(['--help'], { XDG_CONFIG_HOME: appHome, LANG: 'en_GB.UTF-8', LC_ALL: 'en_GB.UTF-8' });
    expect(saved.stdout).toContain("Default now: CHF (the desktop app's setting)");
  });
});

describe('export refuses what it cannot use, in one line', SCANS, () => {
  let db: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rs-export-'));
    db = join(dir, 'l.sqlite3');
    await writeReceiptImage(join(dir, 'a.png'), ['HARBOUR DELI', 'Date: 05/06/2024', 'TOTAL 6.50']);
    expect(run(['scan', '--db', db, '--date-order', 'DMY', join(dir, 'a.png')]).code).toBe(0);
  }, SCANS.timeout);

  it.each([
    [['--from', '2018-13-45'], /--from must be a real date as YYYY-MM-DD, got "2018-13-45"/],
    [['--to', '2024-02-30'], /--to must be a real date/],
    [['--from', '24-01-01'], /--from must be a real date/],
    [['--from', '2024-05-01', '--to', '2024-04-01'], /--from 2024-05-01 is after --to 2024-04-01/],
  ])('%j is a usage error', (args, message) => {
    const r = run(['export', '--db', db, '--out', join(dir, 'x.csv'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('takes a real date range', () => {
    const out = join(dir, 'june.csv');
    expect(run(['export', '--db', db, '--out', out, '--from', '2024-06-01', '--to', '2024-06-30']).stdout).toMatch(/^exported 1 receipt /);
  });

  it('refuses a --db that does not exist unless --create-db, and never creates the app ledger unasked', () => {
    const missing = join(dir, 'typo.sqlite3');
    expectOneLineError(run(['export', '--db', missing, '--out', join(dir, 'x.csv')]), new RegExp(`no ledger at ${missing}: .*--create-db`));
    expect(existsSync(missing)).toBe(false);

    const fresh = mkdtempSync(join(tmpdir(), 'rs-cli-home-'));
    expectOneLineError(run(['export', '--out', join(dir, 'x.csv')], { XDG_CONFIG_HOME: fresh }), /no ledger at .*the desktop app's/);
    expect(existsSync(join(fresh, 'Receipt Scanner', 'ledger.sqlite3'))).toBe(false);

    const created = run(['export', '--db', missing, '--create-db', '--out', join(dir, 'empty.csv')]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^exported 0 receipts /);
    expect(existsSync(missing)).toBe(true);
  });

  it('names a --db folder in one line, for export and scan', () => {
    expectOneLineError(run(['export', '--db', dir, '--out', join(dir, 'x.csv')]), new RegExp(`--db ${dir} is a folder`));
    expectOneLineError(run(['scan', '--db', dir, join(dir, 'a.png')]), new RegExp(`--db ${dir} is a folder`));
  });

  it('says in one line when --out is in a missing folder or is a folder', () => {
    expectOneLineError(
      run(['export', '--db', db, '--out', join(dir, 'nope', 'x.csv')]),
      new RegExp(`the folder ${join(dir, 'nope')} does not exist`),
    );
    expectOneLineError(run(['export', '--db', db, '--out', dir]), new RegExp(`--out ${dir} is a folder`));
  });
});

describe('text from files is printed inert', SCANS, () => {
  it('escapes control characters in file names and errors, in lines and in JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-escape-'));
    // Retitle the terminal, ring the bell, clear the screen; then an 8-bit CSI and a right-to-left override.
    const name = 'bill\x1b]0;pwned\x07\x1b[2J\u009b31m\u202egpj.pdf';
    writeFileSync(join(dir, name), 'not really a pdf');
    const db = join(dir, 'l.sqlite3');
    const r = run(['scan', '--db', db, dir]);
    expect(r.stderr).toContain('bill\\e]0;pwned\\x07\\e[2J\\x9b31m\\u202egpj.pdf');
    const json = run(['scan', '--db', db, '--json', dir]);
    // eslint-disable-next-line no-control-regex -- no raw control character may reach the terminal
    for (const text of [r.stderr, json.stdout]) expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(jsonLines(json.stdout)[0].file).toBe(join(dir, name));
  });
});
