// Writes receipts as CSV for spreadsheets: RFC 4180 quoting, CRLF, UTF-8 with BOM (so Excel reads the
// encoding), one header row. Text cells that a spreadsheet would run as a formula are neutralised.
import { stringify, type Options } from 'csv-stringify/sync';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Receipt } from '../../shared/model';
import { formatMinor } from '../../shared/money';

export const CSV_COLUMNS = [
  'id',
  'file_name',
  'source_path',
  'sha256',
  'merchant',
  'date',
  'total',
  'subtotal',
  'tax',
  'tip',
  'currency',
  'category',
  'payment_method',
  'confidence',
  'needs_review',
  'corrected',
  'status',
  'scanned_at',
  // Ids of unresolved possible duplicates (same merchant, date, total): both rows are in the export, and
  // whoever sums it should know they may be one expense.
  'possible_duplicate_of',
] as const;

const CSV_OPTIONS: Options = {
  columns: [...CSV_COLUMNS],
  record_delimiter: 'windows',
  // Setting record_delimiter turns off quoting of lone \n and \r unless asked for.
  quote_record_delimiter: true,
};
const BATCH_ROWS = 500;

/**
 * Streams `rows` as CSV to `out`: a file path (written to a temp file beside it, then renamed, so a
 * failure never leaves a half-written CSV) or a writable stream (ended when done, like stream.pipeline).
 */
export async function exportCsv(
  rows: Iterable<Receipt>,
  out: string | NodeJS.WritableStream,
  /** Columns appended after CSV_COLUMNS (e.g. the bundle's `bundle_file`), as text cells. */
  extra: Record<string, (r: Receipt) => string> = {},
): Promise<{ rows: number }> {
  let count = 0;
  const options: Options = { ...CSV_OPTIONS, columns: [...CSV_COLUMNS, ...Object.keys(extra)] };
  const extraCells = (r: Receipt) => Object.values(extra).map((cell) => text(cell(r)));
  // csv-stringify's sync API on batches of rows: still streaming, without a stream hop per record.
  function* chunks(): Generator<string> {
    yield stringify([], { ...options, header: true, bom: true });
    let batch: string[][] = [];
    for (const receipt of rows) {
      count += 1;
      batch.push([...toRecord(receipt), ...extraCells(receipt)]);
      if (batch.length === BATCH_ROWS) {
        yield stringify(batch, options);
        batch = [];
      }
    }
    if (batch.length > 0) yield stringify(batch, options);
  }
  const csv = Readable.from(chunks());
  if (typeof out !== 'string') {
    await pipeline(csv, out);
    return { rows: count };
  }
  const temp = join(dirname(out), `.${basename(out)}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await pipeline(csv, createWriteStream(temp, { flags: 'wx', flush: true }));
    await rename(temp, out);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { rows: count };
}

function toRecord(r: Receipt): string[] {
  const money = (minor: number | null) => (minor === null ? '' : formatMinor(minor, r.currency));
  return [
    String(r.id),
    text(r.fileName),
    text(r.sourcePath),
    text(r.sha256),
    text(r.merchant),
    text(r.date),
    money(r.totalMinor),
    money(r.subtotalMinor),
    money(r.taxMinor),
    money(r.tipMinor),
    text(r.currency),
    text(r.category),
    text(r.paymentMethod),
    r.confidence.toFixed(2),
    r.needsReview ? 'yes' : 'no',
    text(r.corrected.join(';')),
    r.needsReview ? 'needs review' : 'ok',
    text(r.scannedAt),
    r.possibleDuplicates.join(';'),
  ];
}

/** Characters that make a spreadsheet run a cell as a formula (with their full-width forms). */
const FORMULA_START = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
/**
 * What a spreadsheet may skip before it looks for a formula: whitespace of any kind (NBSP, U+3000, line
 * breaks), control characters (tab, CR), invisible format characters (BOM, zero-width, bidi marks) and
 * the letters that draw nothing (Hangul fillers, braille blank).
 */
const LEADING_INVISIBLE = /^[\s\p{Cc}\p{Cf}\p{Z}\u115F\u1160\u2800\u3164\uFFA0]+/u;

/** A text cell that could run as a formula gets a leading quote. Numeric cells never come here. */
function text(value: string | null): string {
  if (value === null) return '';
  const visible = value.replace(LEADING_INVISIBLE, '');
  // A leading tab or CR is quoted even before plain text (OWASP's list of dangerous first characters).
  return FORMULA_START.test(visible) || /^[\t\r]/.test(value) ? `'${value}` : value;
}
