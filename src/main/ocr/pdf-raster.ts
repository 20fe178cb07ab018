// Renders PDF pages to pixels for OCR (scanned PDFs) and previews, with pdf.js drawing on a Skia canvas
// from @napi-rs/canvas (prebuilt N-API binaries, so the same build loads under Node and Electron).
// Rendering, rather than pulling the embedded scans out of the operator list, also gets pages right
// whose scan is rotated, cropped, split into strips, masked or drawn under vector text.
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RawImage } from './heic';
import { withPdf, type PdfOpenOptions } from './pdf-document';

export interface PdfRasterOptions extends Partial<PdfOpenOptions> {
  /** Pages to render, 1-based, in this order (default: every page). */
  pages?: number[];
  /** Resolution to render at (default 300 dpi, what tesseract reads best). */
  dpi?: number;
  /** A page is rendered to at most this many pixels, at a lower resolution if it is large. */
  maxPagePixels: number;
  /** Or to at most this many pixels on its longer side (previews). */
  maxSide?: number;
  /** Images in the PDF larger than this are not decoded (pdf.js leaves them out of the page). */
  maxImagePixels: number;
}

/** pdf.js types its Node canvas factory as Object; this is what it is. */
interface CanvasFactory {
  create(width: number, height: number): { canvas: unknown; context: CanvasRenderingContext2D };
  destroy(target: { canvas: unknown; context: CanvasRenderingContext2D }): void;
}

/** Skia refuses canvases much beyond this on a side; a very long page is rendered smaller instead. */
const MAX_CANVAS_SIDE = 16_384;
const PT_PER_INCH = 72;

/**
 * Renders each page and hands its RGBA pixels to `use` before the next is drawn, so a long document
 * never holds more than one page's pixels.
 */
export async function renderPdfPages<T>(
  path: string,
  options: PdfRasterOptions,
  use: (page: RawImage, pageNumber: number) => Promise<T>,
): Promise<T[]> {
  const { pages, dpi = 300, maxPagePixels, maxSide = MAX_CANVAS_SIDE, maxImagePixels, timeoutMs = 120_000, ...open } = options;
  return withPdf(path, { ...open, timeoutMs, maxImagePixels }, async (doc) => {
    const out: T[] = [];
    for (const n of pages ?? Array.from({ length: doc.numPages }, (_, i) => i + 1)) {
      out.push(await use(await renderPage(doc, n, { dpi, maxPagePixels, maxSide: Math.min(maxSide, MAX_CANVAS_SIDE) }, open.signal), n));
    }
    return out;
  });
}

async function renderPage(
  doc: PDFDocumentProxy,
  n: number,
  bounds: { dpi: number; maxPagePixels: number; maxSide: number },
  signal: AbortSignal | undefined,
): Promise<RawImage> {
  const page = await doc.getPage(n);
  try {
    const size = page.getViewport({ scale: 1 }); // in points, rotation applied
    const scale = Math.min(
      bounds.dpi / PT_PER_INCH,
      Math.sqrt(bounds.maxPagePixels / (size.width * size.height)),
      bounds.maxSide / Math.max(size.width, size.height),
    );
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.floor(viewport.width));
    const height = Math.max(1, Math.floor(viewport.height));
    const canvases = doc.canvasFactory as CanvasFactory;
    const target = canvases.create(width, height);
    try {
      const task = page.render({ canvasContext: target.context, viewport, background: '#ffffff' });
      // pdf.js draws in slices of ~15 ms but chains them as microtasks, which never let the event loop
      // in: a page of many paths held the main process (IPC, timers, the time limit) until it was drawn.
      task.onContinue = (next: () => void) => void setImmediate(next);
      // pdf.js draws in slices of ~15 ms but chains them as microtasks, which never let the event loop
      // in: a page of many paths would hold the main process (IPC, timers, the time limit) until drawn.
      task.onContinue = (next: () => void) => void setImmediate(next);
      const cancel = () => task.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        await task.promise;
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
      const { data } = target.context.getImageData(0, 0, width, height);
      return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height, channels: 4 };
    } finally {
      canvases.destroy(target);
    }
  } finally {
    page.cleanup();
  }
}
