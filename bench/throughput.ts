// npm run bench:throughput [-- DIR] [--engine paddle|tesseract] [--packaged-models] [--model-threads N] [--round N] —
// receipts per second through the full pipeline (read → sniff → sha-256 → dedupe → prepare → OCR →
// extract → SQLite) beside the bare OCR engine on the same images with the same worker count and
// settings, for the PP-OCR engine (the default) and tesseract (both unless --engine names one).
// Default DIR: ../shared/receipts/sroie/images. --packaged-models: PP-OCR runs the models' graphs as
// packaged, without the activations rewritten as they load (ocr/paddle/fuse-activations.ts).
// --model-threads N: PP-OCR reads on N model threads instead of what this machine's memory chooses
// (`modelThreads`): 1 measures a machine under 8 GB.
//
// This host's speed drifts by 10–20% within a run, more than the gaps measured here, so the sides take
// turns: the images go in rounds of N (default 20) and every side reads each round's images. An engine's
// pipeline and bare engine are a pair, read one after the other; which of the two goes first, and with
// both engines which pair goes first, change from round to round, so each of a pair follows the same
// sides as often as the other (a fixed cycle of four had the PP-OCR pipeline always follow the bare
// tesseract engine). Each side's figure is its images over its own time; the ratios are of those, with
// the spread of the per-round ratios beside them. Every side keeps its engine (and the pipelines their
// app and ledger) from the first round to the last, warmed on the first image (a second PP-OCR model
// thread loads its models, ~0.4 s, in the first round); the pipeline's and the bare engine's PP-OCR
// model threads all exist, but only one side's run.
// Every side ends each round with a tail where fewer files than workers remain; the bare tesseract
// engine has two, one per phase, so the shorter the rounds, the more that second tail counts against it.
//
// The bare PP-OCR engine reads each image once, as the pipeline does. The bare tesseract engine does the
// OCR work the pipeline does, but for its turn searches on poorly read pages and its line re-reads: a first
// reading of every image, then a second, enhanced reading of those whose first reading fails the
// extractor's checks (wantsSecondPass on the same deterministic readings; the pipeline reads a few of them
// no more, when a line re-read fixes the date). Its first phase alone is the engine without the second
// pass, the baseline for the accuracy budget (issue 4).
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
import type { OcrEngine } from '../src/main/ocr/engine';
import { preparedInput } from '../src/main/ocr/prepare';
import { createTesseractEngine } from '../src/main/ocr/tesseract/tesseract';
import { createPaddleEngine } from '../src/main/ocr/paddle/paddle-engine';
import { SECOND_PASS_ENHANCE } from '../src/main/ocr/tesseract/second-pass';
import { defaultSettings } from '../src/main/settings';
import { readOnce, scanImages } from './scan-images';
import type { OcrEngineName } from '../src/shared/model';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string' },
    'packaged-models': { type: 'boolean' },
    'model-threads': { type: 'string' },
    round: { type: 'string', default: '20' },
  },
});
const threadsArg = values['model-threads'];
const modelThreads = threadsArg === undefined ? undefined : Number(threadsArg);
if (modelThreads !== undefined && !(Number.isInteger(modelThreads) && modelThreads >= 1))
  throw new Error('--model-threads must be a whole number from 1');
const paddle = { fuseActivations: !values['packaged-models'], modelThreads };
const engines = (['paddle', 'tesseract'] as const).filter((e) => !values.engine || values.engine === e);
if (engines.length === 0) throw new Error('--engine must be paddle or tesseract');
const roundSize = Number(values.round);
if (!Number.isInteger(roundSize) || roundSize < 1) throw new Error('--round must be a whole number of images');
const { dir, images } = scanImages(positionals[0]);
const workers = availableParallelism();
// Pinned for every side so the second-pass decision cannot differ by locale.
const { dateOrder, defaultCurrency } = defaultSettings();

/** One side's images and time, over all rounds, and its time in each round. */
class Tally {
  files = 0;
  seconds = 0;
  cpuSeconds = 0;
  readonly rounds: number[] = [];

  async time(count: number, run: () => Promise<void>): Promise<void> {
    const cpu0 = cpuUsage();
    const t0 = performance.now();
    await run();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuUsage(cpu0);
    this.files += count;
    this.seconds += seconds;
    this.cpuSeconds += (cpu.user + cpu.system) / 1e6;
  }

  get perSecond(): number {
    return this.files / this.seconds;
  }

  /** Share of all cores kept busy while this side ran (the other sides sit idle meanwhile). */
  get busy(): number {
    return this.cpuSeconds / (this.seconds * workers);
  }
}

interface Side {
  /** Reads one round's images (the bare engines' files are sniffed and hashed before their time starts). */
  round(paths: string[]): Promise<void>;
  close(): Promise<void>;
}

const readFiles = (paths: string[]) => Promise.all(paths.map((path) => readReceiptFile(path)));

async function barePaddle(tally: Tally): Promise<Side> {
  const engine = createPaddleEngine(paddle);
  await readOnce(engine, await readReceiptFile(images[0]!));
  return {
    async round(paths) {
      const files = await readFiles(paths);
      await tally.time(files.length, async () => {
        await Promise.all(files.map((file) => readOnce(engine, file)));
      });
    },
    close: () => engine.close(),
  };
}

/** The first readings' and the second pass's tallies, and how many images were read twice. */
interface TesseractTallies {
  first: Tally;
  second: Tally;
  reread: number;
}

async function bareTesseract(t: TesseractTallies): Promise<Side> {
  const engine: OcrEngine = createTesseractEngine({ workers });
  // upright: the plain engine, one recognition per page, as before orientation detection: what the
  // pipeline's extra work (turn searches on poor pages, line re-reads, second readings) is measured against.
  const read = (file: { path: string; mime: string; size: number }, enhance?: typeof SECOND_PASS_ENHANCE) =>
    engine.recognize(preparedInput(file, { maxPixels: DEFAULT_MAX_PIXELS, ...(enhance ? { enhance } : {}) }), { upright: true });
  await read(await readReceiptFile(images[0]!));
  return {
    async round(paths) {
      const files = await readFiles(paths);
      const poor: typeof files = [];
      await t.first.time(files.length, async () => {
        await Promise.all(
          files.map(async (file) => {
            const ocr = await read(file);
            if (wantsSecondPass(extractFields(ocr, { dateOrder, defaultCurrency }))) poor.push(file);
          }),
        );
      });
      t.reread += poor.length;
      await t.second.time(poor.length, async () => {
        await Promise.all(poor.map((file) => read(file, SECOND_PASS_ENHANCE)));
      });
    },
    close: () => engine.close(),
  };
}

/** A pipeline side; `summary` holds its queue's counts once it is closed. */
async function pipeline(ocrEngine: OcrEngineName, tally: Tally): Promise<Side & { summary?: unknown }> {
  const work = mkdtempSync(join(tmpdir(), 'rs-bench-'));
  const app = await createApp({
    ledgerPath: join(work, 'ledger.sqlite3'),
    ocrWorkers: workers,
    paddle,
    overrides: { concurrency: workers, dateOrder, defaultCurrency, ocrEngine },
  });
  await app.queue.addPaths([images[0]!]);
  await app.queue.idle();
  const side: Side & { summary?: unknown } = {
    async round(paths) {
      await tally.time(paths.length, async () => {
        await app.queue.addPaths(paths);
        await app.queue.idle();
      });
    },
    async close() {
      side.summary = app.queue.list().summary;
      await app.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  return side;
}

const tallies = {
  paddlePipeline: new Tally(),
  paddleBare: new Tally(),
  tesseractPipeline: new Tally(),
  tesseract: { first: new Tally(), second: new Tally(), reread: 0 } as TesseractTallies,
};
/** Each engine's pipeline and bare engine. */
const pairs: [Side, Side][] = [];
const pipelines: Partial<Record<OcrEngineName, Side & { summary?: unknown }>> = {};
if (engines.includes('paddle')) {
  pipelines.paddle = await pipeline('paddle', tallies.paddlePipeline);
  pairs.push([pipelines.paddle, await barePaddle(tallies.paddleBare)]);
}
if (engines.includes('tesseract')) {
  pipelines.tesseract = await pipeline('tesseract', tallies.tesseractPipeline);
  pairs.push([pipelines.tesseract, await bareTesseract(tallies.tesseract)]);
}
/** Round r's order: with two pairs, the pairs swap every round and each pair's sides every second round. */
function order(r: number): Side[] {
  const swapSides = (pairs.length === 1 ? r : Math.floor(r / 2)) % 2 === 1;
  const inTurn = pairs.map(([a, b]) => (swapSides ? [b, a] : [a, b]));
  return (r % 2 === 1 ? inTurn.reverse() : inTurn).flat();
}

const rest = images.slice(1);
const rounds = Math.ceil(rest.length / roundSize);
console.log(
  `${rest.length} images from ${dir} (after one to warm each side up), ${rounds} rounds of ${roundSize}, ${workers} cores, ${dateOrder} dates, ${defaultCurrency}`,
);
const everyTally = [
  tallies.paddlePipeline,
  tallies.paddleBare,
  tallies.tesseractPipeline,
  tallies.tesseract.first,
  tallies.tesseract.second,
];
try {
  for (let r = 0; r < rounds; r++) {
    const paths = rest.slice(r * roundSize, (r + 1) * roundSize);
    const before = everyTally.map((t) => t.seconds);
    for (const side of order(r)) await side.round(paths);
    everyTally.forEach((t, i) => t.rounds.push(t.seconds - before[i]!));
    process.stderr.write(`round ${r + 1}/${rounds}\n`);
  }
} finally {
  for (const side of pairs.flat()) await side.close();
}

const line = (name: string, t: { perSecond: number; seconds: number; busy: number }, extra = '') =>
  console.log(
    `${name.padEnd(34)}: ${t.perSecond.toFixed(3)} receipts/s (${t.seconds.toFixed(1)} s, cores busy ${(t.busy * 100).toFixed(0)}%)${extra}`,
  );
/** a's speed over b's, overall and the lowest and highest of the rounds (same images, so seconds b / seconds a). */
function ratio(a: { perSecond: number; rounds: number[] }, b: { perSecond: number; rounds: number[] }): string {
  const each = a.rounds.map((s, i) => b.rounds[i]! / s).filter(Number.isFinite);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return `${pct(a.perSecond / b.perSecond)} (rounds ${pct(Math.min(...each))}–${pct(Math.max(...each))})`;
}
/** Two tallies over the same images as one side. */
function both(a: Tally, b: Tally, files: number) {
  const seconds = a.seconds + b.seconds;
  return {
    seconds,
    perSecond: files / seconds,
    busy: (a.busy * a.seconds + b.busy * b.seconds) / seconds,
    rounds: a.rounds.map((s, i) => s + b.rounds[i]!),
  };
}

if (pipelines.paddle) {
  const { paddlePipeline: full, paddleBare: bare } = tallies;
  line('PP-OCR: bare engine, one reading each', bare);
  line('PP-OCR: pipeline', full, ` ${JSON.stringify(pipelines.paddle.summary)}`);
  console.log(`PP-OCR: pipeline / bare engine: ${ratio(full, bare)} (goal ≥ 95%)`);
}
if (pipelines.tesseract) {
  const { tesseractPipeline: full, tesseract: t } = tallies;
  const whole = both(t.first, t.second, t.first.files);
  line('tesseract: bare engine, first readings only', t.first);
  line('tesseract: bare engine, second pass phase', t.second, ` (${t.reread} receipts read twice)`);
  line('tesseract: bare engine, both passes', whole);
  line('tesseract: pipeline', full, ` ${JSON.stringify(pipelines.tesseract.summary)}`);
  console.log(`tesseract: pipeline / bare engine with the same OCR work: ${ratio(full, whole)}`);
  console.log(`tesseract: pipeline / bare engine, first pass only: ${ratio(full, t.first)}`);
}
if (pipelines.paddle && pipelines.tesseract) {
  console.log(`PP-OCR pipeline / tesseract pipeline: ${ratio(tallies.paddlePipeline, tallies.tesseractPipeline)} (goal ≥ 100%)`);
}
