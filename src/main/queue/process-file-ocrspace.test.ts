// OCR.space notes through the whole pipeline (createApp, real SQLite, the OCR.space engine talking to a
// real HTTP server on 127.0.0.1): a file over 1 MB is sent as a smaller JPEG copy and its receipt says so;
// a page the service could not read makes the receipt need review.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, memorySecrets, type App } from '../app';
import { bindKey } from '../secret-store';
import { noisePng } from '../testing/noise';
import { listenLocal, parseFormData, readBody, type LocalServer } from '../net/test-server';

const line = (text: string, top: number) => ({
  LineText: text,
  Words: text.split(' ').map((w, i) => ({ WordText: w, Left: 10 + i * 80, Top: top, Width: 70, Height: 14 })),
});
const page = (lines: ReturnType<typeof line>[]) => ({
  TextOverlay: { Lines: lines, HasOverlay: true },
  FileParseExitCode: 1,
  ParsedText: lines.map((l) => l.LineText).join('\r\n'),
  ErrorMessage: '',
});
const receipt = (total: string) => page([line('HARBOUR DELI', 5), line('Date: 05/06/2024', 30), line(`TOTAL ${total}`, 55)]);
const UNREAD = { FileParseExitCode: -10, ParsedText: '', ErrorMessage: 'OCR engine parse error' };

let dir: string;
let server: LocalServer;
let app: App;
const sent: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-ocrspace-'));
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  // Pseudo-random pixels do not compress: a PNG over the 1 MB OCR.space limit.
  await noisePng(720).toFile(join(inbox, 'big.png'));
  expect(statSync(join(inbox, 'big.png')).size).toBeGreaterThan(1024 * 1024);
  writeFileSync(
    join(inbox, 'small.png'),
    await sharp({ create: { width: 300, height: 120, channels: 3, background: '#fff' } })
      .png()
      .toBuffer(),
  );

  // The JPEG copy of big.png reads well; small.png (sent as itself) comes back with its second page unread
  // (and another total, so the two are not possible duplicates, which would need review anyway).
  server = await listenLocal(async (req, res) => {
    const form = await parseFormData(req.headers['content-type'] ?? '', await readBody(req));
    const file = form.get('file') as File;
    sent.push(file.type);
    const pages = file.type === 'image/jpeg' ? [receipt('6.50')] : [receipt('7.25'), UNREAD];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ParsedResults: pages, OCRExitCode: pages.length > 1 ? 2 : 1, IsErroredOnProcessing: false }));
  });
  app = await createApp({
    ledgerPath: join(dir, 'ledger.sqlite3'),
    ocrWorkers: 1,
    secrets: memorySecrets(bindKey('test-key', server.origin)),
    overrides: {
      ocrEngine: 'ocrspace',
      ocrSpaceUrl: `${server.origin}/parse/image`,
      dateOrder: 'DMY',
      defaultCurrency: 'USD',
      concurrency: 2,
    },
  });
  await app.queue.addPaths([inbox]);
  await app.queue.idle();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const savedReceipt = (name: string) => {
  const job = app.queue.list().jobs.find((j) => j.fileName === name);
  expect(job?.state).toBe('saved');
  return app.ledger.get(job!.receiptId!)!;
};

describe('OCR.space notes on the saved receipt', () => {
  it('says a file over 1 MB was sent as a smaller JPEG copy, as information only', () => {
    expect(sent.sort()).toEqual(['image/jpeg', 'image/png']);
    const receipt = savedReceipt('big.png');
    expect(receipt).toMatchObject({ merchant: 'HARBOUR DELI', totalMinor: 650, date: '2024-06-05', warnings: [] });
    // No confidence from the service is no doubt of ours: a receipt that passes its checks needs no review.
    expect(receipt.needsReview).toBe(false);
    expect(receipt.ocrNotes).toEqual([
      expect.stringMatching(/^The file is \d\.\d MB, over the 1\.0 MB OCR\.space limit: sent a \d+×\d+ JPEG copy at quality \d+/),
      "OCR.space reports no confidence; word confidence is taken as 75%, so the receipt's own checks decide",
    ]);
  });

  it('flags a receipt with a page the service could not read for review, with that page as a warning', () => {
    const receipt = savedReceipt('small.png');
    expect(receipt).toMatchObject({ merchant: 'HARBOUR DELI', totalMinor: 725, date: '2024-06-05', possibleDuplicates: [] });
    expect(receipt.needsReview).toBe(true);
    expect(receipt.warnings).toContain('OCR.space could not read page 2: OCR engine parse error');
    expect(receipt.ocrNotes).toEqual([
      "OCR.space reports no confidence; word confidence is taken as 75%, so the receipt's own checks decide",
    ]);
  });
});
