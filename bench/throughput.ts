// npm run bench:throughput [-- DIR] — receipts per second through the full pipeline (read → sniff →
// sha-256 → dedupe → prepare → OCR → extract → SQLite) beside the bare OCR engine (prepare + OCR) on the
// same images with the same worker count, in the same run. Default DIR: ../shared/receipts/sroie/images.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cpuUsage } from 'node:process';
import { createApp } from '../src/main/app';
import { readReceiptFile } from '../src/main/ingest/read';
import { preparePages } from '../src/main/ocr/prepare';
import { createTesseractEngine } from '../src/main/ocr/tesseract';

const dir = resolve(process.argv[2] ?? join(import.meta.dirname, '../../shared/receipts/sroie/images'));
const workers = availableParallelism();
const images = readdirSync(dir).filter((f) => /\.(jpe?g|png|webp|tiff?)$/i.test(f)).sort().map((f) => join(dir, f));

async function timed(run: () => Promise<void>) {
  const cpu0 = cpuUsage();
  const t0 = performance.now();
  await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuUsage(cpu0);
  // Share of all cores kept busy (main thread + worker threads are one process).
  const busy = (cpu.user + cpu.system) / 1e6 / (seconds * workers);
  return { seconds, perSecond: images.length / seconds, busy };
}

async function bareEngine() {
  const engine = createTesseractEngine({ workers });
  try {
    await engine.recognize({ path: images[0], mime: 'image/jpeg', size: 0, prepare: () => preparePages(images[0], 'image/jpeg') });
    return await timed(async () => {
      await Promise.all(
        images.map(async (path) => {
          const { mime, size } = await readReceiptFile(path);
          await engine.recognize({ path, mime, size, prepare: () => preparePages(path, mime) });
        }),
      );
    });
  } finally {
    await engine.close();
  }
}

async function pipeline() {
  const work = mkdtempSync(join(tmpdir(), 'rs-bench-'));
  const app = await createApp({ ledgerPath: join(work, 'ledger.sqlite3'), ocrWorkers: workers, overrides: { concurrency: workers } });
  try {
    // Warm the pool with one file so both runs start with workers loaded.
    await app.queue.addPaths([images[0]]);
    await app.queue.idle();
    const rest = images.slice(1);
    const result = await timed(async () => {
      await app.queue.addPaths(rest);
      await app.queue.idle();
    });
    const { summary } = app.queue.list();
    return { ...result, perSecond: rest.length / result.seconds, summary };
  } finally {
    await app.close();
    rmSync(work, { recursive: true, force: true });
  }
}

console.log(`${images.length} images from ${dir}, ${workers} OCR workers`);
const bare = await bareEngine();
console.log(`bare engine : ${bare.perSecond.toFixed(3)} receipts/s (${bare.seconds.toFixed(1)} s, cores busy ${(bare.busy * 100).toFixed(0)}%)`);
const full = await pipeline();
console.log(`pipeline    : ${full.perSecond.toFixed(3)} receipts/s (${full.seconds.toFixed(1)} s, cores busy ${(full.busy * 100).toFixed(0)}%) ${JSON.stringify(full.summary)}`);
console.log(`pipeline / bare engine: ${((full.perSecond / bare.perSecond) * 100).toFixed(1)}% (goal ≥ 95%)`);
