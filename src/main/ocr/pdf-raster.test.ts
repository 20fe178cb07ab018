// Rendering real PDFs written by the tests: a scan at 300 dpi, a huge page, a page-count bomb, an
// encrypted file, a cancelled render.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptFileError } from '../ingest/errors';
import { renderReceiptImage } from '../testing/receipt-image';
import { scannedPdf } from '../testing/scanned-pdf';
import { textPdf } from '../testing/text-pdf';
import { pdfStream, writePdf } from '../testing/pdf-writer';
import { renderPdfPages, type PdfRasterOptions } from './pdf-raster';

let dir: string;
let scan: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdf-raster-'));
  scan = await renderReceiptImage(['CORNER CAFE', 'TOTAL 8.32'], { width: 900 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = async (name: string, data: Buffer) => {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
};

const bounds: PdfRasterOptions = { maxPagePixels: 16_000_000, maxImagePixels: 100_000_000 };
const sizes = (path: string, options: Partial<PdfRasterOptions> = {}) =>
  renderPdfPages(path, { ...bounds, ...options }, async (page, n) => ({ n, width: page.width, height: page.height, page }));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

/** Share of pixels darker than mid-grey: ink. */
const ink = (data: Buffer) => {
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
  return dark / (data.length / 4);
};

describe('renderPdfPages', () => {
  it('renders a scanned page at 300 dpi, which is the scan at its own size', async () => {
    const path = await write('scan.pdf', await scannedPdf([{ image: scan }, { image: scan, dpi: 150 }]));
    const [first, second] = await sizes(path);
    expect([first!.n, first!.width]).toEqual([1, 900]);
    // Scanned at 150 dpi the page is twice as large in inches, so it is rendered twice as wide.
    expect([second!.n, second!.width]).toEqual([2, 1800]);
    expect(first!.page.channels).toBe(4);
    const share = ink(first!.page.data);
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.3);
  });

  it('renders only the pages asked for, in that order', async () => {
    const path = await write('three.pdf', await scannedPdf([{ image: scan }, { text: ['TOTAL 1.00'] }, { image: scan, dpi: 150 }]));
    expect((await sizes(path, { pages: [3, 1] })).map((p) => [p.n, p.width])).toEqual([
      [3, 1800],
      [1, 900],
    ]);
  });

  it('renders a 200 × 200 inch page within the pixel bound, quickly', async () => {
    const path = await write('huge.pdf', await scannedPdf([{ image: scan, pageSize: { width: 14_400, height: 14_400 } }]));
    const started = performance.now();
    const [page] = await sizes(path);
    expect(page!.width * page!.height).toBeLessThanOrEqual(16_000_000);
    expect(page!.width).toBe(4000);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('does not decode an embedded image with more pixels than the limit', async () => {
    // A 4,000 × 4,000 black image in 16 KB of flate data: a small decompression bomb.
    const bomb = writePdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>',
      { dict: '', data: Buffer.from('q 300 0 0 300 0 0 cm /Im0 Do Q', 'latin1') },
      {
        dict: '/Type /XObject /Subtype /Image /Width 4000 /Height 4000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode',
        data: deflateSync(Buffer.alloc(16_000_000)),
      },
    ]);
    const path = await write('bomb.pdf', bomb);
    const [skipped] = await sizes(path, { maxImagePixels: 1_000_000 });
    // Rendered without the image: a blank page of the page's own size at 300 dpi.
    expect([skipped!.width, skipped!.height]).toEqual([1250, 1250]);
    expect(ink(skipped!.page.data)).toBe(0);
    // Under the limit the same image is decoded and drawn.
    const [drawn] = await sizes(path, { maxImagePixels: 20_000_000 });
    expect(ink(drawn!.page.data)).toBeGreaterThan(0.99);
  });

  it('bounds a long, narrow page by its longer side', async () => {
    const path = await write('long.pdf', await scannedPdf([{ blank: true, size: { width: 200, height: 14_000 } }]));
    const [page] = await sizes(path, { maxSide: 2000 });
    expect(page!.height).toBe(2000);
  });

  it('refuses a PDF with thousands of pages from its page count, without rendering', async () => {
    const path = await write('book.pdf', await scannedPdf(Array.from({ length: 3000 }, () => ({ blank: true as const }))));
    const started = performance.now();
    const err = await failure(sizes(path));
    expect(err).toBeInstanceOf(ReceiptFileError);
    expect((err as ReceiptFileError).code).toBe('too_large');
    expect((err as Error).message).toBe('The PDF has 3000 pages; receipts over 50 pages are refused');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('refuses an encrypted PDF clearly', async () => {
    const err = await failure(sizes(await write('locked.pdf', textPdf(['TOTAL 1.00'], { encrypt: true }))));
    expect((err as Error).message).toBe('Password-protected PDFs are not supported');
  });

  it('lets the event loop in while a page of many paths is drawn', async () => {
    // 200,000 small squares: pdf.js takes a second or more to draw them on one thread.
    const squares = Array.from({ length: 200_000 }, (_, i) => `${(i * 7) % 590} ${(i * 13) % 830} 2 2 re f`).join('\n');
    const path = await write(
      'paths.pdf',
      writePdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
        pdfStream(squares),
      ]),
    );
    let last = performance.now();
    let longest = 0;
    const ticks = setInterval(() => {
      longest = Math.max(longest, performance.now() - last);
      last = performance.now();
    }, 5);
    const started = performance.now();
    try {
      await sizes(path);
    } finally {
      clearInterval(ticks);
    }
    // Drawn in one go, the longest wait of a timer was ~90% of the render; in slices that hand the
    // event loop its turn, ~30% (the rest is Skia rasterising the recorded paths in one call).
    expect(longest / (performance.now() - started)).toBeLessThan(0.6);
  });

  it('stops when cancelled and when out of time', async () => {
    const path = await write('cancel.pdf', await scannedPdf([{ image: scan }, { image: scan }]));
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const cancelled = renderPdfPages(path, { ...bounds, signal: controller.signal }, async () => controller.abort(reason));
    expect(await failure(cancelled)).toBe(reason);
    const slow = renderPdfPages(path, { ...bounds, timeoutMs: 50 }, () => new Promise((r) => setTimeout(r, 200)));
    expect(((await failure(slow)) as Error).message).toBe('The PDF took longer than 0.05 s to read');
  });
});
