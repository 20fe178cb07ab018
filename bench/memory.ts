// npm run bench:memory [-- --count N] [--engine NAME] — peak RSS of the whole app process (main thread + OCR worker
// threads) while it scans a batch of N generated receipts (default 1,000), sampled as the batch goes to
// show whether memory grows with the batch; then while it rejects a 3 GB non-image file.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync, ftruncateSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src/main/app';
import { writeReceiptImage } from '../src/main/testing/receipt-image';
import { OCR_ENGINES } from '../src/shared/model';
import { growthOf } from './memory-growth';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000' }, engine: { type: 'string', default: OCR_ENGINES[0] } },
});
const count = Number(values.count);
const ocrEngine = OCR_ENGINES.find((e) => e === values.engine);
if (!ocrEngine) throw new Error(`--engine must be one of ${OCR_ENGINES.join(', ')}`);
const MB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'rs-mem-'));

function sampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

async function batch() {
  const inbox = join(work, 'inbox');
  mkdirSync(inbox);
  const merchants = ['CORNER CAFE', 'CITY BOOKS', 'HARBOUR DELI', 'GREEN GROCER', 'METRO FUEL'];
  for (let i = 0; i < count; i++) {
    const cents = 100 + ((i * 7919) % 90_000);
    await writeReceiptImage(join(inbox, `r${String(i).padStart(5, '0')}.png`), [
      merchants[i % merchants.length],
      `Receipt no ${i}`,
      `Date: ${String((i % 28) + 1).padStart(2, '0')}/03/2024`,
      `Item ${i} ${(cents / 100).toFixed(2)}`,
      `TOTAL ${(cents / 100).toFixed(2)}`,
    ]);
  }
  const app = await createApp({ ledgerPath: join(work, 'ledger.sqlite3'), ocrWorkers: availableParallelism(), overrides: { ocrEngine } });
  const rss0 = process.memoryUsage().rss;
  const s = sampler();
  const marks: { done: number; mb: number; heap: number }[] = [];
  let done = 0;
  app.onEvent((event, payload) => {
    if (event !== 'queue:progress') return;
    for (const u of (payload as { updates: { state: string }[] }).updates) {
      if (u.state === 'saved' || u.state === 'failed' || u.state === 'duplicate') {
        done++;
        // 100 samples a batch: the growth is fitted through them (one sample alone is as noisy as a page's buffers).
        if (done % Math.max(1, Math.floor(count / 100)) === 0) {
          const m = process.memoryUsage();
          marks.push({ done, mb: m.rss / MB, heap: m.heapUsed / MB });
        }
      }
    }
  });
  const t0 = performance.now();
  await app.queue.addPaths([inbox]);
  await app.queue.idle();
  const seconds = (performance.now() - t0) / 1000;
  s.stop();
  // The allocator is part of what a run measures: peaks differ by it (README, memory row).
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  const glibc = report.header?.glibcVersionRuntime;
  const preloaded = process.env.LD_PRELOAD?.split(/[: ]/).find((lib) => /jemalloc|tcmalloc|mimalloc/.test(lib));
  const allocator = preloaded
    ? `malloc from LD_PRELOAD ${preloaded}`
    : glibc
      ? `glibc ${glibc} malloc, MALLOC_ARENA_MAX ${process.env.MALLOC_ARENA_MAX ?? 'not set'}`
      : 'the platform malloc';
  console.log(`batch of ${count} (${ocrEngine}, ${allocator}): ${JSON.stringify(app.queue.list().summary)} in ${seconds.toFixed(0)} s`);
  const tenth = Math.max(1, Math.floor(count / 10));
  const shown = marks
    .filter((m) => m.done % tenth === 0)
    .map((m) => `${m.done}: ${m.mb.toFixed(0)} MB (main JS heap ${m.heap.toFixed(0)})`)
    .join(', ');
  console.log(`  RSS before ${(rss0 / MB).toFixed(0)} MB, peak ${(s.peak() / MB).toFixed(0)} MB; as files finished: ${shown}`);
  // Growth is judged on the second half: the first fills caches and ONNX Runtime's arena once.
  const half = marks.filter((m) => m.done >= count / 2);
  if (half.length >= 2) {
    const change = half.at(-1)!.mb - half[0]!.mb;
    console.log(
      `  RSS change over the second half (${half[0]!.done} → ${half.at(-1)!.done} files): ${change >= 0 ? '+' : ''}${change.toFixed(0)} MB`,
    );
  }
  const growth = growthOf(half);
  if (growth) {
    const { mbPerThousand: g, standardError: e } = growth;
    // Within two standard errors of zero, the samples cannot tell the run from flat.
    const verdict = Math.abs(g) <= 2 * e ? 'not distinguishable from flat' : g > 0 ? 'GROWS' : 'shrinks';
    console.log(
      `  RSS growth fitted over the second half (${growth.samples} samples, lag-1 autocorrelation ${growth.autocorrelation.toFixed(2)}): ${g >= 0 ? '+' : ''}${g.toFixed(1)} ± ${e.toFixed(1)} MB per 1,000 files (${verdict})`,
    );
  }
  await app.close();
}

async function hugeFile(maxBytes: number | undefined, label: string) {
  const path = join(work, `huge-${label}.bin`);
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.from('MZ\x90\x00 this is not a receipt '.repeat(200)));
  ftruncateSync(fd, 3 * 1024 * MB); // sparse: takes no disk
  closeSync(fd);
  const app = await createApp({ ledgerPath: join(work, `huge-${label}.sqlite3`), limits: maxBytes ? { maxBytes } : undefined });
  const rss0 = process.memoryUsage().rss;
  const s = sampler();
  const t0 = performance.now();
  await app.queue.addPaths([path]);
  await app.queue.idle();
  const ms = performance.now() - t0;
  s.stop();
  const [job] = app.queue.list().jobs;
  console.log(
    `3 GB non-image (${label}): ${job.state} "${job.error}" in ${ms.toFixed(0)} ms, RSS +${((s.peak() - rss0) / MB).toFixed(1)} MB`,
  );
  await app.close();
}

try {
  await hugeFile(undefined, 'default size cap');
  await hugeFile(4 * 1024 * MB, 'size cap raised to 4 GB, so the content sniff rejects it');
  if (count > 0) await batch();
} finally {
  rmSync(work, { recursive: true, force: true });
}
