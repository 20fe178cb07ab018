// Re-reading only the lines that matter: when the first reading misses the date or is unsure of the
// total, the few lines that carry it are cut out of the page, enlarged and read again on their own. A
// crop is a small share of a page, so this costs far less than reading the whole receipt again.
import type { ExtractedFields } from '../../shared/model';
import { combineExtractions } from '../extract/combine';
import { linesToReread } from '../extract/reread-lines';
import type { OcrResult, PreparedImage } from '../ocr/engine';
import { cropLine, linesOnPage, replaceLines, type CropOptions } from '../ocr/line-crops';
import type { Reading } from './second-pass';

export interface LineReread {
  /**
   * The page's reading with the re-read lines put in, and the first reading's fields combined with
   * the fields of that reading.
   */
  reading: Reading;
  /** The fields of the page with its re-read lines alone; null when nothing was re-read. */
  lines: ExtractedFields | null;
  /** Lines read again (0: nothing worth it, or no page to cut from). */
  crops: number;
}

/**
 * Re-reads the lines of `first` that carry its missing or unsure fields from `page`, the image the
 * first reading's boxes refer to (null when there is none, e.g. a receipt of several pages).
 */
export async function rereadLines(
  first: Reading,
  page: PreparedImage | null,
  recognize: (crop: PreparedImage) => Promise<OcrResult>,
  extract: (ocr: OcrResult) => ExtractedFields,
  crop: CropOptions = {},
): Promise<LineReread> {
  const none: LineReread = { reading: first, lines: null, crops: 0 };
  if (!page || page.width !== first.ocr.width || page.height !== first.ocr.height) return none;
  const wanted = [...new Set(linesToReread(first.ocr, first.fields).map((l) => l.line))];
  if (wanted.length === 0) return none;
  const rereads = await Promise.all(
    wanted.map(async (line) => {
      const cut = await cropLine(page, first.ocr.lines[line]!.bbox, crop);
      return { line, band: cut.band, lines: linesOnPage(cut, await recognize(cut.image)) };
    }),
  );
  const ocr = replaceLines(first.ocr, rereads);
  const lines = extract(ocr);
  return { reading: { ocr, fields: combineExtractions([first.fields, lines]) }, lines, crops: wanted.length };
}
