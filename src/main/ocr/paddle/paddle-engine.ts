// The default local, offline OcrEngine: PaddleOCR's PP-OCRv4 models on ONNX Runtime's CPU build.
// The models run in worker threads (paddle-worker.ts), each holding its own set of model sessions, so
// the calling thread stays free. A thread reads one file at a time, whole; files wait for a free thread.
import { createRequire } from 'node:module';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import {
  EngineUnavailableError,
  type OcrEngine,
  type OcrInput,
  type OcrOptions,
  type OcrResult,
  type PreparedImage,
  type Reading,
  type ReadOptions,
} from '../engine';
import { readOnce } from '../read-once';
import { readTurned } from '../turns';
import { pageProgress, stackPages } from '../stack-pages';
import { defaultModelFiles, type ModelFiles } from './models';
import type { PageReading, ReadPageOptions } from './read-page';
import type { FromWorker, PageSettings, ToWorker, WorkerSetup } from './paddle-worker';

export interface PaddleEngineOptions {
  /** Model threads, each with its own set of sessions, reading files side by side (default: see `modelThreads`). */
  modelThreads?: number;
  /** Cores in all (default: available cores), shared out among the model threads' runs. */
  threads?: number;
  models?: ModelFiles;
  /** Overrides of the reading settings, for measuring others. */
  reading?: Partial<PaddleReading>;
  /** ONNX Runtime's memory pattern (default off, see below), for measuring it. */
  memPattern?: boolean;
  /** The models' activations rewritten into fewer passes as they load (default); false only to measure it. */
  fuseActivations?: boolean;
}

/**
 * The reading settings, measured on SROIE, SRD and WildReceipt (see the README). Detection at ~0.8
 * MP finds receipt print as well as at 1.5 MP for half the time: prepared pages are enlarged for
 * tesseract, beyond what detection needs. The thresholds are PaddleOCR's own defaults. Lines are not
 * padded to PaddleOCR's 320 px: receipts are full of short lines ("9.00", "RM"), and padding them
 * cost a quarter of the reading time for the same fields on SROIE and SRD. Padded in groups of 4 or
 * 2, or not at all, they read 2–3 SROIE totals and 1–2 SRD and WildReceipt dates fewer than in 8.
 */
export type PaddleReading = Omit<ReadPageOptions, 'upright' | 'onProgress' | 'signal' | 'linesPerRun'>;

export const PADDLE_READING: PaddleReading = {
  detect: { maxPixels: 800_000, pixelThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5 },
  widthGroup: 8,
  minLineWidth: 0,
  dropBelow: 0.5,
};

export function createPaddleEngine(options: PaddleEngineOptions = {}): OcrEngine {
  const reading = { ...PADDLE_READING, ...options.reading };
  const cores = Math.max(1, options.threads ?? availableParallelism());
  const count = Math.max(1, Math.min(cores, options.modelThreads ?? modelThreads(cores, totalmem())));
  const files = options.models ?? defaultModelFiles();
  const fuse = options.fuseActivations ?? true;
  // Thread i's share of the cores: together they use each core once (3 cores: 1 and 2, the 2 used first).
  const setup = (i: number): WorkerSetup => {
    const threadCores = Math.floor((cores + i) / count);
    return {
      files,
      fuse,
      linesPerRun: linesPerRun(threadCores, reading.widthGroup),
      session: {
        intraOpNumThreads: threadCores,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // A memory pattern plans each run's intermediate tensors as one block, which pays when input
        // shapes repeat; ours change with every page and every line width. Off, the process ended
        // 80–120 MB lower after 2,000 receipts, at the same speed (docs/measurements.md, memory).
        enableMemPattern: options.memPattern ?? false,
        // Idle threads spinning for work would take the cores from everything else between model runs.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      },
    };
  };
  // Threads free to read, the last freed on top: one file at a time then keeps to one thread, so a
  // second set of sessions is loaded only when two files are read at once.
  const free = Array.from({ length: count }, (_, i) => new ModelThread(setup(i)));
  const threads = [...free];
  // A file waits here until a thread is free, not in one thread's line while another goes idle.
  const turns = new PQueue({ concurrency: count });
  let closed = false;

  const recognize = async (input: OcrInput, ocrOptions: OcrOptions = {}): Promise<OcrResult> => {
    if (closed) throw new Error('The OCR engine is closed');
    const { signal } = ocrOptions;
    signal?.throwIfAborted();
    const pages = await input.prepare();
    if (closed) throw new Error('The OCR engine was closed');
    const report = pageProgress(pages.length, ocrOptions.onProgress);
    const settings = { ...reading, upright: ocrOptions.upright };
    // A cancelled file that is still waiting is dropped with the signal's reason.
    const readings = await turns.add(
      async () => {
        if (closed) throw new Error('The OCR engine was closed');
        const thread = free.pop()!;
        try {
          return await thread.read(pages, settings, report, signal);
        } finally {
          free.push(thread);
        }
      },
      { signal },
    );
    return stackPages(
      readings.map(({ result, turn }, i) => readTurned(result, i, turn)),
      pages.map((p) => p.filePage),
    );
  };

  return {
    name: 'paddle',
    recognize,
    // One reading is the whole strategy: each page's turn is found within it.
    read: (input: OcrInput, options: ReadOptions): Promise<Reading> => readOnce(recognize, input, options),

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all(threads.map((thread) => thread.stop(new Error('The OCR engine was closed'))));
    },
  };
}

/**
 * Two model threads where there are two cores or more and 8 GB of memory, the cores shared out among
 * their runs. One set of sessions over both of two cores leaves a core idle while its thread cuts out
 * lines and decodes them between model runs, and a run split over two cores costs more CPU than two
 * runs of one core each: two threads read SROIE scans through the pipeline at ~1.8 receipts/s against
 * ~1.4. But each set of sessions keeps its own working memory: the peak rose from ~790 to ~1,000 MB.
 * On a smaller machine those ~200 MB weigh more than the time (docs/measurements.md, throughput).
 */
export function modelThreads(cores: number, memoryBytes: number): number {
  // A computer sold with 8 GB reports a little less (memory the firmware or graphics keep).
  return cores >= 2 && memoryBytes >= 7 * 1024 ** 3 ? 2 : 1;
}

/**
 * Lines recognised in one model run by sessions that spread each run over `cores`. On one core, one
 * line: its feature maps stay in the CPU's caches; runs of 2 were no faster, runs of 8 slower. Spread over
 * more, a single line is too little work to share out: on 2 cores one line a run read SROIE scans
 * ~20% slower than 4 or 8, and 4 held ~60 MB less than 8 (docs/measurements.md, throughput). Two
 * lines for each core, up to the group of like width that is padded alike.
 */
export function linesPerRun(cores: number, widthGroup: number): number {
  return cores === 1 ? 1 : Math.min(widthGroup, 2 * cores);
}

/**
 * Loads onnxruntime-node's binding on this thread too, for the process's lifetime; no model runs here.
 * The binding registers itself only when its library is first loaded, and the library stays in memory
 * when the thread that loaded it ends, so a second worker thread could not load it ("Module did not
 * self-register") unless a thread that outlives the workers holds it.
 */
function pinRuntime(): void {
  try {
    createRequire(import.meta.url)('onnxruntime-node');
  } catch (err) {
    throw new EngineUnavailableError(runtimeProblem(err, process.platform));
  }
}

/**
 * What to tell a person whose computer does not load onnxruntime-node. On Windows a library the
 * binding needs that is missing (Windows error 126, "The specified module could not be found") is
 * almost always the Visual C++ runtime, which a clean Windows lacks.
 */
export function runtimeProblem(err: unknown, platform: NodeJS.Platform): string {
  const why = err instanceof Error ? err.message : String(err);
  const missingLibrary = (err as NodeJS.ErrnoException | undefined)?.code === 'ERR_DLOPEN_FAILED' && /could not be found/i.test(why);
  const hint = platform === 'win32' && missingLibrary ? "; installing Microsoft's Visual C++ Redistributable (x64) should fix it" : '';
  return `PaddleOCR could not start: its runtime, onnxruntime-node, did not load on this computer (${why})${hint}`;
}

interface Request {
  resolve(readings: PageReading[]): void;
  reject(reason: unknown): void;
  progress(page: number, fraction: number): void;
}

/** The worker thread that holds the models: started by the first reading, and again after it stopped. */
class ModelThread {
  private worker: Worker | undefined;
  private readonly requests = new Map<number, Request>();
  private nextId = 0;

  constructor(private readonly setup: WorkerSetup) {}

  read(pages: PreparedImage[], settings: PageSettings, progress: Request['progress'], signal?: AbortSignal): Promise<PageReading[]> {
    signal?.throwIfAborted();
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<PageReading[]>((resolve, reject) => {
      const cancel = () => {
        this.settle(id)?.reject(signal!.reason);
        worker.postMessage({ cancel: id } satisfies ToWorker);
      };
      signal?.addEventListener('abort', cancel, { once: true });
      const done = () => signal?.removeEventListener('abort', cancel);
      this.requests.set(id, {
        resolve: (readings) => (done(), resolve(readings)),
        reject: (reason) => (done(), reject(reason)),
        progress,
      });
      worker.ref();
      // Copies are moved to the thread: the input's pages are memoised for its other readers.
      const sent = pages.map((page) => ({ ...page, data: new Uint8Array(page.data) }));
      worker.postMessage(
        { id, pages: sent, settings } satisfies ToWorker,
        sent.map((page) => page.data.buffer),
      );
    });
  }

  /**
   * Fails the readings in flight with `reason` and ends the thread once its model run under way is
   * done: terminating it inside a run can abort the whole process (onnxruntime-node throws a C++
   * exception out of the run when its thread is torn down).
   */
  async stop(reason: Error): Promise<void> {
    const worker = this.worker;
    this.fail(reason);
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref();
    worker.postMessage({ stop: true } satisfies ToWorker);
    await exited;
  }

  /** Forgets the thread and fails the readings in flight with `reason`. */
  private fail(reason: Error): void {
    this.worker = undefined;
    for (const id of [...this.requests.keys()]) this.settle(id)?.reject(reason);
  }

  private start(): Worker {
    pinRuntime();
    // From the bundle (out/main), the worker is the bundle's second entry beside it; from TypeScript
    // source (tests, the CLI), a thread cannot load .ts through `--import tsx` on Node 20, but tsx's
    // CommonJS hook compiles it.
    const worker = import.meta.url.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(fileURLToPath(new URL('./paddle-worker.ts', import.meta.url)))});`, {
          eval: true,
          workerData: this.setup,
        })
      : new Worker(new URL('./paddle-worker.js', import.meta.url), { workerData: this.setup });
    worker.on('message', (m: FromWorker) => {
      if ('fraction' in m) this.requests.get(m.id)?.progress(m.page, m.fraction);
      else if ('readings' in m) this.settle(m.id)?.resolve(m.readings);
      else this.settle(m.id)?.reject(m.unavailable ? new EngineUnavailableError(m.error) : new Error(m.error));
    });
    // Unless it was stopped, or has already failed.
    const died = (why: string) => this.worker === worker && this.fail(new Error(`The OCR engine stopped unexpectedly: ${why}`));
    worker.once('error', (err) => died(err.message));
    worker.once('exit', (code) => died(`exit code ${code}`));
    return worker;
  }

  /** Takes a request out of the ones in flight (undefined if it was cancelled). */
  private settle(id: number): Request | undefined {
    const request = this.requests.get(id);
    this.requests.delete(id);
    // An idle thread must not keep the process from exiting (the CLI, tests).
    if (this.requests.size === 0) this.worker?.unref();
    return request;
  }
}
