// pdfjs parses on the calling thread in Node (its "fake worker"), and a hostile PDF can keep it busy for
// minutes without yielding: no timer fires, so no time limit can stop it and the whole app hangs. PDFs are
// parsed in worker threads instead, which can be terminated mid-spin and whose heap is capped.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PDFWorker } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ReceiptFileError } from '../ingest/errors';
import { unpacked } from './asar-path';

/** A receipt's PDF parses in a few MB; a document that needs more is refused instead of exhausting memory. */
export const PDF_THREAD_HEAP_MB = 256;

const WORKER_URL = pathToFileURL(unpacked(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'))).href;

// Plain JavaScript, so the thread needs no TypeScript loader or bundler entry: it connects pdfjs's worker
// side to the parent port, shaped like the Web Worker pdfjs expects.
const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
const port = {
  postMessage: (message, transfer) => parentPort.postMessage(message, transfer),
  // pdfjs removes its listeners through the AbortSignal it passes.
  addEventListener: (type, listener, options) => {
    const wrapped = (data) => listener({ data });
    parentPort.on('message', wrapped);
    options?.signal?.addEventListener('abort', () => parentPort.off('message', wrapped), { once: true });
  },
  removeEventListener: () => {},
};
import(workerData.url).then(({ WorkerMessageHandler }) => WorkerMessageHandler.initializeFromPort(port));
`;

// Starting a thread costs a few hundred ms (it compiles pdfjs's 2 MB worker), more than reading a typical
// digital receipt, so threads are kept for the next document: a few, each for a limited number of them.
const MAX_IDLE = 2;
const MAX_DOCUMENTS = 50;
const idle: PdfThread[] = [];

/** A thread ready for one document: an idle one if there is one. */
export function takePdfThread(): PdfThread {
  const thread = idle.pop() ?? new PdfThread();
  thread.busy();
  return thread;
}

type Listener = (event: { data: unknown }) => void;

export class PdfThread {
  /** Pass as getDocument's `worker`. */
  readonly pdfWorker: PDFWorker;
  /** Rejects with a ReceiptFileError if the thread dies (out of memory, crash) before it is stopped. */
  readonly died: Promise<never>;
  private readonly thread: Worker;
  private stopping = false;
  private exited = false;
  private documents = 0;

  constructor() {
    const thread = new Worker(BOOT, {
      eval: true,
      workerData: { url: WORKER_URL },
      resourceLimits: { maxOldGenerationSizeMb: PDF_THREAD_HEAP_MB },
    });
    this.thread = thread;
    const port = {
      postMessage: (message: unknown, transfer?: Transferable[]) => thread.postMessage(message, transfer as never),
      // pdfjs removes its listeners through the AbortSignal it passes.
      addEventListener: (_type: string, listener: Listener, options?: { signal?: AbortSignal }) => {
        const onMessage = (data: unknown) => listener({ data });
        thread.on('message', onMessage);
        options?.signal?.addEventListener('abort', () => thread.off('message', onMessage), { once: true });
      },
      removeEventListener: () => {},
      terminate: () => void thread.terminate(),
    };
    this.pdfWorker = new PDFWorker({ port: port as never, verbosity: 0 });
    this.died = new Promise<never>((_, reject) => {
      const fail = (error?: Error) => {
        this.exited = true;
        const at = idle.indexOf(this);
        if (at >= 0) idle.splice(at, 1);
        if (this.stopping) return;
        const outOfMemory = (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        reject(
          outOfMemory
            ? new ReceiptFileError(
                `The PDF needs more than ${PDF_THREAD_HEAP_MB} MB of memory to read; receipts need far less`,
                'too_large',
              )
            : new ReceiptFileError(`The PDF reader stopped unexpectedly${error ? `: ${error.message}` : ''}`, 'unreadable'),
        );
      };
      thread.once('error', fail);
      thread.once('exit', () => fail());
    });
    this.died.catch(() => {}); // only observed while a document is being read
  }

  busy(): void {
    this.thread.ref();
  }

  /**
   * Hands the thread back once its document is destroyed. Only a thread whose document ended by itself
   * is `reusable`; one stopped mid-document (time limit, cancel) is ended, whatever it is doing.
   */
  async release(reusable: boolean): Promise<void> {
    this.documents++;
    if (reusable && !this.exited && this.documents < MAX_DOCUMENTS && idle.length < MAX_IDLE) {
      this.thread.unref(); // an idle thread must not keep the app from exiting
      idle.push(this);
      return;
    }
    this.stopping = true;
    await this.thread.terminate();
  }
}
