// How stored rows become the app's objects. Statements name every column they select (AS the field it
// fills), and each kind of row has one interface and one mapper, so SQL and mapping cannot drift apart.
import type { FieldName, Job, LineItem, Receipt } from '../../shared/model';

/** A receipt's columns (with its file's), named as Receipt's fields; with POSSIBLE_DUPLICATES_COLUMN, a ReceiptRow. */
export const RECEIPT_COLUMNS = `r.id AS id, f.sha256 AS sha256, f.file_name AS fileName, f.source_path AS sourcePath,
  f.mime AS mime, r.merchant AS merchant, r.date AS date, r.total_minor AS totalMinor, r.subtotal_minor AS subtotalMinor,
  r.tax_minor AS taxMinor, r.tip_minor AS tipMinor, r.currency AS currency, r.payment_method AS paymentMethod,
  r.category AS category, r.items AS items, r.confidence AS confidence, r.needs_review AS needsReview,
  r.warnings AS warnings, r.corrected AS corrected, r.scanned_at AS scannedAt, r.updated_at AS updatedAt`;

/** The receipt's open duplicate pairs: two index probes per row, fine for a page or one receipt. */
export const POSSIBLE_DUPLICATES_COLUMN = `(SELECT json_group_array(other ORDER BY other) FROM (
     SELECT duplicate_of AS other FROM duplicate_pairs WHERE receipt_id = r.id AND state = 'open'
     UNION ALL SELECT receipt_id FROM duplicate_pairs WHERE duplicate_of = r.id AND state = 'open')) AS possibleDuplicates`;

/** The Receipt fields stored as JSON text, and needsReview as 0 or 1. */
type EncodedFields = 'items' | 'needsReview' | 'warnings' | 'corrected' | 'possibleDuplicates';

/** A row read through RECEIPT_COLUMNS: the JSON lists still as text, needsReview as 0 or 1. */
export interface ReceiptRow extends Omit<Receipt, EncodedFields> {
  items: string;
  needsReview: number;
  warnings: string;
  corrected: string;
  /** POSSIBLE_DUPLICATES_COLUMN: a JSON list of ids. */
  possibleDuplicates: string;
}

export function toReceipt(row: ReceiptRow): Receipt {
  return Object.assign(toExportedReceipt(row, parseList(row.possibleDuplicates) as number[]), {
    items: parseList(row.items) as LineItem[],
    warnings: parseList(row.warnings) as string[],
    updatedAt: row.updatedAt,
  });
}

/** What an export reads of each receipt: what the CSV shows (and the file's type, for the bundle), no line items, warnings or OCR details. */
export type ExportedReceipt = Pick<
  Receipt,
  | 'id'
  | 'fileName'
  | 'sourcePath'
  | 'sha256'
  | 'mime'
  | 'merchant'
  | 'date'
  | 'totalMinor'
  | 'subtotalMinor'
  | 'taxMinor'
  | 'tipMinor'
  | 'currency'
  | 'category'
  | 'paymentMethod'
  | 'confidence'
  | 'needsReview'
  | 'corrected'
  | 'scannedAt'
  | 'possibleDuplicates'
>;

/** An ExportedReceipt's columns; fewer than RECEIPT_COLUMNS, as reading each column of 100k rows costs. */
export const EXPORT_COLUMNS = `r.id AS id, f.file_name AS fileName, f.source_path AS sourcePath, f.sha256 AS sha256, f.mime AS mime,
  r.merchant AS merchant, r.date AS date, r.total_minor AS totalMinor, r.subtotal_minor AS subtotalMinor,
  r.tax_minor AS taxMinor, r.tip_minor AS tipMinor, r.currency AS currency, r.category AS category,
  r.payment_method AS paymentMethod, r.confidence AS confidence, r.needs_review AS needsReview,
  r.corrected AS corrected, r.scanned_at AS scannedAt`;

export interface ExportRow extends Omit<ExportedReceipt, 'needsReview' | 'corrected' | 'possibleDuplicates'> {
  needsReview: number;
  corrected: string;
}

export function toExportedReceipt(row: ExportRow, possibleDuplicates: number[]): ExportedReceipt {
  return {
    id: row.id,
    fileName: row.fileName,
    sourcePath: row.sourcePath,
    sha256: row.sha256,
    mime: row.mime,
    merchant: row.merchant,
    date: row.date,
    totalMinor: row.totalMinor,
    subtotalMinor: row.subtotalMinor,
    taxMinor: row.taxMinor,
    tipMinor: row.tipMinor,
    currency: row.currency,
    category: row.category,
    paymentMethod: row.paymentMethod,
    confidence: row.confidence,
    needsReview: row.needsReview === 1,
    corrected: parseList(row.corrected) as FieldName[],
    scannedAt: row.scannedAt,
    possibleDuplicates,
  };
}

/** JSON list columns are mostly empty; skipping JSON.parse for those keeps a 100k-row export quick. */
export function parseList(json: string): unknown[] {
  return json === '[]' ? [] : (JSON.parse(json) as unknown[]);
}

/** A jobs row, with the extra column JOB_COLUMNS adds. */
export interface JobRow {
  id: number;
  batch_id: string;
  source: string;
  file_name: string;
  state: Job['state'];
  percent: number;
  error: string | null;
  receipt_id: number | null;
  duplicate_of: number | null;
  possible_duplicate_of: number | null;
  created_at: string;
  updated_at: string;
}

/**
 * A job's row, with the earliest receipt its saved receipt was flagged as a possible duplicate of (an
 * open pair). Only that side: the queue shows it on the file that came later, as it did when it was saved.
 */
export const JOB_COLUMNS = `jobs.*, (
  SELECT min(p.duplicate_of) FROM duplicate_pairs p
  WHERE p.receipt_id = jobs.receipt_id AND p.state = 'open' AND jobs.state = 'saved'
) AS possible_duplicate_of`;

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    batchId: row.batch_id,
    source: row.source,
    fileName: row.file_name,
    state: row.state,
    percent: row.percent,
    ...(row.error !== null && { error: row.error }),
    ...(row.receipt_id !== null && { receiptId: row.receipt_id }),
    ...(row.duplicate_of !== null && { duplicateOf: row.duplicate_of }),
    ...(row.possible_duplicate_of !== null && { possibleDuplicateOf: row.possible_duplicate_of }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
