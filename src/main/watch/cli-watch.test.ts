// `scan --watch` as a person runs it: a real child process watching a real folder, stopped with SIGINT.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { textPdf } from '../testing/text-pdf';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'rs-cli-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --watch', () => {
  it('queues files that arrive until interrupted, then stops cleanly with a summary', async () => {
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/main/cli.ts'), 'scan', '--db', join(dir, 'l.sqlite3'), '--currency', 'USD', '--watch', inbox],
      { cwd: root, env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'home') } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const look = () => stderr.includes(text) && resolve();
        child.stderr.on('data', look);
        void exited.then(() => reject(new Error(`exited before "${text}": ${stderr}`)));
        look();
      });
    await seen('press Ctrl+C to stop');
    writeFileSync(join(inbox, 'arrived.pdf'), textPdf(['LATE NIGHT DINER', 'Date: 14/03/2024', 'TOTAL 21.40']));
    await seen(`saved: ${join(inbox, 'arrived.pdf')}`);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/stopping: .*\n1 saved, 0 duplicate, 0 failed, 0 skipped, 0 cancelled\n$/);
  }, 60_000);
});
