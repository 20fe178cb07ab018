// The command line as a person runs it: a real child process over real files and a real ledger.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReceiptImage } from './testing/receipt-image';

const root = join(import.meta.dirname, '..', '..');
let home: string;

function cliArgs(args: string[]) {
  return [process.execPath, ['--import', 'tsx', join(root, 'src/main/cli.ts'), ...args]] as const;
}
function run(args: string[]) {
  const [cmd, argv] = cliArgs(args);
  const r = spawnSync(cmd, argv, { cwd: root, env: { ...process.env, XDG_CONFIG_HOME: home }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const jsonLines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l));

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

describe('scan and export', () => {
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
    expect(lines.at(-1)).toEqual({ summary: { saved: 1, duplicate: 0, failed: 1, skipped: 0, cancelled: 0 } });

    const again = run(['scan', '--db', db, '--json', inbox]);
    expect(jsonLines(again.stdout).at(-1).summary).toMatchObject({ saved: 0, duplicate: 1, failed: 1 });

    const out = join(dir, 'out.csv');
    const exported = run(['export', '--db', db, '--out', out]);
    expect(exported.code).toBe(0);
    const csv = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
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
    expect(run([...args, join(dir, 'other.png')]).stderr).toBe('1 saved, 0 duplicate, 0 failed, 0 skipped, 0 cancelled\n');

    const second = run([...args, join(dir, 'photo.jpg')]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`saved as #3 (possible duplicate of #1): ${join(dir, 'photo.jpg')}\n`);
    expect(second.stderr).toContain('1 saved (1 possible duplicate), 0 duplicate');

    const out = join(dir, 'out.csv');
    expect(run(['export', '--db', db, '--out', out, '--possible-duplicates']).stdout).toBe(`wrote 2 receipts to ${out}\n`);
    const [header, ...rows] = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    expect(rows.map((r) => r[header.indexOf('possible_duplicate_of')])).toEqual(['3', '1']);
  });
});

describe('crash safety', () => {
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
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`scan ended before it was killed: ${seen}`))));
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
    const unfinished = check.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued','reading','ocr','extracting')`).get() as { n: number };
    expect(unfinished.n).toBe(0);
    check.close();
  });
});
