// npm run bench:pdf [-- PAGES DIR] — what a scanned PDF costs per page: rendering with pdf.js (+ prepare)
// beside preparing the same scans as image files, and OCR of the whole PDF (its pages as separate
// recognitions over the tesseract pool) beside the same images one by one. The PDF is written to a
// temporary folder from the first PAGES (default 10) scans of DIR (default ../shared/receipts/sroie/images),
// each embedded as a 300 dpi page, the way a scanner writes them.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OcrEngine } from '../src/main/ocr/engine';
import { preparedInput, preparePages } from '../src/main/ocr/prepare';
import { createTesseractEngine } from '../src/main/ocr/tesseract/tesseract';
import { scannedPdf } from '../src/main/testing/scanned-pdf';

const pages = Number(process.argv[2] ?? 10);
const dir = resolve(process.argv[3] ?? join(import.meta.dirname, '../../shared/receipts/sroie/images'));
const images = readdirSync(dir)
  .filter((f) => /\.jpe?g$/i.test(f))
  .sort()
  .slice(0, pages)
  .map((f) => join(dir, f));
const out = mkdtempSync(join(tmpdir(), 'bench-pdf-'));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await run();
  return { ms: performance.now() - t0, value };
}

const perPage = (ms: number) => `${(ms / images.length).toFixed(0)} ms/page`;
const file = (path: string) => ({ path, mime: 'application/pdf', size: statSync(path).size });

try {
  const pdf = join(out, 'scan.pdf');
  writeFileSync(pdf, await scannedPdf(await Promise.all(images.map(async (path) => ({ image: await readFile(path) })))));
  console.log(`${images.length} scans → ${pdf} (${(statSync(pdf).size / 1e6).toFixed(1)} MB)`);

  const rendered = await timed(() => preparePages(pdf, 'application/pdf'));
  const direct = await timed(async () => {
    for (const path of images) await preparePages(path, 'image/jpeg');
  });
  console.log(`render + prepare, PDF pages:   ${perPage(rendered.ms)}`);
  console.log(`prepare, the same JPEG files:  ${perPage(direct.ms)}`);

  const engine: OcrEngine = createTesseractEngine({ workers: availableParallelism() });
  try {
    await engine.recognize(preparedInput({ path: images[0]!, mime: 'image/jpeg', size: 0 })); // start the workers
    const whole = await timed(() => engine.recognize(preparedInput(file(pdf))));
    const separate = await timed(() =>
      Promise.all(images.map((path) => engine.recognize(preparedInput({ path, mime: 'image/jpeg', size: statSync(path).size })))),
    );
    console.log(
      `PDF, render + prepare + OCR:   ${perPage(whole.ms)} (${availableParallelism()} workers; ${whole.value.lines.length} lines)`,
    );
    console.log(`JPEGs, prepare + OCR:          ${perPage(separate.ms)}`);
  } finally {
    await engine.close();
  }

  const huge = join(out, 'huge.pdf');
  writeFileSync(huge, await scannedPdf([{ image: await readFile(images[0]!), pageSize: { width: 14_400, height: 14_400 } }]));
  const hugeRun = await timed(() => preparePages(huge, 'application/pdf'));
  console.log(
    `200 × 200 inch page:           ${hugeRun.ms.toFixed(0)} ms, rendered to ${hugeRun.value[0]!.width} × ${hugeRun.value[0]!.height} px`,
  );
  const book = join(out, 'book.pdf');
  writeFileSync(book, await scannedPdf(Array.from({ length: 5000 }, () => ({ blank: true as const }))));
  const bookRun = await timed(() => preparePages(book, 'application/pdf').catch((e: Error) => e.message));
  console.log(`5,000-page PDF:                ${bookRun.ms.toFixed(0)} ms → "${bookRun.value}"`);
  console.log(`peak RSS: ${(peakRss / 1e6).toFixed(0)} MB`);
} finally {
  clearInterval(sampler);
  rmSync(out, { recursive: true, force: true });
}
