// A PP-OCR model thread: it loads the models once and reads the pages the engine posts to it.
// onnxruntime-node runs a model synchronously on its calling thread, so on the main thread every
// detection or recognition run (0.1–1 s) would stall IPC and progress events. Several such threads may
// run at once: onnxruntime-node 1.23 keeps its JavaScript state per thread (N-API instance data), where
// 1.21's one process-wide tensor constructor crashed a second thread (onnxruntime issue 24486).
// Imports take the namespace: this file also runs as CommonJS compiled by tsx, where a default import
// of onnxruntime-node is undefined.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { PreparedImage } from '../engine';
import { withBestClassOutputs } from './best-class';
import { fuseActivations } from './fuse-activations';
import { readDictionary, type ModelFiles } from './models';
import { parseAlphabet } from './recognize';
import { readPage, type Models, type PageReading, type ReadPageOptions } from './read-page';

export interface WorkerSetup {
  files: ModelFiles;
  session: ort.InferenceSession.SessionOptions;
  /** Rewrite the models' activations into fewer passes as they load (`fuse-activations.ts`); off only to measure it. */
  fuse: boolean;
  /** Lines recognised in one model run: suits the cores the thread's sessions run on (`linesPerRun`). */
  linesPerRun: number;
}

export type PageSettings = Omit<ReadPageOptions, 'onProgress' | 'signal' | 'linesPerRun'>;

export type ToWorker =
  | { id: number; pages: (Omit<PreparedImage, 'data'> & { data: Uint8Array })[]; settings: PageSettings }
  | { cancel: number }
  | { stop: true };

/** `unavailable`: the models did not load, so no reading can succeed; otherwise this reading failed. */
export type FromWorker =
  | { id: number; page: number; fraction: number }
  | { id: number; readings: PageReading[] }
  | { id: number; error: string; unavailable?: true };

const { files, session, fuse, linesPerRun } = workerData as WorkerSetup;
const port = parentPort!;
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

class ModelsDidNotLoad extends Error {}

let loading: Promise<Models> | undefined;
// A failed load is tried again by the next reading (a model file may have been restored meanwhile).
const models = (): Promise<Models> =>
  (loading ??= (async () => {
    const load = (path: string, rewrite: (model: Uint8Array) => Uint8Array = (model) => model) => {
      const model = readFileSync(path);
      return ort.InferenceSession.create(rewrite(fuse ? fuseActivations(model).model : model), session);
    };
    const [detection, recognition, classifier] = await Promise.all([
      load(files.detection),
      load(files.recognition, withBestClassOutputs),
      load(files.classifier),
    ]);
    return { detection: detection!, recognition: recognition!, classifier: classifier!, alphabet: parseAlphabet(readDictionary(files)) };
  })().catch((err: unknown) => {
    loading = undefined;
    throw new ModelsDidNotLoad(`PaddleOCR could not start: its models did not load (${message(err)})`);
  }));

const cancels = new Map<number, AbortController>();
/**
 * Readings take turns, whole. The engine posts a thread one reading at a time, but the next one can
 * arrive while a cancelled one finishes its model run under way. Interleaved, one page's sharp steps
 * ran beside the other's model runs: with two in flight the process grew ~9 MB per 1,000 receipts where
 * in turn it stayed flat, and it read SROIE no faster (docs/measurements.md, memory).
 * The last reading posted: it settles after every one before it.
 */
let turn: Promise<void> = Promise.resolve();

port.on('message', (m: ToWorker) => {
  if ('stop' in m) void stop();
  else if ('cancel' in m) cancels.get(m.cancel)?.abort();
  else {
    const cancel = new AbortController();
    cancels.set(m.id, cancel);
    turn = turn.then(() => read(m, cancel));
  }
});

/** Ends the thread between model runs: ending it inside one can abort the whole process. */
async function stop(): Promise<void> {
  for (const cancel of cancels.values()) cancel.abort();
  await turn;
  const loaded = await loading?.catch(() => undefined);
  await Promise.all([loaded?.detection.release(), loaded?.recognition.release(), loaded?.classifier.release()]);
  process.exit(); // in a worker thread, ends the thread only
}

async function read({ id, pages, settings }: Extract<ToWorker, { pages: unknown }>, cancel: AbortController): Promise<void> {
  try {
    const loaded = await models();
    const readings: PageReading[] = [];
    // Pages one after another: a cancelled receipt's remaining pages are skipped.
    for (const [i, page] of pages.entries()) {
      const data = Buffer.from(page.data.buffer, page.data.byteOffset, page.data.byteLength);
      const onProgress = (fraction: number) => port.postMessage({ id, page: i, fraction } satisfies FromWorker);
      readings.push(await readPage({ ...page, data }, loaded, { ...settings, linesPerRun, signal: cancel.signal, onProgress }));
    }
    port.postMessage({ id, readings } satisfies FromWorker);
  } catch (err) {
    // The engine already answered a cancelled reading.
    if (!cancel.signal.aborted) {
      port.postMessage({
        id,
        error: message(err),
        ...(err instanceof ModelsDidNotLoad && { unavailable: true as const }),
      } satisfies FromWorker);
    }
  } finally {
    cancels.delete(id);
  }
}
