// A PDF receipt, however it was made: pages with a text layer are read from it (exact, no OCR), pages
// without one (scans) are rendered and OCR'd, and all pages are stacked in order into one document.
import type { OcrEngine, OcrOptions, OcrResult } from './engine';
import { readPdfText } from './pdf-text';
import { nothingOnPdfPages, preparedInput, preparePdfPages, type PrepareOptions } from './prepare';
import { pageProgress, stackPages } from './stack-pages';

type PdfFile = { path: string; mime: string; size: number };

export async function recognizePdf(
  file: PdfFile,
  engine: OcrEngine,
  options: OcrOptions,
  prepare: PrepareOptions,
): Promise<OcrResult> {
  const pages = await readPdfText(file.path, { signal: prepare.signal, pageCap: prepare.pageCap });
  const scanned = pages.flatMap((page, i) => (page ? [] : [i + 1]));
  if (scanned.length === 0) return stackPages(pages as OcrResult[]);
  // A scan throughout: the engine gets the whole file (OCR.space may upload the PDF itself).
  if (scanned.length === pages.length) return engine.recognize(preparedInput(file, prepare), options);
  return recognizeMixed(file, pages, scanned, engine, options, prepare);
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
  const inOrder = pages.map((page, i) => page ?? byPage.get(i + 1) ?? null).filter((p): p is OcrResult => p !== null);
  if (inOrder.length === 0) throw nothingOnPdfPages();
  return stackPages(inOrder);
}
