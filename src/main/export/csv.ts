// Writes receipts as CSV for spreadsheets: RFC 4180 quoting, CRLF, UTF-8 with BOM (so Excel reads the
// encoding), one header row. Text cells that a spreadsheet would run as a formula are neutralised.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatMinor } from '../../shared/money';
import type { ExportedReceipt } from '../ledger/rows';

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

/** Records per chunk written to the stream: few stream hops, a small string each. */
const BATCH_ROWS = 500;
/** A field holding any of these is quoted (RFC 4180; lone CR and LF too, which some readers split on). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Streams `rows` as CSV to `out`: a file path (written to a temp file beside it, then renamed, so a
 * failure never leaves a half-written CSV) or a writable stream (ended when done, like stream.pipeline).
 */
export async function exportCsv<R extends ExportedReceipt>(
  rows: Iterable<R>,
  out: string | NodeJS.WritableStream,
  /** Columns appended after CSV_COLUMNS (e.g. the bundle's `bundle_file`), as text cells. */
  extra: Record<string, (r: R) => string> = {},
): Promise<{ rows: number }> {
  let count = 0;
  const extraCells = Object.values(extra);
  const record = (r: R) => (extraCells.length === 0 ? toRecord(r) : [...toRecord(r), ...extraCells.map((cell) => text(cell(r)))]);
  // Batches of records joined by hand: csv-stringify took ~6× as long for the same bytes, most of a 100k-row export.
  function* chunks(): Generator<string> {
    yield `\uFEFF${csvRecord([...CSV_COLUMNS, ...Object.keys(extra)])}`;
    let batch = '';
    for (const receipt of rows) {
      count += 1;
      batch += csvRecord(record(receipt));
      if (count % BATCH_ROWS === 0) {
        yield batch;
        batch = '';
      }
    }
    if (batch !== '') yield batch;
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

/** One CRLF-terminated record. */
function csvRecord(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    line += (i === 0 ? '' : ',') + (NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  }
  return `${line}\r\n`;
}

function toRecord(r: ExportedReceipt): string[] {
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
  // Fast path for most cells (~10% of a 100k-row export went on the regexes below): a first character that
  // is printable ASCII, not a space and not = + - @ is neither skipped by a spreadsheet nor a formula start.
  const first = value.charCodeAt(0);
  if (first > 0x20 && first < 0x7f && first !== 0x3d && first !== 0x2b && first !== 0x2d && first !== 0x40) return value;
  const visible = value.replace(LEADING_INVISIBLE, '');
  // A leading tab or CR is quoted even before plain text (OWASP's list of dangerous first characters).
  return FORMULA_START.test(visible) || /^[\t\r]/.test(value) ? `'${value}` : value;
}
