// A PDF receipt, however it was made: pages with a text layer are read from it (exact, no OCR), pages
// without one (scans) are rendered and OCR'd, and all pages are stacked in order into one document.
import type { OcrEngine, OcrOptions, OcrResult, Reading, ReadOptions } from './engine';
import { readPdfText } from './pdf-text';
import { nothingOnPdfPages, preparedInput, preparePdfPages, type PrepareOptions } from './prepare';
import { pageProgress, stackPages } from './stack-pages';

type PdfFile = { path: string; mime: string; size: number };

export async function readPdf(file: PdfFile, engine: OcrEngine, options: ReadOptions, prepare: PrepareOptions): Promise<Reading> {
  const pages = await readPdfText(file.path, { signal: prepare.signal, pageCap: prepare.pageCap });
  const scanned = pages.flatMap((page, i) => (page ? [] : [i + 1]));
  // A scan throughout is the engine's to read like any image (OCR.space may upload the PDF itself).
  if (scanned.length === pages.length) return engine.read(preparedInput(file, prepare), options);
  // Text pages are exact; a scanned page among them is read once on its own, to take its place in order.
  const ocr =
    scanned.length === 0
      ? stackPages(
          pages as OcrResult[],
          pages.map((_, i) => i + 1),
        )
      : await recognizeMixed(file, pages, scanned, engine, options, prepare);
  return { ocr, fields: options.extract(ocr) };
}

/** Text pages as they are; each scanned page OCR'd on its own, so it can take its place in order. */
async function recognizeMixed(
  file: PdfFile,
  pages: (OcrResult | null)[],
  scanned: number[],
  engine: OcrEngine,
  options: OcrOptions,
  prepare: PrepareOptions,
): Promise<OcrResult> {
  const images = await preparePdfPages(file.path, { ...prepare, pdfPages: scanned });
  const report = pageProgress(scanned.length, options.onProgress);
  const ocrd = await Promise.all(
    images.map((image, i) =>
      image
        ? engine.recognize(
            { path: file.path, mime: file.mime, size: file.size, partOfFile: true, prepare: async () => [image] },
            { signal: options.signal, onProgress: (f) => report(i, f) },
          )
        : null,
    ),
  );
  const byPage = new Map(scanned.map((n, i) => [n, ocrd[i]]));
  const inOrder = pages.flatMap((page, i) => {
    const read = page ?? byPage.get(i + 1);
    return read ? [{ read, filePage: i + 1 }] : [];
  });
  if (inOrder.length === 0) throw nothingOnPdfPages();
  return stackPages(
    inOrder.map((p) => p.read),
    inOrder.map((p) => p.filePage),
  );
}
