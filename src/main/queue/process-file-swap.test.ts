// The file checked is the file read: a receipt swapped for another after it was hashed, before OCR,
// is still read as the bytes that were hashed (a real text PDF, a real ledger; the PDF's text layer is
// read, so no OCR engine runs).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../ledger/ledger';
import { EngineSwitch } from '../ocr/engine-switch';
import { memorySecrets } from '../app';
import { defaultSettings } from '../settings';
import { textPdf } from '../testing/text-pdf';
import { processFile } from './process-file';

let dir: string;
let workDir: string;
let ledger: Ledger;
let engine: EngineSwitch;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-swap-'));
  workDir = mkdtempSync(join(tmpdir(), 'rs-swap-work-'));
  ledger = Ledger.open(join(dir, 'ledger.sqlite3'));
  engine = new EngineSwitch({ ocrWorkers: 1, secrets: memorySecrets() });
});
afterEach(async () => {
  await engine.close();
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe('processFile', () => {
  it('reads the bytes it hashed when the file is swapped between hashing and OCR', async () => {
    const path = join(dir, 'receipt.pdf');
    writeFileSync(path, textPdf(['CORNER CAFE', 'Date: 14/03/2024', 'TOTAL 8.32']));
    const original = readFileSync(path);
    const [job] = ledger.addJobs('batch', [{ source: path, fileName: 'receipt.pdf' }]);
    const settings = { ...defaultSettings('en-GB'), ocrEngine: 'tesseract' as const };
    const outcome = await processFile(
      job!,
      {
        ledger,
        engine,
        settings: () => settings,
        limits: { maxBytes: 10_000_000, maxPixels: 10_000_000 },
        workDir,
        download: () => Promise.reject(new Error('no links here')),
        // Runs after the hash, before OCR: another receipt takes the file's place.
        claimSha: async () => {
          writeFileSync(path, textPdf(['EVIL SHOP', 'Date: 01/01/2024', 'TOTAL 999.00']));
          return () => {};
        },
      },
      new AbortController().signal,
      () => {},
    );
    expect(outcome.state).toBe('saved');
    const receipt = outcome.state === 'saved' ? outcome.receipt : undefined;
    expect(receipt).toMatchObject({
      merchant: 'CORNER CAFE',
      totalMinor: 832,
      sha256: createHash('sha256').update(original).digest('hex'),
    });
    expect(ledger.get(receipt!.id)?.ocrText).not.toContain('EVIL');
    // The private copy is gone once the file is done.
    expect(readdirSync(workDir)).toEqual([]);
  });
});
