// How tesseract reads a receipt: each page the right way up (orientation.ts), then what it read poorly
// again, cheapest first: the lines of a missing or unsure date (reread.ts), then, when the checks
// still fail, the whole receipt from the enhanced preparation, its pages turned as first read
// (second-pass.ts); each field is taken from the reading that supports it best.
import type { OcrEngine, OcrInput, Reading, ReadOptions } from '../engine';
import { readAgainTurned } from './orientation';
import { rereadInput } from './reread';
import { readAgainIfPoor, SECOND_PASS_ENHANCE } from './second-pass';

export async function readWithTesseract(engine: OcrEngine, input: OcrInput, { extract, ...options }: ReadOptions): Promise<Reading> {
  const ocr = await engine.recognize(input, options);
  const enhanced = input.enhanced?.(SECOND_PASS_ENHANCE);
  const { signal } = options;
  return readAgainIfPoor(
    { ocr, fields: extract(ocr) },
    enhanced && (() => readAgainTurned(engine, enhanced, ocr.pages, { signal })),
    extract,
    (first) => rereadInput(first, input, engine, extract, signal),
  );
}
