// Re-reading only the lines that matter: when the first reading misses the date or is unsure of it,
// the few lines that may carry it are cut out of the page, enlarged and read again on their own. A
// crop is a small share of a page, so this costs far less than reading the whole receipt again.
import type { ExtractedFields, FieldName } from '../../../shared/model';
import { warningsFrom } from '../../extract/combine';
import { linesToReread, type RereadField } from '../../extract/reread-lines';
import type { OcrEngine, OcrInput, OcrResult, PreparedImage, Reading } from '../engine';
import { cropLine, inBand, linesOnPage, replaceLines, type CropOptions } from './line-crops';
import { pagesAsRead } from './orientation';

const MONEY = ['total', 'subtotal', 'tax', 'tip'] as const;

/**
 * The fields whose lines are re-read. Dates only: re-read date lines gained dates on SROIE, SRD and
 * WildReceipt and lost none; re-read total lines lost more totals than they fixed (an amount's digit
 * misread as surely as the first reading's), see bench/reread.ts and the README.
 */
export const REREAD_FIELDS: readonly RereadField[] = ['date'];

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
  options: CropOptions & { fields?: readonly RereadField[] } = {},
): Promise<LineReread> {
  const none: LineReread = { reading: first, lines: null, crops: 0 };
  if (!page || page.width !== first.ocr.width || page.height !== first.ocr.height) return none;
  const chosen = linesToReread(first.ocr, first.fields, options.fields ?? REREAD_FIELDS);
  const wanted = onePerBand(
    first.ocr,
    chosen.map((l) => l.line),
  );
  if (wanted.length === 0) return none;
  const rereads = await Promise.all(
    wanted.map(async (line) => {
      const cut = await cropLine(page, first.ocr.lines[line]!.bbox, options);
      return { line, band: cut.band, lines: linesOnPage(cut, await recognize(cut.image)) };
    }),
  );
  const ocr = replaceLines(first.ocr, rereads);
  const lines = onlyFields(extract(ocr), new Set(chosen.map((l) => l.field)));
  return { reading: { ocr, fields: surer(first.fields, lines) }, lines, crops: wanted.length };
}

/** The lines in page order, leaving out any whose middle lies on the band of one kept: one crop reads both. */
function onePerBand(ocr: OcrResult, lines: number[]): number[] {
  const kept: number[] = [];
  for (const line of [...new Set(lines)].sort((a, b) => a - b)) {
    if (!kept.some((k) => inBand(ocr.lines[line]!.bbox, ocr.lines[k]!.bbox))) kept.push(line);
  }
  return kept;
}

/**
 * rereadLines for a receipt read by `engine` from `input`: the crops are cut from the page the first
 * reading was made from (a receipt of several pages has no one page to cut from: none are re-read).
 */
export async function rereadInput(
  first: Reading,
  input: OcrInput,
  engine: OcrEngine,
  extract: (ocr: OcrResult) => ExtractedFields,
  signal?: AbortSignal,
): Promise<Reading> {
  const pages = await input.prepare();
  const recognize = (crop: PreparedImage): Promise<OcrResult> =>
    engine.recognize(
      { path: input.path, mime: crop.mime, size: crop.data.length, prepare: async () => [crop], partOfFile: true },
      { signal, upright: true },
    );
  // A page read turned (orientation.ts) has its boxes on the turned page: cut the lines from that.
  const page = pages.length === 1 ? (await pagesAsRead(pages, first.ocr.pages))[0]! : null;
  return (await rereadLines(first, page, recognize, extract)).reading;
}

/**
 * Each field from the reading that is surer of it. Two readings of the same print agreeing is not the
 * evidence two independent readings agreeing is (they tend to repeat a misread), so unlike
 * combineExtractions this does not raise confidence on agreement; a tie keeps the first reading.
 */
function surer(first: ExtractedFields, lines: ExtractedFields): ExtractedFields {
  const wins = (field: 'date' | 'total'): boolean => (lines.confidence[field] ?? -1) > (first.confidence[field] ?? -1);
  const date = wins('date') ? lines : first;
  const money = wins('total') ? lines : first;
  const confidence = { ...first.confidence };
  delete confidence.date;
  for (const f of MONEY) delete confidence[f];
  const take = (from: ExtractedFields, fields: readonly FieldName[]): void => {
    for (const f of fields) if (from.confidence[f] !== undefined) confidence[f] = from.confidence[f];
  };
  take(date, ['date']);
  take(money, MONEY);
  return {
    ...first,
    date: date.date,
    totalMinor: money.totalMinor,
    subtotalMinor: money.subtotalMinor,
    taxMinor: money.taxMinor,
    tipMinor: money.tipMinor,
    items: money.items,
    confidence,
    warnings: warningsFrom({ merchant: first, date, money }),
  };
}

/**
 * The fields a reading of re-read lines has a say in: the rest of its page is the first reading's, so
 * letting it vote on them would count the first reading twice.
 */
function onlyFields(fields: ExtractedFields, reread: Set<RereadField>): ExtractedFields {
  const { date, total, subtotal, tax, tip } = fields.confidence;
  const money = reread.has('total');
  return {
    ...fields,
    merchant: null,
    currency: null,
    paymentMethod: null,
    date: reread.has('date') ? fields.date : null,
    totalMinor: money ? fields.totalMinor : null,
    subtotalMinor: money ? fields.subtotalMinor : null,
    taxMinor: money ? fields.taxMinor : null,
    tipMinor: money ? fields.tipMinor : null,
    items: money ? fields.items : [],
    confidence: { ...(reread.has('date') ? { date } : {}), ...(money ? { total, subtotal, tax, tip } : {}) },
  };
}
