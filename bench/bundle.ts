// Accountant-bundle benchmark: exports a ZIP of about 2 GB (generated receipt files of 5 MB each in a
// temp folder, one ledger row each) and prints how much the process's resident memory grew while it
// ran. Goal: under 100 MB — the bundle is streamed, so growth must not depend on its size.
// With --pdf, the bundle also gets its PDF, drawn from real photos (a 2400 px noise JPEG, copied).
// Run: npm run bench:bundle [-- total-MB] [--pdf]
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { exportBundle } from '../src/main/export/bundle';
import { makeThumbnail } from '../src/main/ocr/prepare';
import { noisePng } from '../src/main/testing/noise';
import { newReceipt } from '../src/main/ledger/fixtures';
import { Ledger } from '../src/main/ledger/ledger';

const PDF = process.argv.includes('--pdf');
const TOTAL_MB = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 2048);
const PDF_IMAGE_PX = 1600;
const FILE_MB = 5;
const GROWTH_GOAL_MB = 100;
const MB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'rs-bench-bundle-'));
try {
  const ledger = Ledger.open(join(dir, 'ledger.sqlite3'));
  const block = randomBytes(MB); // incompressible, like photos
  const photo = join(dir, 'photo.jpg');
  if (PDF) writeFileSync(photo, await noisePng(2400).jpeg({ quality: 95 }).toBuffer());
  const fileMb = PDF ? statSync(photo).size / MB : FILE_MB;
  const files = Math.ceil(TOTAL_MB / fileMb);
  let started = Date.now();
  for (let i = 0; i < files; i++) {
    const path = join(dir, `scan-${i}.jpg`);
    if (PDF) copyFileSync(photo, path);
    else {
      const fd = openSync(path, 'w');
      writeSync(fd, Buffer.from(`receipt ${i}\n`)); // every file distinct
      for (let m = 0; m < FILE_MB; m++) writeSync(fd, block);
      closeSync(fd);
    }
    const base = newReceipt(i, { merchant: `Store ${i % 50}`, date: `2024-${String((i % 12) + 1).padStart(2, '0')}-15` });
    ledger.saveReceipt({ ...base, file: { ...base.file, size: FILE_MB * MB, sourcePath: path, fileName: `scan-${i}.jpg` } });
  }
  console.log(`generated ${files} files of ${fileMb.toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  started = Date.now();
  const target = join(dir, 'bundle.zip');
  const result = await exportBundle(ledger.exportRows({}), target, {
    pageImage: PDF ? (e) => makeThumbnail(e.path, e.mime, PDF_IMAGE_PX) : undefined,
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = (Date.now() - started) / 1000;
  const entries = await new Promise<number>((resolve, reject) =>
    yauzl.open(target, { lazyEntries: true, autoClose: true }, (error, zip) => (error ? reject(error) : resolve(zip.entryCount))),
  );
  ledger.close();

  const growth = (peak - before) / MB;
  console.log(
    `bundle${PDF ? ' with PDF' : ''}: ${result.receipts} receipts, ${entries} entries, ${(result.bytes / MB / 1024).toFixed(2)} GB in ${seconds.toFixed(1)} s ` +
      `(${(result.bytes / MB / seconds).toFixed(0)} MB/s)`,
  );
  console.log(
    `RSS before ${(before / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB: growth ${growth.toFixed(1)} MB (goal < ${GROWTH_GOAL_MB} MB)`,
  );
  if (growth >= GROWTH_GOAL_MB) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
