// The reader of an engine that reads a receipt once and stands by it: OCR.space (asked again it would
// answer the same, at a cost), or an engine that finds each page's turn within its one reading.
import type { OcrInput, OcrOptions, OcrResult, Reading, ReadOptions } from './engine';

export async function readOnce(
  recognize: (input: OcrInput, options?: OcrOptions) => Promise<OcrResult>,
  input: OcrInput,
  { extract, ...options }: ReadOptions,
): Promise<Reading> {
  const ocr = await recognize(input, options);
  return { ocr, fields: extract(ocr) };
}
