// Which printed lines of a poorly read receipt are worth reading again on their own: the lines that
// carry the field the first reading missed or is unsure of. A careful reader who cannot make out the
// date looks again at the lines that look like one (digits with separators, a month name, a time of
// day, a DATE label); one unsure of the total looks again at the total lines and at the subtotal and
// tax it must add up from.
import type { ExtractedFields } from '../../shared/model';
import type { OcrResult } from '../ocr/engine';
import { SECOND_PASS_BELOW } from './confidence';
import { classifyLabel, type LabelKind } from './labels';

export type RereadField = 'date' | 'total';

export interface LineToReread {
  /** Index into OcrResult.lines. */
  line: number;
  field: RereadField;
}

/** At most this many lines per field: re-reading is meant to cost a small share of a page. */
export const MAX_LINES_PER_FIELD = 2;

// A date's pieces as OCR may leave them: "12/03/2O18", "12-03-", "12.03.18", "MAR 2018", "10:22". A
// single dot is an amount's ("4.50"), not a date's.
const DATE_LIKE =
  /[0-9OIl|]{1,4}\s?[/-]\s?[0-9OIl|]{1,2}|\d{1,2}\.\d{1,2}\.\d{2}|\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\b|\d{1,2}:\d{2}/i;
const DATE_LABEL = /\b(DATE|DATED|TARIKH|FECHA|DATUM|DT|TIME)\b/i;

const TOTAL_KINDS = new Set<LabelKind>(['grandTotal', 'total']);
const PART_KINDS = new Set<LabelKind>(['subtotal', 'tax']);

/** Whether the date wants another look: none found, or one found unsurely. */
const dateUnsure = (f: ExtractedFields): boolean => f.date === null || (f.confidence.date ?? 0) < SECOND_PASS_BELOW;
/** Whether the total wants another look: none found, or one found unsurely (e.g. the sum does not check). */
const totalUnsure = (f: ExtractedFields): boolean => f.totalMinor === null || (f.confidence.total ?? 0) < SECOND_PASS_BELOW;

/** The lines to read again for those of `only` that `fields` is missing or unsure of, in page order per field. */
export function linesToReread(ocr: OcrResult, fields: ExtractedFields, only: readonly RereadField[] = ['date', 'total']): LineToReread[] {
  const out: LineToReread[] = [];
  const pick = (field: RereadField, ranked: { line: number; rank: number }[]): void => {
    ranked
      .sort((a, b) => a.rank - b.rank || a.line - b.line)
      .slice(0, MAX_LINES_PER_FIELD)
      .sort((a, b) => a.line - b.line)
      .forEach(({ line }) => out.push({ line, field }));
  };
  if (only.includes('date') && dateUnsure(fields)) {
    pick(
      'date',
      ocr.lines.flatMap((l, line) => {
        const looks = DATE_LIKE.test(l.text);
        const labelled = DATE_LABEL.test(l.text);
        // A labelled line with a date-like token first, then either alone.
        return looks || labelled ? [{ line, rank: looks && labelled ? 0 : labelled ? 1 : 2 }] : [];
      }),
    );
  }
  if (only.includes('total') && totalUnsure(fields)) {
    pick(
      'total',
      ocr.lines.flatMap((l, line) => {
        // A total label read apart from its amount is enough: the line is re-read across the page's
        // width. A subtotal or tax line only counts with a figure on it ("TAX INVOICE" is a heading).
        const kind = classifyLabel(l.text);
        if (TOTAL_KINDS.has(kind)) return [{ line, rank: kind === 'grandTotal' ? 0 : 1 }];
        return PART_KINDS.has(kind) && /\d[.,]\s?\d/.test(l.text) ? [{ line, rank: 2 }] : [];
      }),
    );
  }
  return out;
}
