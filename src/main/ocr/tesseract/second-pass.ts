// A receipt whose first reading fails the extractor's checks (no total, no date, an unsure total) is
// read once more by tesseract from a differently prepared image, and each field is taken from
// the reading that supports it best. Readings differ in which characters they get wrong, so a second
// one fixes misses the first could not; receipts that read well cost nothing extra.
import type { ExtractedFields } from '../../../shared/model';
import { combineExtractions, wantsSecondPass } from '../../extract/combine';
import type { EnhanceOptions } from '../enhance';
import type { OcrResult, Reading } from '../engine';

/**
 * The second preparation. Of those measured as second passes (flattened; glyphs 28 px; edges cleared;
 * these combined) the combination gained the most on SROIE, SRD and WildReceipt together, mostly
 * dates. Enlarging small text without limit gained a little more but cost a third of the throughput;
 * capped at 1.25 it kept 72.8% of the throughput without second readings (65.5% uncapped; commit
 * 43c692a), within issue 4's budget of a third.
 */
export const SECOND_PASS_ENHANCE: EnhanceOptions = { flatten: true, clearEdges: true, glyphHeight: 28, maxUpscale: 1.25 };

/**
 * Reads again what a tesseract reading got poorly: first only the lines of a missing or unsure field
 * with `rereadLines` (cheap, see reread.ts), then, if the checks still fail, the whole receipt with
 * `readAgain` (none: the input has no second preparation). The OCR text kept is the more confident reading's.
 */
export async function readAgainIfPoor(
  first: Reading,
  readAgain: (() => Promise<OcrResult>) | undefined,
  extract: (ocr: OcrResult) => ExtractedFields,
  rereadLines: (first: Reading) => Promise<Reading> = async (r) => r,
): Promise<Reading> {
  // Re-reading lines is cheap enough to try on an unsure date too, which the checks let through.
  const lined = await rereadLines(first);
  if (!readAgain || !wantsSecondPass(lined.fields)) return lined;
  const ocr = await readAgain();
  const fields = combineExtractions([lined.fields, extract(ocr)]);
  return { ocr: ocr.confidence > lined.ocr.confidence ? ocr : lined.ocr, fields };
}
