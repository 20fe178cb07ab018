// Opens an untrusted PDF with pdf.js for the text reader and the page rasteriser alike: no eval, no
// system fonts, a page cap, a time limit and cancellation, and one clear per-file error for each way
// a PDF can fail (password, broken, too long, too slow).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ReceiptFileError } from '../ingest/errors';
import { takePdfThread } from './pdf-thread';

export interface PdfOpenOptions {
  /** Refuse documents with more pages than this: a receipt is not a book (default 50). */
  pageCap?: number;
  /** Give up after this long: a hostile PDF must not hold a queue slot forever. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Embedded images with more pixels than this are not decoded (pdf.js leaves them out); default: no limit. */
  maxImagePixels?: number;
}

export const DEFAULT_PDF_PAGE_CAP = 50;

const requireHere = createRequire(import.meta.url);
// Fonts a PDF names but does not embed (Helvetica, Times…) are drawn from pdf.js's own font files.
const standardFontDataUrl = `${join(dirname(requireHere.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** Runs `use` on the open document and always frees it; pdf.js errors become ReceiptFileErrors. */
export async function withPdf<T>(path: string, options: PdfOpenOptions, use: (doc: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const { pageCap = DEFAULT_PDF_PAGE_CAP, timeoutMs, signal, maxImagePixels = -1 } = options;
  signal?.throwIfAborted();
  const data = new Uint8Array(await readFile(path));
  // pdf.js parses in a worker thread that a time limit or cancel can end mid-spin (see pdf-thread.ts).
  const thread = takePdfThread();
  const task = getDocument({
    data,
    worker: thread.pdfWorker,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    standardFontDataUrl,
    maxImageSize: maxImagePixels,
    verbosity: 0,
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ReceiptFileError(`The PDF took longer than ${timeoutMs / 1000} s to read`, 'unreadable')),
      timeoutMs,
    );
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  // Set once the document has ended by itself (read, or refused by pdf.js): its thread is then idle.
  let finished = false;
  const open = async () => {
    const doc = await task.promise;
    if (doc.numPages > pageCap) {
      throw new ReceiptFileError(`The PDF has ${doc.numPages} pages; receipts over ${pageCap} pages are refused`, 'too_large');
    }
    return use(doc);
  };
  const reading = open().finally(() => (finished = true));
  try {
    return await Promise.race([reading, stopped, thread.died]);
  } catch (err) {
    if (err instanceof ReceiptFileError || signal?.aborted) throw err;
    const name = (err as Error | undefined)?.name;
    if (name === 'PasswordException') {
      throw new ReceiptFileError('Password-protected PDFs are not supported', 'unsupported_type', { cause: err });
    }
    const detail = err instanceof Error ? err.message : String(err);
    throw new ReceiptFileError(`The PDF could not be read: ${detail}`, 'unreadable', { cause: err });
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    if (finished) {
      await Promise.race([task.destroy(), thread.died]).catch(() => {});
      await thread.release(true);
    } else {
      // The thread goes first: a busy one would never answer the loading task's goodbye. Destroying the
      // task also stops a page still rendering after a time-out or cancel.
      await thread.release(false);
      void task.destroy().catch(() => {});
    }
  }
}
