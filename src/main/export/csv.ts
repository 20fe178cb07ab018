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

/** Bytes per chunk written to the stream: few stream hops, each chunk small. */
const CHUNK_BYTES = 64 * 1024;
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
  // Records joined by hand: csv-stringify took ~6× as long for the same bytes, most of a 100k-row export.
  function* records(): Generator<string> {
    yield `\uFEFF${csvRecord([...CSV_COLUMNS, ...Object.keys(extra)])}`;
    for (const receipt of rows) {
      count += 1;
      yield csvRecord(record(receipt));
    }
  }
  const csv = Readable.from(encoded(records()));
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

/**
 * The lines as UTF-8, each encoded on its own into chunks of about CHUNK_BYTES. Joining the lines into one
 * string per chunk instead cost ~0.25 s of a 100k-row export: a single character beyond Latin-1 (ラーメン)
 * makes the whole joined string two-byte, which V8 builds and encodes several times slower.
 */
function* encoded(lines: Iterable<string>): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const line of lines) {
    // At most 3 bytes of UTF-8 per UTF-16 unit, so the line always fits whole.
    if (used + line.length * 3 > chunk.length) {
      if (used > 0) yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
      used = 0;
    }
    used += chunk.write(line, used);
  }
  if (used > 0) yield chunk.subarray(0, used);
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
  return [
    String(r.id),
    text(r.fileName),
    text(r.sourcePath),
    text(r.sha256),
    text(r.merchant),
    text(r.date),
    money(r.totalMinor, r.currency),
    money(r.subtotalMinor, r.currency),
    money(r.taxMinor, r.currency),
    money(r.tipMinor, r.currency),
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

/** An amount cell; a function of its own rather than a closure per row, which showed in a 100k-row export. */
function money(minor: number | null, currency: string | null): string {
  return minor === null ? '' : formatMinor(minor, currency);
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
