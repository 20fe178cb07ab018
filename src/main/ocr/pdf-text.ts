// Reads the text layer of a digital PDF receipt (e-mailed invoices, shop PDFs) with positions, so it
// needs no OCR and is exact. Scanned PDFs have no text layer: null tells the caller to refuse or OCR.
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { ReceiptFileError } from '../ingest/errors';
import { takePdfThread } from './pdf-thread';
import type { Box, OcrLine, OcrResult, OcrWord } from './engine';

export interface PdfTextOptions {
  /** Read at most this many pages (default 20). */
  maxPages?: number;
  /** Refuse documents with more pages than this: a receipt is not a book (default 50). */
  pageCap?: number;
  /** Give up after this long (default 20 s): a hostile PDF must not hold a queue slot forever. */
  timeoutMs?: number;
  /** Stops reading (the queue's per-file time limit, or cancel). */
  signal?: AbortSignal;
}

/** Fewer letters/digits than this is not a text layer a receipt can be read from (e.g. a lone page number). */
const MIN_TEXT_CHARS = 4;

interface Placed {
  text: string;
  box: Box;
  /** Baseline in top-left page coordinates, for grouping into lines. */
  baseline: number;
  height: number;
}

export async function readPdfText(path: string, options: PdfTextOptions = {}): Promise<OcrResult | null> {
  const { maxPages = 20, pageCap = 50, timeoutMs = 20_000, signal } = options;
  signal?.throwIfAborted();
  const data = new Uint8Array(await readFile(path));
  const thread = takePdfThread();
  // No eval, no font loading: we only want text and positions from untrusted files.
  const task = getDocument({ data, worker: thread.pdfWorker, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
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
  // Set once the document has ended by itself (read, or refused by pdfjs): its thread is then idle.
  let finished = false;
  const reading = read(task.promise, maxPages, pageCap).finally(() => (finished = true));
  try {
    return await Promise.race([reading, stopped, thread.died]);
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof ReceiptFileError) throw err;
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
      // The thread goes first: a busy one would never answer the loading task's goodbye.
      await thread.release(false);
      void task.destroy().catch(() => {});
    }
  }
}

async function read(
  loading: ReturnType<typeof getDocument>['promise'],
  maxPages: number,
  pageCap: number,
): Promise<OcrResult | null> {
  const doc = await loading;
  if (doc.numPages > pageCap) {
    throw new ReceiptFileError(`The PDF has ${doc.numPages} pages; receipts over ${pageCap} pages are refused`, 'too_large');
  }
  const lines: OcrLine[] = [];
  let top = 0; // pages are stacked vertically, first page on top
  let width = 0;
  for (let n = 1; n <= Math.min(doc.numPages, maxPages); n++) {
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const placed: Placed[] = [];
    for (const item of content.items) {
      if (!('str' in item) || !item.str.trim()) continue;
      placed.push(place(item as TextItem, viewport, top));
    }
    lines.push(...toLines(placed));
    top += viewport.height;
    width = Math.max(width, viewport.width);
    page.cleanup();
  }
  const text = lines.map((l) => l.text).join('\n');
  if ((text.match(/[\p{L}\p{N}]/gu) ?? []).length < MIN_TEXT_CHARS) return null;
  return { text, confidence: 100, lines, width: Math.ceil(width), height: Math.ceil(top), engine: 'pdf-text' };
}

type Viewport = { convertToViewportPoint(x: number, y: number): number[] };

/** An item's box in top-left page coordinates; the viewport handles page rotation and crop offsets. */
function place(item: TextItem, viewport: Viewport, pageTop: number): Placed {
  const [, , c = 0, d = 0, e = 0, f = 0] = item.transform as number[];
  const height = item.height || Math.hypot(c, d);
  const [ax = 0, ay = 0] = viewport.convertToViewportPoint(e, f);
  const [bx = 0, by = 0] = viewport.convertToViewportPoint(e + item.width, f + height);
  const box = { x0: Math.min(ax, bx), y0: pageTop + Math.min(ay, by), x1: Math.max(ax, bx), y1: pageTop + Math.max(ay, by) };
  return { text: item.str, box, baseline: box.y1, height: box.y1 - box.y0 };
}

/** Items whose baselines are within half a text height share a line; each line is read left to right. */
function toLines(items: Placed[]): OcrLine[] {
  const groups: Placed[][] = [];
  for (const item of [...items].sort((a, b) => a.baseline - b.baseline)) {
    const last = groups.at(-1);
    const ref = last?.[0];
    if (last && ref && Math.abs(item.baseline - ref.baseline) <= Math.max(ref.height, item.height) / 2) last.push(item);
    else groups.push([item]);
  }
  return groups.map((group) => {
    const words = group.sort((a, b) => a.box.x0 - b.box.x0).flatMap(splitWords);
    const bbox = {
      x0: Math.min(...words.map((w) => w.bbox.x0)),
      y0: Math.min(...words.map((w) => w.bbox.y0)),
      x1: Math.max(...words.map((w) => w.bbox.x1)),
      y1: Math.max(...words.map((w) => w.bbox.y1)),
    };
    return { text: words.map((w) => w.text).join(' '), confidence: 100, bbox, words };
  });
}

/** One text run may hold several words; their boxes are shared out by character position. */
function splitWords(item: Placed): OcrWord[] {
  const { x0, x1, y0, y1 } = item.box;
  const perChar = (x1 - x0) / Math.max(1, item.text.length);
  return [...item.text.matchAll(/\S+/g)].map((m) => ({
    text: m[0],
    confidence: 100,
    bbox: { x0: x0 + m.index * perChar, x1: x0 + (m.index + m[0].length) * perChar, y0, y1 },
  }));
}
