// PDF receipts through the whole pipeline: a digital PDF is read from its text layer (no OCR) and
// saved; a scanned, password-protected or broken PDF fails with its own clear message.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { textPdf } from '../testing/text-pdf';

let dir: string;
let app: App;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-pdf-'));
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  writeFileSync(join(inbox, 'cafe.pdf'), textPdf(['CORNER CAFE', '12 Main St', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20', 'TAX 0.62', 'TOTAL 8.32']));
  writeFileSync(join(inbox, 'scanned.pdf'), textPdf([]));
  writeFileSync(join(inbox, 'locked.pdf'), textPdf(['TOTAL 1.00'], { encrypt: true }));
  writeFileSync(join(inbox, 'broken.pdf'), '%PDF-1.4\nnot really a pdf\n');
  app = await createApp({ ledgerPath: join(dir, 'ledger.sqlite3'), ocrWorkers: 1, overrides: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 } });
  await app.queue.addPaths([inbox]);
  await app.queue.idle();
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const job = (name: string) => app.queue.list().jobs.find((j) => j.fileName === name);

describe('PDF receipts', () => {
  it('saves a digital PDF from its text layer', () => {
    expect(job('cafe.pdf')?.state).toBe('saved');
    const [row] = app.ledger.query({}).rows;
    expect(row).toMatchObject({ merchant: 'CORNER CAFE', totalMinor: 832, taxMinor: 62, date: '2024-03-14' });
  });

  it('fails scanned, password-protected and broken PDFs with clear messages', () => {
    expect(job('scanned.pdf')).toMatchObject({ state: 'failed', error: expect.stringMatching(/scanned PDFs \(no text layer\) are not supported yet/) });
    expect(job('locked.pdf')).toMatchObject({ state: 'failed', error: expect.stringMatching(/Password-protected PDFs are not supported/) });
    expect(job('broken.pdf')).toMatchObject({ state: 'failed', error: expect.stringMatching(/The PDF could not be read/) });
  });
});
