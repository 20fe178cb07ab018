// pdfjs parses on the calling thread in Node (its "fake worker"), and a hostile PDF can keep it busy for
// minutes without yielding: no timer fires, so no time limit can stop it and the whole app hangs. Each
// document is parsed in a worker thread instead, which can be terminated mid-spin and whose heap is capped.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PDFWorker } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ReceiptFileError } from '../ingest/errors';

/** A receipt's PDF parses in a few MB; a document that needs more is refused instead of exhausting memory. */
export const PDF_THREAD_HEAP_MB = 256;

const WORKER_URL = pathToFileURL(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href;

// Plain JavaScript, so the thread needs no TypeScript loader or bundler entry: it connects pdfjs's worker
// side to the parent port, shaped like the Web Worker pdfjs expects.
const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
const listeners = new Map();
const port = {
  postMessage: (message, transfer) => parentPort.postMessage(message, transfer),
  addEventListener: (type, listener) => {
    const wrapped = (data) => listener({ data });
    listeners.set(listener, wrapped);
    parentPort.on('message', wrapped);
  },
  removeEventListener: (type, listener) => parentPort.off('message', listeners.get(listener)),
};
import(workerData.url).then(({ WorkerMessageHandler }) => WorkerMessageHandler.initializeFromPort(port));
`;

export interface PdfThread {
  /** Pass as getDocument's `worker`. */
  pdfWorker: PDFWorker;
  /** Rejects with a ReceiptFileError if the thread dies (out of memory, crash) before it is stopped. */
  died: Promise<never>;
  /** Ends the thread, whatever it is doing. */
  stop(): Promise<void>;
}

export function startPdfThread(): PdfThread {
  const thread = new Worker(BOOT, {
    eval: true,
    workerData: { url: WORKER_URL },
    resourceLimits: { maxOldGenerationSizeMb: PDF_THREAD_HEAP_MB },
  });
  const wrapped = new Map<(event: { data: unknown }) => void, (data: unknown) => void>();
  const port = {
    postMessage: (message: unknown, transfer?: Transferable[]) => thread.postMessage(message, transfer as never),
    addEventListener: (_type: string, listener: (event: { data: unknown }) => void) => {
      const onMessage = (data: unknown) => listener({ data });
      wrapped.set(listener, onMessage);
      thread.on('message', onMessage);
    },
    removeEventListener: (_type: string, listener: (event: { data: unknown }) => void) => {
      const onMessage = wrapped.get(listener);
      if (onMessage) thread.off('message', onMessage);
    },
    terminate: () => void thread.terminate(),
  };
  let stopping = false;
  const died = new Promise<never>((_, reject) => {
    const fail = (error?: Error) => {
      if (stopping) return;
      const outOfMemory = (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      reject(
        outOfMemory
          ? new ReceiptFileError(`The PDF needs more than ${PDF_THREAD_HEAP_MB} MB of memory to read; receipts need far less`, 'too_large')
          : new ReceiptFileError(`The PDF reader stopped unexpectedly${error ? `: ${error.message}` : ''}`, 'unreadable'),
      );
    };
    thread.once('error', fail);
    thread.once('exit', () => fail());
  });
  died.catch(() => {}); // only observed while a document is being read
  return {
    pdfWorker: new PDFWorker({ port: port as never, verbosity: 0 }),
    died,
    async stop() {
      stopping = true;
      await thread.terminate();
    },
  };
}
