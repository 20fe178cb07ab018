// The images a speed bench reads (DIR, default SROIE's scans, in name order) and how a bare engine reads one.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_PIXELS } from '../src/main/ingest/limits';
import type { readReceiptFile } from '../src/main/ingest/read';
import type { OcrEngine, OcrResult } from '../src/main/ocr/engine';
import { preparedInput } from '../src/main/ocr/prepare';

export function scanImages(dirArgument: string | undefined): { dir: string; images: string[] } {
  const dir = resolve(dirArgument ?? join(import.meta.dirname, '../../shared/receipts/sroie/images'));
  const images = readdirSync(dir)
    .filter((f) => /\.(jpe?g|png|webp|tiff?)$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
  return { dir, images };
}

/** One plain reading, prepared as the app prepares a page. */
export const readOnce = (engine: OcrEngine, file: Awaited<ReturnType<typeof readReceiptFile>>): Promise<OcrResult> =>
  engine.recognize(preparedInput(file, { maxPixels: DEFAULT_MAX_PIXELS }));
