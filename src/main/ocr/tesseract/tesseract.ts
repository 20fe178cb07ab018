// The local, offline OcrEngine: a pool of tesseract.js workers (WebAssembly in worker threads) reading
// English language data from the @tesseract.js-data/eng package — never from a CDN.
// The pool is our own rather than tesseract.js's createScheduler because the scheduler cannot remove
// a worker, and both cancelling a running recognition and recycling need to replace one.
import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker as NodeWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import {
  meanWordConfidence,
  type Box,
  type OcrEngine,
  type OcrInput,
  type OcrLine,
  type OcrOptions,
  type OcrResult,
  type OcrWord,
  type PreparedImage,
} from '../engine';
import { unpacked } from '../asar-path';
import { readUpright } from './orientation';
import { readWithTesseract } from './reader';
import { pageProgress, stackPages } from '../stack-pages';

export interface TesseractEngineOptions {
  /** Worker threads, each recognising one image at a time (default: available cores). */
  workers?: number;
  /** Folder holding eng.traineddata.gz (default: the @tesseract.js-data/eng package). */
  langPath?: string;
  /** Replace a worker after this many recognitions, so a long batch does not grow memory (default 200). */
  recycleAfter?: number;
  /** Tesseract variables set on every worker after ours, e.g. for measuring other settings. */
  parameters?: Record<string, string>;
}

export interface TesseractEngineStats {
  /** Workers started since the engine was made, replacements included. */
  workersStarted: number;
  /** Workers alive now (idle or busy). */
  workersAlive: number;
  recognitions: number;
}

export interface TesseractEngine extends OcrEngine {
  stats(): TesseractEngineStats;
}

const requireHere = createRequire(import.meta.url);

/**
 * The LSTM-only integer model: same LSTM network as the 4.0.0 folder (identical text on SROIE
 * receipts in our measurement), but 2.9 MB instead of 10.9 MB and ~100 MB less memory per worker,
 * because it leaves out the legacy engine.
 */
export function defaultLangPath(): string {
  return unpacked(join(dirname(requireHere.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int'));
}

const workerPath = (): string => unpacked(requireHere.resolve('tesseract.js/src/worker-script/node/index.js'));

/** tesseract.js's worker object also carries its thread, which its typings leave out. */
type PoolWorker = Tesseract.Worker & { worker?: NodeWorker };

interface Job {
  image: Buffer;
  onProgress?: (fraction: number) => void;
  resolve(page: Tesseract.Page): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: PoolWorker;
  recognitions: number;
  job?: Job;
  jobId?: string;
}

const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('OCR was cancelled', 'AbortError');

export function createTesseractEngine(options: TesseractEngineOptions = {}): TesseractEngine {
  const size = Math.max(1, options.workers ?? availableParallelism());
  const langPath = options.langPath ?? defaultLangPath();
  const recycleAfter = options.recycleAfter ?? 200;

  const idle: Slot[] = [];
  const busy = new Set<Slot>();
  const waiting: Job[] = [];
  let starting = 0;
  let workersStarted = 0;
  let recognitions = 0;
  let jobCounter = 0;
  let closed = false;

  const startWorker = async (): Promise<void> => {
    starting++;
    workersStarted++;
    // Progress is routed through the slot: a worker runs one job at a time, so whatever it reports
    // belongs to the job it holds now (userJobId is checked in case a late message arrives).
    const slotRef: { slot?: Slot } = {};
    try {
      // tesseract.js never settles createWorker when the language data fails to load (it only calls
      // errorHandler), so check the file first and treat an early errorHandler call as failure.
      await access(join(langPath, 'eng.traineddata.gz')).catch(() => {
        throw new Error(`English language data is missing from ${langPath}`);
      });
      let ready = false;
      const worker = await new Promise<PoolWorker>((resolve, reject) => {
        Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
          langPath,
          workerPath: workerPath(),
          gzip: true,
          cacheMethod: 'none',
          logger: (m) => {
            const slot = slotRef.slot;
            if (m.status === 'recognizing text' && slot?.job && m.userJobId === slot.jobId) {
              slot.job.onProgress?.(Math.min(1, Math.max(0, m.progress)));
            }
          },
          // Without a handler tesseract.js rethrows a failed job inside its message listener, which
          // would crash the process; a recognition's own promise already carries its error.
          errorHandler: (e: unknown) => {
            if (!ready) reject(new Error(String(e)));
          },
        }).then(resolve, reject);
      });
      ready = true;
      // PSM 6 (one uniform block) beat PSM 4 and 3 on SROIE receipts. Prepared PNGs carry no usable
      // resolution; 300 dpi read the same as tesseract's 70 dpi fallback, minus a warning per image.
      await worker.setParameters({
        tessedit_pageseg_mode: Tesseract.PSM.SINGLE_BLOCK,
        user_defined_dpi: '300',
        // Tesseract re-reads every poorly read word as white-on-black text; receipts print dark on
        // light, and skipping it read the same fields on SROIE and SRD ~17% faster.
        tessedit_do_invert: '0',
        // Tesseract's diagnostics ("Image too small to scale!!") would otherwise go to stdout and
        // corrupt the CLI's --json output.
        debug_file: '/dev/null',
        ...options.parameters,
      });
      const slot: Slot = { worker, recognitions: 0 };
      slotRef.slot = slot;
      // A thread that dies (e.g. WebAssembly out of memory) would otherwise leave its job hanging.
      worker.worker?.once('exit', () => {
        if (busy.has(slot) || idle.includes(slot)) retire(slot, new Error('The OCR worker stopped unexpectedly'));
      });
      starting--;
      if (closed) {
        await worker.terminate();
        return;
      }
      idle.push(slot);
    } catch (err) {
      starting--;
      // Nobody else can serve the waiting jobs if no worker will come up; fail them with the cause.
      if (idle.length + busy.size + starting === 0) {
        const message = `Could not start the OCR engine: ${err instanceof Error ? err.message : String(err)}`;
        for (const job of waiting.splice(0)) job.reject(new Error(message));
      }
      // No retry here: the same settings would fail again; running workers serve the queue.
      return;
    }
    dispatch();
  };

  /** Takes a worker out of the pool for good, failing its job if it had one. */
  const retire = (slot: Slot, jobError?: unknown): void => {
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
    busy.delete(slot);
    const job = slot.job;
    slot.job = undefined;
    if (job && jobError !== undefined) job.reject(jobError);
    void slot.worker.terminate();
    dispatch();
  };

  const run = (slot: Slot, job: Job): void => {
    busy.add(slot);
    slot.job = job;
    slot.jobId = `ocr-${++jobCounter}`;
    slot.worker.recognize(job.image, {}, { text: true, blocks: true }, slot.jobId).then(
      ({ data }) => {
        if (slot.job !== job) return; // aborted or closed meanwhile
        slot.job = undefined;
        slot.recognitions++;
        recognitions++;
        busy.delete(slot);
        if (slot.recognitions >= recycleAfter) retire(slot);
        else idle.push(slot);
        job.resolve(data);
        dispatch();
      },
      (err: unknown) => {
        if (slot.job !== job) return;
        slot.job = undefined;
        busy.delete(slot);
        idle.push(slot);
        job.reject(new Error(`OCR failed: ${err instanceof Error ? err.message : String(err)}`));
        dispatch();
      },
    );
  };

  const dispatch = (): void => {
    if (closed) return;
    while (waiting.length > 0 && idle.length > 0) run(idle.shift()!, waiting.shift()!);
    const alive = idle.length + busy.size + starting;
    const wanted = Math.min(size - alive, waiting.length - starting);
    for (let i = 0; i < wanted; i++) void startWorker();
  };

  const recognizePage = (image: Buffer, options: OcrOptions): Promise<Tesseract.Page> =>
    new Promise((resolve, reject) => {
      const { signal, onProgress } = options;
      const onAbort = () => {
        const queued = waiting.indexOf(job);
        if (queued >= 0) {
          waiting.splice(queued, 1);
          job.reject(abortReason(signal!));
          return;
        }
        // tesseract.js cannot stop one recognition, and letting it run on would keep a core busy
        // after the user cancelled; a fresh worker costs well under a second to start.
        const slot = [...busy].find((s) => s.job === job);
        if (slot) retire(slot, abortReason(signal!));
      };
      const job: Job = {
        image,
        onProgress,
        resolve: (page) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(page);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(job);
      dispatch();
    });

  const engine: TesseractEngine = {
    name: 'tesseract',

    read: (input, options) => readWithTesseract(engine, input, options),

    async recognize(input: OcrInput, options: OcrOptions = {}): Promise<OcrResult> {
      if (closed) throw new Error('The OCR engine is closed');
      options.signal?.throwIfAborted();
      const pages = await input.prepare();
      options.signal?.throwIfAborted();
      if (closed) throw new Error('The OCR engine is closed');
      // Each page is its own recognition, so pages spread over idle workers, a page's time is bounded
      // like any image's, and progress moves page by page. One failed page stops the others. A page
      // that reads poorly is tried turned each way (orientation.ts).
      const stop = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
      const report = pageProgress(pages.length, options.onProgress);
      try {
        const results = await Promise.all(
          pages.map((prepared, i) => {
            const read = async (image: PreparedImage, first: boolean): Promise<OcrResult> => {
              const page = await recognizePage(image.data, { signal, onProgress: first ? (f) => report(i, f) : undefined });
              return toOcrResult(page, image.width, image.height);
            };
            return options.upright ? read(prepared, true) : readUpright(prepared, i, read);
          }),
        );
        options.onProgress?.(1);
        return stackPages(
          results,
          pages.map((p) => p.filePage),
        );
      } catch (err) {
        stop.abort(err);
        throw err;
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const closedError = new Error('The OCR engine was closed');
      for (const job of waiting.splice(0)) job.reject(closedError);
      const slots = [...idle, ...busy];
      idle.length = 0;
      busy.clear();
      for (const slot of slots) {
        const job = slot.job;
        slot.job = undefined;
        job?.reject(closedError);
      }
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },

    stats: () => ({ workersStarted, workersAlive: idle.length + busy.size, recognitions }),
  };
  return engine;
}

const toBox = (b: Tesseract.Bbox): Box => ({ x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 });

/** Flattens tesseract's block → paragraph → line → word tree into lines in reading order, confidences from its 0..100 to 0..1. */
export function toOcrResult(page: Tesseract.Page, width: number, height: number): OcrResult {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: OcrWord[] = line.words
          .filter((w) => w.text.trim() !== '')
          .map((w) => ({ text: w.text.trim(), confidence: w.confidence / 100, bbox: toBox(w.bbox) }));
        if (words.length === 0) continue;
        lines.push({
          text: words.map((w) => w.text).join(' '),
          confidence: line.confidence / 100,
          bbox: toBox(line.bbox),
          words,
        });
      }
    }
  }
  return {
    text: lines.map((l) => l.text).join('\n'),
    confidence: meanWordConfidence(lines),
    lines,
    width,
    height,
    engine: 'tesseract',
  };
}
