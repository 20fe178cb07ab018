// Reads the text layer of a digital PDF receipt (e-mailed invoices, shop PDFs) with positions, so it
// needs no OCR and is exact. A scanned page has no text layer: null for that page tells the caller to OCR it.
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import { wordsOf, type Box, type OcrLine, type OcrResult } from './engine';
import { withPdf, type PdfOpenOptions } from './pdf-document';

export type PdfTextOptions = Partial<PdfOpenOptions>;

/** Fewer letters/digits than this is not a text layer a receipt can be read from (e.g. a lone page number). */
const MIN_TEXT_CHARS = 4;

interface Placed {
  text: string;
  box: Box;
  /** Baseline in top-left page coordinates, for grouping into lines. */
  baseline: number;
  height: number;
}

/** One entry per page, in order: the page's text in its own coordinates, or null for a page without text (a scan). */
export async function readPdfText(path: string, options: PdfTextOptions = {}): Promise<(OcrResult | null)[]> {
  // Every page is read: the page cap already refused documents too long to be a receipt.
  const { timeoutMs = 20_000, ...open } = options;
  return withPdf(path, { ...open, timeoutMs }, async (doc) => {
    const pages: (OcrResult | null)[] = [];
    for (let n = 1; n <= doc.numPages; n++) pages.push(await readPage(doc, n));
    return pages;
  });
}

async function readPage(doc: PDFDocumentProxy, n: number): Promise<OcrResult | null> {
  const page = await doc.getPage(n);
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const placed: Placed[] = [];
  for (const item of content.items) {
    if (!('str' in item) || !item.str.trim()) continue;
    placed.push(place(item as TextItem, viewport));
  }
  page.cleanup();
  const lines = toLines(placed);
  const text = lines.map((l) => l.text).join('\n');
  if ((text.match(/[\p{L}\p{N}]/gu) ?? []).length < MIN_TEXT_CHARS) return null;
  return { text, confidence: 1, lines, width: Math.ceil(viewport.width), height: Math.ceil(viewport.height), engine: 'pdf-text' };
}

type Viewport = { convertToViewportPoint(x: number, y: number): number[] };

/** An item's box in top-left page coordinates; the viewport handles page rotation and crop offsets. */
function place(item: TextItem, viewport: Viewport): Placed {
  const [, , c = 0, d = 0, e = 0, f = 0] = item.transform as number[];
  const height = item.height || Math.hypot(c, d);
  const [ax = 0, ay = 0] = viewport.convertToViewportPoint(e, f);
  const [bx = 0, by = 0] = viewport.convertToViewportPoint(e + item.width, f + height);
  const box = { x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) };
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
    // One text run may hold several words: their boxes are shared out by character position.
    const words = group.sort((a, b) => a.box.x0 - b.box.x0).flatMap((item) => wordsOf({ text: item.text, confidence: 1, bbox: item.box }));
    const bbox = {
      x0: Math.min(...words.map((w) => w.bbox.x0)),
      y0: Math.min(...words.map((w) => w.bbox.y0)),
      x1: Math.max(...words.map((w) => w.bbox.x1)),
      y1: Math.max(...words.map((w) => w.bbox.y1)),
    };
    return { text: words.map((w) => w.text).join(' '), confidence: 1, bbox, words };
  });
}
