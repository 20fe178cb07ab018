// npm run bench:throughput [-- DIR] [--engine paddle|tesseract] [--packaged-models] [--pipeline-first] —
// receipts per second through the full pipeline (read → sniff → sha-256 → dedupe → prepare → OCR →
// extract → SQLite) beside the bare OCR engine on the same images with the same worker count and
// settings, in the same run, for the PP-OCR engine (the default) and tesseract (both unless --engine
// names one). Default DIR: ../shared/receipts/sroie/images. --packaged-models: PP-OCR runs the models'
// graphs as packaged, without the activations rewritten as they load (ocr/paddle/fuse-activations.ts),
// to measure that rewrite. --pipeline-first: PP-OCR's pipeline runs before its bare engine, to see
// whether the order moves their ratio.
//
// The bare PP-OCR engine reads each image once, as the pipeline does. The bare tesseract engine does the OCR work the pipeline does, but for its turn searches on poorly read pages
// and its line re-reads: a first reading of every image, then a second, enhanced reading of those whose
// first reading fails the extractor's checks (wantsSecondPass on the same deterministic readings; the
// pipeline reads a few of them no more, when a line re-read fixes the date). Its first phase alone is the engine
// without the second pass, the baseline for the accuracy budget (issue 4). Its two phases each end with
// a tail where fewer files than workers remain, which the pipeline, reading again as it goes, has once.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuUsage } from 'node:process';
import { parseArgs } from 'node:util';
import { createApp } from '../src/main/app';
import { wantsSecondPass } from '../src/main/extract/combine';
import { extractFields } from '../src/main/extract/extract';
import { readReceiptFile } from '../src/main/ingest/read';
import { DEFAULT_MAX_PIXELS } from '../src/main/ingest/limits';
import { preparedInput } from '../src/main/ocr/prepare';
import { createTesseractEngine } from '../src/main/ocr/tesseract/tesseract';
import { createPaddleEngine } from '../src/main/ocr/paddle/paddle-engine';
import { SECOND_PASS_ENHANCE } from '../src/main/ocr/tesseract/second-pass';
import { defaultSettings } from '../src/main/settings';
import { readOnce, scanImages } from './scan-images';
import type { OcrEngineName } from '../src/shared/model';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { engine: { type: 'string' }, 'packaged-models': { type: 'boolean' }, 'pipeline-first': { type: 'boolean' } },
});
const paddle = { fuseActivations: !values['packaged-models'] };
const engines = (['paddle', 'tesseract'] as const).filter((e) => !values.engine || values.engine === e);
if (engines.length === 0) throw new Error('--engine must be paddle or tesseract');
const { dir, images } = scanImages(positionals[0]);
const workers = availableParallelism();
// Pinned for both sides so the second-pass decision cannot differ by locale.
const { dateOrder, defaultCurrency } = defaultSettings();

async function timed(count: number, run: () => Promise<void>) {
  const cpu0 = cpuUsage();
  const t0 = performance.now();
  await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuUsage(cpu0);
  // Share of all cores kept busy (main thread + worker threads are one process).
  const busy = (cpu.user + cpu.system) / 1e6 / (seconds * workers);
  return { seconds, perSecond: count / seconds, busy };
}

type Timing = Awaited<ReturnType<typeof timed>>;

async function barePaddle(): Promise<Timing> {
  const engine = createPaddleEngine(paddle);
  try {
    const files = await Promise.all(images.map((path) => readReceiptFile(path)));
    const read = (file: (typeof files)[number]) => readOnce(engine, file);
    await read(files[0]);
    return await timed(files.length, async () => {
      await Promise.all(files.map(read));
    });
  } finally {
    await engine.close();
  }
}

async function bareTesseract() {
  const engine = createTesseractEngine({ workers });
  // upright: the plain engine, one recognition per page, as before orientation detection: what the
  // pipeline's extra work (turn searches on poor pages, line re-reads, second readings) is measured against.
  const read = (file: { path: string; mime: string; size: number }, enhance?: typeof SECOND_PASS_ENHANCE) =>
    engine.recognize(preparedInput(file, { maxPixels: DEFAULT_MAX_PIXELS, ...(enhance ? { enhance } : {}) }), { upright: true });
  try {
    const files = await Promise.all(images.map((path) => readReceiptFile(path)));
    await read(files[0]);
    const poor: typeof files = [];
    const first = await timed(files.length, async () => {
      await Promise.all(
        files.map(async (file) => {
          const ocr = await read(file);
          if (wantsSecondPass(extractFields(ocr, { dateOrder, defaultCurrency }))) poor.push(file);
        }),
      );
    });
    const second = await timed(poor.length, async () => {
      await Promise.all(poor.map((file) => read(file, SECOND_PASS_ENHANCE)));
    });
    const seconds = first.seconds + second.seconds;
    const both: Timing = {
      seconds,
      perSecond: files.length / seconds,
      busy: (first.busy * first.seconds + second.busy * second.seconds) / seconds,
    };
    return { first, second, both, reread: poor.length };
  } finally {
    await engine.close();
  }
}

async function pipeline(ocrEngine: OcrEngineName) {
  const work = mkdtempSync(join(tmpdir(), 'rs-bench-'));
  const app = await createApp({
    ledgerPath: join(work, 'ledger.sqlite3'),
    ocrWorkers: workers,
    paddle,
    overrides: { concurrency: workers, dateOrder, defaultCurrency, ocrEngine },
  });
  try {
    // Warm the pool with one file so both runs start with workers loaded.
    await app.queue.addPaths([images[0]]);
    await app.queue.idle();
    const rest = images.slice(1);
    const result = await timed(rest.length, async () => {
      await app.queue.addPaths(rest);
      await app.queue.idle();
    });
    return { ...result, summary: app.queue.list().summary };
  } finally {
    await app.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const line = (name: string, t: Timing, extra = '') =>
  console.log(
    `${name.padEnd(34)}: ${t.perSecond.toFixed(3)} receipts/s (${t.seconds.toFixed(1)} s, cores busy ${(t.busy * 100).toFixed(0)}%)${extra}`,
  );
const percent = (a: Timing, b: Timing) => `${((a.perSecond / b.perSecond) * 100).toFixed(1)}%`;

console.log(`${images.length} images from ${dir}, ${workers} cores, ${dateOrder} dates, ${defaultCurrency}`);
const pipelines: Partial<Record<(typeof engines)[number], Timing>> = {};
if (engines.includes('paddle')) {
  const first = values['pipeline-first'] ? await pipeline('paddle') : undefined;
  const bare = await barePaddle();
  line('PP-OCR: bare engine, one reading each', bare);
  const full = first ?? (await pipeline('paddle'));
  line('PP-OCR: pipeline', full, ` ${JSON.stringify(full.summary)}`);
  console.log(`PP-OCR: pipeline / bare engine: ${percent(full, bare)} (goal ≥ 95%)`);
  pipelines.paddle = full;
}
if (engines.includes('tesseract')) {
  const bare = await bareTesseract();
  line('tesseract: bare engine, first readings only', bare.first);
  line('tesseract: bare engine, second pass phase', bare.second, ` (${bare.reread} receipts read twice)`);
  line('tesseract: bare engine, both passes', bare.both);
  const full = await pipeline('tesseract');
  line('tesseract: pipeline', full, ` ${JSON.stringify(full.summary)}`);
  console.log(`tesseract: pipeline / bare engine with the same OCR work: ${percent(full, bare.both)}`);
  console.log(`tesseract: pipeline / bare engine, first pass only: ${percent(full, bare.first)}`);
  pipelines.tesseract = full;
}
if (pipelines.paddle && pipelines.tesseract) {
  console.log(
    `PP-OCR pipeline / tesseract pipeline: ${(pipelines.paddle.perSecond / pipelines.tesseract.perSecond).toFixed(2)} (goal ≥ 1.0)`,
  );
}
