// The default local, offline OcrEngine: PaddleOCR's PP-OCRv4 models on ONNX Runtime's CPU build.
// One set of model sessions serves every receipt: ONNX Runtime spreads each model run over the cores
// itself, and its Node binding runs a model on the calling thread, so files in flight take turns.
import { availableParallelism } from 'node:os';
import ort from 'onnxruntime-node';
import type { OcrEngine, OcrInput, OcrOptions, OcrResult, Reading, ReadOptions } from '../engine';
import { readOnce } from '../read-once';
import { readTurned } from '../turns';
import { pageProgress, stackPages } from '../stack-pages';
import { defaultModelFiles, readDictionary, type ModelFiles } from './models';
import { parseAlphabet } from './recognize';
import { readPage, type Models, type ReadPageOptions } from './read-page';

export interface PaddleEngineOptions {
  /** Threads each model run may use (default: available cores). */
  threads?: number;
  models?: ModelFiles;
  /** Overrides of the reading settings, for measuring others. */
  reading?: Partial<Omit<ReadPageOptions, 'upright' | 'onProgress'>>;
}

/**
 * The reading settings, measured on SROIE, SRD and WildReceipt (see the README). Detection at ~0.8
 * MP finds receipt print as well as at 1.5 MP for half the time: prepared pages are enlarged for
 * tesseract, beyond what detection needs. The thresholds are PaddleOCR's own defaults.
 */
export const PADDLE_READING: Omit<ReadPageOptions, 'upright' | 'onProgress'> = {
  detect: { maxPixels: 800_000, pixelThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5 },
  batchSize: 8,
  dropBelow: 0.5,
  straighten: true,
};

export function createPaddleEngine(options: PaddleEngineOptions = {}): OcrEngine {
  const files = options.models ?? defaultModelFiles();
  const reading = { ...PADDLE_READING, ...options.reading };
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: Math.max(1, options.threads ?? availableParallelism()),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Idle threads spinning for work would take the cores from everything else between model runs.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  let loading: Promise<Models> | undefined;
  let closed = false;
  const models = (): Promise<Models> =>
    (loading ??= (async () => {
      const [detection, recognition, classifier] = await Promise.all(
        [files.detection, files.recognition, files.classifier].map((path) => ort.InferenceSession.create(path, sessionOptions)),
      );
      return { detection: detection!, recognition: recognition!, classifier: classifier!, alphabet: parseAlphabet(readDictionary(files)) };
    })().catch((err: unknown) => {
      loading = undefined;
      throw new Error(`Could not start the OCR engine: ${err instanceof Error ? err.message : String(err)}`);
    }));

  const recognize = async (input: OcrInput, ocrOptions: OcrOptions = {}): Promise<OcrResult> => {
    if (closed) throw new Error('The OCR engine is closed');
    const { signal } = ocrOptions;
    signal?.throwIfAborted();
    const [loaded, pages] = await Promise.all([models(), input.prepare()]);
    const report = pageProgress(pages.length, ocrOptions.onProgress);
    const results: OcrResult[] = [];
    // Pages one after another: model runs hold the thread anyway, and a cancel stops between pages.
    for (const [i, page] of pages.entries()) {
      signal?.throwIfAborted();
      if (closed) throw new Error('The OCR engine was closed');
      const { result, turn } = await readPage(page, loaded, { ...reading, upright: ocrOptions.upright, onProgress: (f) => report(i, f) });
      results.push(readTurned(result, i, turn));
    }
    return stackPages(results);
  };

  return {
    name: 'paddle',
    recognize,
    // One reading is the whole strategy: each page's turn is found within it.
    read: (input: OcrInput, options: ReadOptions): Promise<Reading> => readOnce(recognize, input, options),

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const loaded = await loading?.catch(() => undefined);
      await Promise.all([loaded?.detection.release(), loaded?.recognition.release(), loaded?.classifier.release()]);
    },
  };
}
