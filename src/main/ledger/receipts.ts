// Receipts: saving a scanned one, reading, correcting, deleting and restoring. Every write that must not
// be half-done is one transaction; the soft-duplicate pairs and review state change with it.
import {
  FIELD_NAMES,
  type ExtractedFields,
  type FieldName,
  type PossibleDuplicate,
  type Receipt,
  type ReceiptDetail,
  type ReceiptPatch,
  type RuleChange,
} from '../../shared/model';
import type { Turn } from '../ocr/engine';
import { now, type Connection } from './connection';
import { DuplicateReceiptError, LedgerInputError, ReceiptNotFoundError } from './errors';
import { markJobSaved } from './jobs';
import { putProvenance, readProvenance } from './provenance';
import { assessReview } from './review';
import { markCategoryByPerson, markCategoryByRule, planRuleChanges, recordMerchantRead } from './rules';
import { parseList, POSSIBLE_DUPLICATES_COLUMN, RECEIPT_COLUMNS, toReceipt, type ReceiptRow } from './rows';
import { matchKey } from './soft-duplicates';
import { checkNewReceipt, checkValue, VALUE_KEYS, VALUE_SPEC, valuesOf, type Values } from './validation';

export interface NewReceipt {
  file: { sha256: string; size: number; mime: string; fileName: string; sourcePath: string };
  fields: ExtractedFields;
  ocrText: string;
  ocrConfidence: number;
  engine: string;
  /** How the receipt was read (OcrResult.notes), shown in its detail view. */
  ocrNotes?: string[];
  /** How OCR turned each page it read (OcrResult.pages), in order; the thumbnail is shown so. */
  pageTurns?: Turn[];
  /** When given, this job is marked 'saved' with the receipt's id in the same transaction. */
  jobId?: number;
}

/** A receipt as stored, with what a Receipt leaves out. */
export interface Stored {
  receipt: Receipt;
  fileId: number;
  fieldConfidence: Partial<Record<FieldName, number>>;
  deleted: boolean;
}

interface StoredRow extends ReceiptRow {
  fileId: number;
  fieldConfidence: string;
  deletedAt: string | null;
}

interface DetailRow extends ReceiptRow {
  ocrText: string;
  ocrNotes: string;
}

const FROM_RECEIPTS = 'FROM receipts r JOIN files f ON f.id = r.file_id';

// The file of a merged-away receipt answers with the receipt it was merged into.
export const FILE_BY_SHA = `SELECT f.id AS fileId, s.id AS receiptId, s.deleted_at AS deletedAt
  FROM files f JOIN receipts r ON r.file_id = f.id JOIN receipts s ON s.id = coalesce(r.merged_into, r.id)
  WHERE f.sha256 = ?`;
export const STORED = `SELECT ${RECEIPT_COLUMNS}, ${POSSIBLE_DUPLICATES_COLUMN},
    r.file_id AS fileId, r.field_confidence AS fieldConfidence, r.deleted_at AS deletedAt
  ${FROM_RECEIPTS} WHERE r.id = ?`;
export const DETAIL = `SELECT ${RECEIPT_COLUMNS}, ${POSSIBLE_DUPLICATES_COLUMN}, t.ocr_text AS ocrText, t.ocr_notes AS ocrNotes
  ${FROM_RECEIPTS} JOIN receipt_text t ON t.receipt_id = r.id WHERE r.id = ? AND r.deleted_at IS NULL`;
export const MERGED_FILES = `SELECT f.file_name AS fileName, f.source_path AS sourcePath, f.sha256 AS sha256
  FROM receipts m JOIN files f ON f.id = m.file_id WHERE m.merged_into = ? ORDER BY m.id`;
const INSERT_FILE = `INSERT INTO files (sha256, size, mime, file_name, source_path, added_at)
  VALUES (@sha256, @size, @mime, @fileName, @sourcePath, @now)`;
const UPDATE_FILE = 'UPDATE files SET size = @size, mime = @mime, file_name = @fileName, source_path = @sourcePath WHERE id = @fileId';
const INSERT_RECEIPT = `INSERT INTO receipts (file_id, merchant, date, total_minor, subtotal_minor, tax_minor, tip_minor, currency,
    payment_method, category, items, field_confidence, confidence, needs_review, warnings, corrected,
    ocr_confidence, engine, scanned_at, updated_at, match_key)
  VALUES (@fileId, @merchant, @date, @totalMinor, @subtotalMinor, @taxMinor, @tipMinor, @currency,
    @paymentMethod, @category, @items, @fieldConfidence, @confidence, @needsReview, @warnings, @corrected,
    @ocrConfidence, @engine, @now, @now, @matchKey)`;
const REVIVE_RECEIPT = `UPDATE receipts SET merchant = @merchant, date = @date, total_minor = @totalMinor,
    subtotal_minor = @subtotalMinor, tax_minor = @taxMinor, tip_minor = @tipMinor, currency = @currency,
    payment_method = @paymentMethod, category = @category, items = @items, field_confidence = @fieldConfidence,
    confidence = @confidence, needs_review = @needsReview, warnings = @warnings, corrected = @corrected,
    ocr_confidence = @ocrConfidence, engine = @engine, scanned_at = @now, updated_at = @now, deleted_at = NULL,
    match_key = @matchKey
  WHERE id = @id`;
const WRITE_VALUES = `UPDATE receipts SET merchant = @merchant, date = @date, total_minor = @totalMinor,
    subtotal_minor = @subtotalMinor, tax_minor = @taxMinor, tip_minor = @tipMinor, currency = @currency,
    payment_method = @paymentMethod, category = @category, confidence = @confidence,
    needs_review = @needsReview, corrected = @corrected, updated_at = @now, match_key = @matchKey
  WHERE id = @id`;
const SET_REVIEW = 'UPDATE receipts SET confidence = @confidence, needs_review = @needsReview WHERE id = @id';
const PUT_TEXT = `INSERT INTO receipt_text (receipt_id, ocr_text, ocr_notes, page_turns) VALUES (?, ?, ?, ?)
  ON CONFLICT (receipt_id) DO UPDATE SET ocr_text = excluded.ocr_text, ocr_notes = excluded.ocr_notes,
    page_turns = excluded.page_turns`;
const PAGE_TURNS = `SELECT t.page_turns FROM receipt_text t JOIN receipts r ON r.id = t.receipt_id
  WHERE r.id = ? AND r.deleted_at IS NULL`;
const UNINDEX = 'DELETE FROM receipts_fts WHERE rowid = ?';
const INDEX = `INSERT INTO receipts_fts (rowid, merchant, file_name, category, ocr_text)
  SELECT r.id, r.merchant, f.file_name, r.category, t.ocr_text
  ${FROM_RECEIPTS} JOIN receipt_text t ON t.receipt_id = r.id WHERE r.id = ?`;
const SOFT_DELETE = `UPDATE receipts SET deleted_at = @now, updated_at = @now
  WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(@ids))`;
const RESTORE = `UPDATE receipts SET deleted_at = NULL, updated_at = @now
  WHERE deleted_at IS NOT NULL AND merged_into IS NULL AND id IN (SELECT value FROM json_each(@ids))
  RETURNING id`;
const SOURCE_OF = `SELECT f.source_path AS path, f.mime AS mime ${FROM_RECEIPTS} WHERE r.id = ? AND r.deleted_at IS NULL`;
export const MERGED_SOURCE_OF = `SELECT f.source_path AS path, f.mime AS mime FROM receipts s JOIN receipts m ON m.merged_into = s.id
  JOIN files f ON f.id = m.file_id WHERE s.id = ? AND s.deleted_at IS NULL AND f.sha256 = ?`;

export function findReceiptBySha(c: Connection, sha256: string): { id: number } | null {
  const found = c.prepare(FILE_BY_SHA).get(sha256) as { receiptId: number; deletedAt: string | null } | undefined;
  return found && found.deletedAt === null ? { id: found.receiptId } : null;
}

/**
 * Saves a scanned receipt. Throws DuplicateReceiptError when its file is already a live receipt; a
 * soft-deleted one is revived with the new extraction, keeping the fields a person corrected.
 */
export function saveReceipt(c: Connection, input: NewReceipt): Receipt {
  return c.write(() => {
    const { file, fields } = input;
    checkNewReceipt(input);
    const at = now();
    const existing = c.prepare(FILE_BY_SHA).get(file.sha256) as { fileId: number; receiptId: number; deletedAt: string | null } | undefined;
    if (existing && existing.deletedAt === null) throw new DuplicateReceiptError(existing.receiptId);

    const extracted: Values = {
      merchant: fields.merchant,
      date: fields.date,
      totalMinor: fields.totalMinor,
      subtotalMinor: fields.subtotalMinor,
      taxMinor: fields.taxMinor,
      tipMinor: fields.tipMinor,
      currency: fields.currency,
      paymentMethod: fields.paymentMethod,
      category: null,
    };
    const common = {
      items: JSON.stringify(fields.items),
      fieldConfidence: JSON.stringify(fields.confidence),
      warnings: JSON.stringify(fields.warnings),
      ocrConfidence: input.ocrConfidence,
      engine: input.engine,
      now: at,
    };

    let id: number;
    if (existing) {
      // Revive: the new extraction replaces everything except what the person corrected (and the category).
      id = existing.receiptId;
      const { receipt } = storedReceipt(c, id)!;
      const { corrected } = receipt;
      const previous = valuesOf(receipt);
      const values = { ...extracted, category: previous.category };
      for (const key of VALUE_KEYS) {
        const field = VALUE_SPEC[key].field;
        if (field && corrected.includes(field)) Object.assign(values, { [key]: previous[key] });
      }
      const review = assessReview({
        values,
        confidence: fields.confidence,
        warnings: fields.warnings,
        corrected,
        possibleDuplicate: false,
      });
      c.prepare(UPDATE_FILE).run({ ...file, fileId: existing.fileId });
      c.prepare(REVIVE_RECEIPT).run({
        ...values,
        ...common,
        ...reviewParams(review),
        matchKey: matchKey(values),
        corrected: JSON.stringify(corrected),
        id,
      });
    } else {
      const fileId = Number(c.prepare(INSERT_FILE).run({ ...file, now: at }).lastInsertRowid);
      const review = assessReview({
        values: extracted,
        confidence: fields.confidence,
        warnings: fields.warnings,
        corrected: [],
        possibleDuplicate: false,
      });
      id = Number(
        c.prepare(INSERT_RECEIPT).run({
          ...extracted,
          ...common,
          ...reviewParams(review),
          matchKey: matchKey(extracted),
          corrected: '[]',
          fileId,
        }).lastInsertRowid,
      );
    }
    c.prepare(PUT_TEXT).run(id, input.ocrText, JSON.stringify(input.ocrNotes ?? []), JSON.stringify(input.pageTurns ?? []));
    putProvenance(c, id, fields.provenance);
    recordMerchantRead(c.db, id, fields.merchant);
    writeRuleChanges(c, planRuleChanges(c.db, { receiptIds: [id] }));
    reindex(c, id);
    refreshReview(c, c.dups.recheck(id));
    if (input.jobId !== undefined) markJobSaved(c, input.jobId, id, at);
    return storedReceipt(c, id)!.receipt;
  });
}

export function getReceipt(c: Connection, id: number): ReceiptDetail | null {
  // One read transaction: the receipt and its duplicates as of the same moment.
  return c.db.transaction(() => {
    const row = c.prepare(DETAIL).get(id) as DetailRow | undefined;
    if (!row) return null;
    const duplicates = c.dups.openPairs(id).flatMap(({ otherId, flagged }): PossibleDuplicate[] => {
      const other = storedReceipt(c, otherId);
      return other ? [{ receipt: other.receipt, thisFlagged: flagged }] : [];
    });
    const mergedFiles = c.prepare(MERGED_FILES).all(id) as ReceiptDetail['mergedFiles'];
    const provenance = readProvenance(c, id);
    return { ...toReceipt(row), ocrText: row.ocrText, ocrNotes: parseList(row.ocrNotes) as string[], duplicates, mergedFiles, provenance };
  })();
}

/** Records a person's correction. Every patched field except category joins `corrected`. */
export function updateReceipt(c: Connection, id: number, patch: ReceiptPatch): Receipt {
  return c.write(() => {
    const stored = storedReceipt(c, id);
    if (!stored || stored.deleted) throw new ReceiptNotFoundError(id);
    const values = valuesOf(stored.receipt);
    const corrected = new Set(stored.receipt.corrected);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (!Object.hasOwn(VALUE_SPEC, key)) throw new LedgerInputError(`"${key}" is not a field that can be changed`);
      const name = key as keyof Values;
      checkValue(name, value);
      Object.assign(values, { [name]: value });
      const field = VALUE_SPEC[name].field;
      if (field) corrected.add(field);
    }
    writeValues(
      c,
      id,
      values,
      FIELD_NAMES.filter((f) => corrected.has(f)),
      stored,
    );
    if (patch.category !== undefined) markCategoryByPerson(c.db, id);
    // A correction can make a match or break one.
    refreshReview(c, c.dups.recheck(id));
    reindex(c, id);
    return storedReceipt(c, id)!.receipt;
  });
}

/** Deleted receipts leave their open duplicate pairs (a pair someone kept both of stays remembered). */
export function softDelete(c: Connection, ids: number[]): number {
  return c.write(() => {
    const deleted = c.prepare(SOFT_DELETE).run({ ids: JSON.stringify(ids), now: now() }).changes;
    refreshReview(c, c.dups.dissolve(ids));
    return deleted;
  });
}

/** A restored receipt is checked again, and flagged if it matches a live one. Merged receipts stay merged. */
export function restore(c: Connection, ids: number[]): number {
  return c.write(() => {
    const restored = c.pluck(RESTORE).all({ ids: JSON.stringify(ids), now: now() }) as number[];
    refreshReview(
      c,
      restored.flatMap((id) => c.dups.recheck(id)),
    );
    return restored.length;
  });
}

/** Where a live receipt's file is; with `sha256`, one of the files merged into it. */
export function sourceOf(c: Connection, id: number, sha256?: string): { path: string; mime: string } | null {
  const row = sha256 === undefined ? c.prepare(SOURCE_OF).get(id) : c.prepare(MERGED_SOURCE_OF).get(id, sha256);
  return (row as { path: string; mime: string } | undefined) ?? null;
}

/** How OCR turned each page of a live receipt, in order; pages past the end were read as they are. */
export function pageTurns(c: Connection, id: number): Turn[] {
  const turns = c.pluck(PAGE_TURNS).get(id) as string | undefined;
  return turns === undefined ? [] : (JSON.parse(turns) as Turn[]);
}

export function storedReceipt(c: Connection, id: number): Stored | undefined {
  const row = c.prepare(STORED).get(id) as StoredRow | undefined;
  if (!row) return undefined;
  return {
    receipt: toReceipt(row),
    fileId: row.fileId,
    fieldConfidence: JSON.parse(row.fieldConfidence),
    deleted: row.deletedAt !== null,
  };
}

/** Writes what rules decided; the caller re-checks duplicates and re-indexes. */
export function writeRuleChanges(c: Connection, changes: RuleChange[]): void {
  for (const { receiptId, merchant, category } of changes) {
    const stored = storedReceipt(c, receiptId)!;
    const values = { ...valuesOf(stored.receipt), ...(merchant && { merchant: merchant.to }), ...(category && { category: category.to }) };
    writeValues(c, receiptId, values, stored.receipt.corrected, stored);
    if (category) markCategoryByRule(c.db, receiptId);
  }
}

/** Writes a person's values (with their match key and review state) over a stored receipt. */
export function writeValues(c: Connection, id: number, values: Values, corrected: FieldName[], stored: Stored): void {
  const review = assessReview({
    values,
    confidence: stored.fieldConfidence,
    warnings: stored.receipt.warnings,
    corrected,
    possibleDuplicate: c.dups.isFlagged(id),
  });
  c.prepare(WRITE_VALUES).run({
    ...values,
    ...reviewParams(review),
    matchKey: matchKey(values),
    corrected: JSON.stringify(corrected),
    now: now(),
    id,
  });
}

/** Recomputes the review state of receipts whose duplicate pairs changed. */
export function refreshReview(c: Connection, ids: Iterable<number>): void {
  for (const id of new Set(ids)) {
    const stored = storedReceipt(c, id);
    if (!stored) continue;
    const { receipt } = stored;
    const review = assessReview({
      values: valuesOf(receipt),
      confidence: stored.fieldConfidence,
      warnings: receipt.warnings,
      corrected: receipt.corrected,
      possibleDuplicate: c.dups.isFlagged(id),
    });
    c.prepare(SET_REVIEW).run({ ...reviewParams(review), id });
  }
}

/** Takes a receipt out of the text search (merged away). */
export function unindex(c: Connection, id: number): void {
  c.prepare(UNINDEX).run(id);
}

/** Puts a receipt's current text into the text search. */
export function reindex(c: Connection, id: number): void {
  unindex(c, id);
  c.prepare(INDEX).run(id);
}

function reviewParams(review: { confidence: number; needsReview: boolean }) {
  return { confidence: review.confidence, needsReview: review.needsReview ? 1 : 0 };
}
