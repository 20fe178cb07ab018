// The local expense ledger: receipts, their files and OCR text, and the persisted job queue, in one
// SQLite database (better-sqlite3). Every write that must not be half-done is one transaction.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  FIELD_NAMES,
  TERMINAL_STATES,
  type DuplicateAction,
  type ExtractedFields,
  type FieldName,
  type Job,
  type LedgerFilter,
  type LedgerPage,
  type LedgerQuery,
  type LineItem,
  type Money,
  type Receipt,
  type ReceiptDetail,
  type RuleChange,
  type ReceiptPatch,
  type PossibleDuplicate,
  type SortKey,
  type SummaryRow,
} from '../../shared/model';
import type { Turn } from '../ocr/engine';
import { categoryNames } from './categories';
import { filterSql } from './filter';
import { migrate } from './migrate';
import { assessReview } from './review';
import { markCategoryByPerson, markCategoryByRule, planRuleChanges, recordMerchantRead } from './rules';
import { matchKey, SoftDuplicates } from './soft-duplicates';
import { watchStore, type WatchStore } from './watch-folders';

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

/** The file's content is already a live receipt of the ledger. */
export class DuplicateReceiptError extends Error {
  constructor(readonly existingId: number) {
    super(`this file is already in the ledger as receipt ${existingId}`);
    this.name = 'DuplicateReceiptError';
  }
}

export class ReceiptNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`receipt ${id} does not exist or was deleted`);
    this.name = 'ReceiptNotFoundError';
  }
}

/** A value the ledger refuses to store (e.g. a fractional amount or a malformed date). */
export class LedgerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerInputError';
  }
}

const DEFAULT_LIMIT = 200;
const BUSY_TIMEOUT_MS = 5000;

/** The only sort expressions a query can use. */
const SORT_SQL: Record<SortKey, string> = {
  date: 'r.date',
  merchant: 'r.merchant COLLATE NOCASE',
  total: 'r.total_minor',
  scannedAt: 'r.scanned_at',
  confidence: 'r.confidence',
  category: 'r.category COLLATE NOCASE',
};

type Values = { [K in keyof ReceiptPatch]-?: Exclude<ReceiptPatch[K], undefined> };
type ValueKind = 'text' | 'date' | 'money' | 'currency';

/** Editable values: their kind and the extracted field a correction marks (category is never extracted). */
const VALUE_SPEC: Record<keyof Values, { kind: ValueKind; field: FieldName | null }> = {
  merchant: { kind: 'text', field: 'merchant' },
  date: { kind: 'date', field: 'date' },
  totalMinor: { kind: 'money', field: 'total' },
  subtotalMinor: { kind: 'money', field: 'subtotal' },
  taxMinor: { kind: 'money', field: 'tax' },
  tipMinor: { kind: 'money', field: 'tip' },
  currency: { kind: 'currency', field: 'currency' },
  paymentMethod: { kind: 'text', field: 'paymentMethod' },
  category: { kind: 'text', field: null },
};
const VALUE_KEYS = Object.keys(VALUE_SPEC) as (keyof Values)[];

// Receipt statements run in raw (array) mode, ~35% quicker to read than objects for a 100k-row export.
// toReceipt reads these columns by position; statements may append more columns after them.
const ROW_COLUMNS = `r.id, f.sha256, f.file_name, f.source_path, f.mime, r.merchant, r.date, r.total_minor,
  r.subtotal_minor, r.tax_minor, r.tip_minor, r.currency, r.payment_method, r.category, r.items, r.confidence,
  r.needs_review, r.warnings, r.corrected, r.scanned_at, r.updated_at`;
// The receipt's open duplicate pairs: two index probes per row, fine for a page or one receipt.
const RECEIPT_COLUMNS = `${ROW_COLUMNS},
  (SELECT json_group_array(other ORDER BY other) FROM (
     SELECT duplicate_of AS other FROM duplicate_pairs WHERE receipt_id = r.id AND state = 'open'
     UNION ALL SELECT receipt_id FROM duplicate_pairs WHERE duplicate_of = r.id AND state = 'open'))`;
const RECEIPT_WIDTH = 22;
const OPEN_PAIRS = "SELECT receipt_id, duplicate_of FROM duplicate_pairs WHERE state = 'open'";

type ReceiptTuple = [
  id: number,
  sha256: string,
  fileName: string,
  sourcePath: string,
  mime: string,
  merchant: string | null,
  date: string | null,
  totalMinor: number | null,
  subtotalMinor: number | null,
  taxMinor: number | null,
  tipMinor: number | null,
  currency: string | null,
  paymentMethod: string | null,
  category: string | null,
  items: string,
  confidence: number,
  needsReview: number,
  warnings: string,
  corrected: string,
  scannedAt: string,
  updatedAt: string,
  possibleDuplicates: string,
];

/** A receipt as stored, with what toReceipt leaves out. */
interface Stored {
  receipt: Receipt;
  fileId: number;
  fieldConfidence: Partial<Record<FieldName, number>>;
  deleted: boolean;
}

interface JobRow {
  id: number;
  batch_id: string;
  source: string;
  file_name: string;
  state: Job['state'];
  percent: number;
  error: string | null;
  receipt_id: number | null;
  duplicate_of: number | null;
  /** Only in rows read through JOB_COLUMNS. */
  possible_duplicate_of?: number | null;
  created_at: string;
  updated_at: string;
}

/**
 * A job's row, with the earliest receipt its saved receipt was flagged as a possible duplicate of (an
 * open pair). Only that side: the queue shows it on the file that came later, as it did when it was saved.
 */
const JOB_COLUMNS = `jobs.*, (
  SELECT min(p.duplicate_of) FROM duplicate_pairs p
  WHERE p.receipt_id = jobs.receipt_id AND p.state = 'open' AND jobs.state = 'saved'
) AS possible_duplicate_of`;

const TERMINAL_LIST = TERMINAL_STATES.map((s) => `'${s}'`).join(', ');

export class Ledger {
  private readonly statements = new Map<string, Database.Statement>();
  /** Read-only connections of exports in progress, closed with the ledger. */
  private readonly readers = new Set<Database.Database>();
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly dups: SoftDuplicates;
  private readonly saveTx: Database.Transaction<(input: NewReceipt) => Receipt>;
  private readonly updateTx: Database.Transaction<(id: number, patch: ReceiptPatch) => Receipt>;
  private readonly resolveTx: Database.Transaction<(id: number, otherId: number, action: DuplicateAction) => Receipt>;

  /** Opens (creating if needed) the ledger at `path`, or an in-memory one for ':memory:'. */
  static open(path: string, options: { nativeBinding?: string } = {}): Ledger {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { nativeBinding: options.nativeBinding });
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('foreign_keys = ON');
      // First, so that a ledger from a newer app version is refused before anything about it changes.
      migrate(db);
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL survives an app crash; a power cut may drop the last commits but never half of one.
      db.pragma('synchronous = NORMAL');
      // The default 2 MB page cache cannot hold a common search term's index pages beside the rows it
      // finds, so each search read them from the OS again; 32 MB can (pages are only taken as used).
      db.pragma('cache_size = -32768');
      return new Ledger(db, path, options.nativeBinding);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly nativeBinding: string | undefined,
  ) {
    this.s = prepareStatements(db);
    this.dups = new SoftDuplicates(db);
    this.saveTx = db.transaction((input: NewReceipt) => this.saveInTransaction(input));
    this.updateTx = db.transaction((id: number, patch: ReceiptPatch) => this.updateInTransaction(id, patch));
    this.resolveTx = db.transaction((id: number, otherId: number, action: DuplicateAction) =>
      this.resolveInTransaction(id, otherId, action),
    );
  }

  /** Closes the ledger and any export still reading; closing twice is harmless. */
  close(): void {
    if (!this.db.open) return;
    for (const reader of this.readers) reader.close();
    // Lets SQLite refresh the planner's statistics where they are stale (cheap; recommended before closing).
    this.db.pragma('optimize');
    this.db.close();
  }

  // ---- receipts ----

  findReceiptBySha(sha256: string): { id: number } | null {
    const found = this.s.fileBySha.get(sha256) as { receiptId: number; deletedAt: string | null } | undefined;
    return found && found.deletedAt === null ? { id: found.receiptId } : null;
  }

  /**
   * Saves a scanned receipt. Throws DuplicateReceiptError when its file is already a live receipt; a
   * soft-deleted one is revived with the new extraction, keeping the fields a person corrected.
   */
  saveReceipt(input: NewReceipt): Receipt {
    // IMMEDIATE takes the write lock first, so another connection cannot slip the same file in between.
    return this.saveTx.immediate(input);
  }

  get(id: number): ReceiptDetail | null {
    // One read transaction: the receipt and its duplicates as of the same moment.
    return this.db.transaction(() => {
      const row = this.s.detail.get(id) as unknown[] | undefined;
      if (!row) return null;
      const duplicates = this.dups.openPairs(id).flatMap(({ otherId, flagged }): PossibleDuplicate[] => {
        const other = this.stored(otherId);
        return other ? [{ receipt: other.receipt, thisFlagged: flagged }] : [];
      });
      const mergedFiles = this.s.mergedFiles.all(id) as ReceiptDetail['mergedFiles'];
      const ocrNotes = parseList(row[RECEIPT_WIDTH + 1] as string) as string[];
      return { ...toReceipt(row), ocrText: row[RECEIPT_WIDTH] as string, ocrNotes, duplicates, mergedFiles };
    })();
  }

  query(q: LedgerQuery): LedgerPage {
    const sort = q.sort ?? 'date';
    if (!Object.hasOwn(SORT_SQL, sort)) throw new LedgerInputError(`cannot sort by "${String(sort)}"`);
    if (q.direction !== undefined && q.direction !== 'asc' && q.direction !== 'desc') {
      throw new LedgerInputError(`sort direction must be asc or desc`);
    }
    const limit = q.limit ?? DEFAULT_LIMIT;
    const offset = q.offset ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new LedgerInputError('limit must be a positive whole number');
    if (!Number.isSafeInteger(offset) || offset < 0) throw new LedgerInputError('offset must be a whole number ≥ 0');
    const dir = q.direction === 'asc' ? 'ASC' : 'DESC';
    // Totals first: their count of matches decides how the page meets them.
    const t = filterSql(q, 'drive');
    const totals = this.statement(
      `totals${t.key}`,
      () => `SELECT r.currency AS currency, count(*) AS n, sum(r.total_minor) AS minor
             FROM ${t.from} WHERE ${t.where}
             GROUP BY r.currency ORDER BY r.currency`,
    );
    const groups = totals.all(t.params) as { currency: string | null; n: number; minor: number | null }[];
    const total = groups.reduce((sum, g) => sum + g.n, 0);
    // Walking the sort order, the page meets its offset + limit rows after about
    // (offset + limit) × receipts / total steps; sorting every match costs about total.
    const receipts = (this.s.maxReceiptId.get() as number | null) ?? 0;
    const f = filterSql(q, total * total > (offset + limit) * receipts ? 'probe' : 'list');
    const order = `ORDER BY ${SORT_SQL[sort]} ${dir}, r.id ${dir}`;
    // Pick the page's ids first, so sorting carries ids rather than whole rows; then read those rows.
    const page = this.statement(
      `page${f.key}|${sort}|${dir}`,
      () => `SELECT ${RECEIPT_COLUMNS}
             FROM (SELECT r.id AS id FROM ${f.from}
                   WHERE ${f.where} ${order} LIMIT @limit OFFSET @offset) AS page
             JOIN receipts r ON r.id = page.id JOIN files f ON f.id = r.file_id
             ${order}`,
      true,
    );
    return {
      rows: (page.all({ ...f.params, limit, offset }) as unknown[][]).map((row) => toReceipt(row)),
      total,
      sums: groups.flatMap((g): Money[] => (g.currency !== null && g.minor !== null ? [{ currency: g.currency, minor: g.minor }] : [])),
    };
  }

  /** Records a person's correction. Every patched field except category joins `corrected`. */
  update(id: number, patch: ReceiptPatch): Receipt {
    return this.updateTx.immediate(id, patch);
  }

  /** Deleted receipts leave their open duplicate pairs (a pair someone kept both of stays remembered). */
  softDelete(ids: number[]): number {
    return this.db.transaction(() => {
      const deleted = this.s.softDelete.run({ ids: JSON.stringify(ids), now: now() }).changes;
      this.refreshReview(this.dups.dissolve(ids));
      return deleted;
    }).immediate();
  }

  /** A restored receipt is checked again, and flagged if it matches a live one. Merged receipts stay merged. */
  restore(ids: number[]): number {
    return this.db.transaction(() => {
      const restored = this.s.restore.pluck().all({ ids: JSON.stringify(ids), now: now() }) as number[];
      this.refreshReview(restored.flatMap((id) => this.dups.recheck(id)));
      return restored.length;
    }).immediate();
  }

  /**
   * Settles a possible duplicate pair, in one transaction. 'keep-both': both stay, the pair is never
   * flagged again. 'merge': `id` stays and `otherId` is folded into it (see mergeValues); the other's file,
   * OCR text and queue jobs now lead to `id`. Returns receipt `id` as it is afterwards.
   */
  resolveDuplicate(id: number, otherId: number, action: DuplicateAction): Receipt {
    return this.resolveTx.immediate(id, otherId, action);
  }

  /**
   * Spending per month × category × currency of live receipts matching `filter`. Receipts without a
   * date, total or currency cannot be placed and are left out; no category is reported as ''.
   */
  summary(filter: LedgerFilter): SummaryRow[] {
    const f = filterSql(filter);
    // "date > ''" (= has a date) lets the planner read the covering date index instead of the table;
    // rows without currency or total are dropped below rather than in SQL, for the same reason.
    const groups = this.statement(
      `summary${f.key}`,
      () => `SELECT substr(r.date, 1, 7) AS month, coalesce(r.category, '') AS category, r.currency AS currency,
               sum(r.total_minor) AS totalMinor, count(r.total_minor) AS count
             FROM ${f.from}
             WHERE ${f.where} AND r.date > '' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ).all(f.params) as (Omit<SummaryRow, 'currency'> & { currency: string | null })[];
    return groups.filter((g): g is SummaryRow => g.currency !== null && g.count > 0);
  }

  /** Category names, the defaults first (categories.ts keeps every name in use listed). */
  categories(): string[] {
    return categoryNames(this.db);
  }

  /** Reads through a per-concern module of plain functions (rules.ts, categories.ts). */
  read<T>(fn: (db: Database.Database) => T): T {
    return this.db.transaction(fn)(this.db);
  }

  /** Runs a per-concern change in one transaction, re-indexing for search the receipts it reports changed. */
  change<T>(fn: (db: Database.Database) => { result: T; changedIds: number[] }): T {
    return this.db.transaction(() => {
      const { result, changedIds } = fn(this.db);
      for (const id of changedIds) this.reindex(id);
      return result;
    }).immediate();
  }

  /**
   * Applies rules to live receipts (rules.ts plans what changes): all rules or one, to all receipts or
   * the ones listed (those a person saw in the preview). Rule-made values are never marked corrected.
   */
  applyRules(scope: { ruleId?: number; receiptIds?: readonly number[] }): RuleChange[] {
    return this.db.transaction(() => {
      const changes = planRuleChanges(this.db, scope);
      this.writeRuleChanges(changes);
      for (const { receiptId } of changes) {
        this.refreshReview(this.dups.recheck(receiptId));
        this.reindex(receiptId);
      }
      return changes;
    }).immediate();
  }

  /**
   * Live receipts matching `filter`, by date (undated first) then id, read one row at a time.
   * A file ledger streams from its own read-only connection: a consistent snapshot, and the main
   * connection stays free for the queue's writes while a slow CSV consumer holds the cursor open.
   */
  *exportRows(filter: LedgerFilter = {}): IterableIterator<Receipt> {
    const f = filterSql(filter);
    // NOT INDEXED: reading the table in order and sorting is faster for a whole export than following the
    // date index to each row (~0.65 s vs ~0.95 s for 100k receipts). The (few) open duplicate pairs are read
    // once up front rather than probed for every row (~15% of the export's query time).
    const sql = `SELECT ${ROW_COLUMNS}, NULL FROM receipts r NOT INDEXED JOIN files f ON f.id = r.file_id
                 WHERE ${f.where} ORDER BY r.date, r.id`;
    if (this.db.memory) {
      // An in-memory ledger has no second connection; writes must wait until the iteration ends.
      const pairs = pairsById(this.db.prepare(OPEN_PAIRS).raw().all() as [number, number][]);
      for (const row of this.statement(`export${f.key}`, () => sql, true).iterate(f.params)) {
        yield toReceipt(row as unknown[], pairs);
      }
      return;
    }
    const reader = new Database(this.path, { readonly: true, fileMustExist: true, nativeBinding: this.nativeBinding });
    this.readers.add(reader);
    try {
      reader.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      reader.exec('BEGIN'); // the pairs and the rows from one snapshot
      const pairs = pairsById(reader.prepare(OPEN_PAIRS).raw().all() as [number, number][]);
      for (const row of reader.prepare(sql).raw().iterate(f.params)) yield toReceipt(row as unknown[], pairs);
    } finally {
      this.readers.delete(reader);
      reader.close();
    }
  }

  /** Where a live receipt's file is; with `sha256`, one of the files merged into it. */
  sourceOf(id: number, sha256?: string): { path: string; mime: string } | null {
    const row = sha256 === undefined ? this.s.sourceOf.get(id) : this.s.mergedSourceOf.get(id, sha256);
    return (row as { path: string; mime: string } | undefined) ?? null;
  }

  /** How OCR turned each page of a live receipt, in order; pages past the end were read as they are. */
  pageTurns(id: number): Turn[] {
    const turns = this.s.pageTurns.get(id) as string | undefined;
    return turns === undefined ? [] : (JSON.parse(turns) as Turn[]);
  }

  // ---- jobs ----

  addJobs(batchId: string, sources: { source: string; fileName: string }[]): Job[] {
    return this.db.transaction(() => {
      const at = now();
      return sources.map(({ source, fileName }) => toJob(this.s.insertJob.get(batchId, source, fileName, at, at) as JobRow));
    })();
  }

  /** Changes the given fields of a job; `error`, `receiptId` or `duplicateOf` set to undefined/null clear it. */
  updateJob(id: number, patch: Partial<Pick<Job, 'state' | 'percent' | 'error' | 'receiptId' | 'duplicateOf'>>): void {
    const has = (key: keyof typeof patch) => (Object.hasOwn(patch, key) ? 1 : 0);
    const result = this.s.updateJob.run({
      id,
      now: now(),
      setState: patch.state === undefined ? 0 : 1,
      state: patch.state ?? null,
      setPercent: patch.percent === undefined ? 0 : 1,
      percent: patch.percent ?? null,
      setError: has('error'),
      error: patch.error ?? null,
      setReceiptId: has('receiptId'),
      receiptId: patch.receiptId ?? null,
      setDuplicateOf: has('duplicateOf'),
      duplicateOf: patch.duplicateOf ?? null,
    });
    if (result.changes === 0) throw new Error(`job ${id} does not exist`);
  }

  /** Jobs not cleared from the queue view, oldest first. */
  getJob(id: number): Job | null {
    const row = this.s.getJob.get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  /** Runs many job or receipt changes as one transaction (one disk sync instead of thousands). */
  inTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  listJobs(): Job[] {
    return (this.s.listJobs.all() as JobRow[]).map(toJob);
  }

  /** Jobs that were still in progress when the app stopped, oldest first. */
  unfinishedJobs(): Job[] {
    return (this.s.unfinishedJobs.all() as JobRow[]).map(toJob);
  }

  /** Hides finished jobs from the queue view; returns how many. */
  clearFinishedJobs(): number {
    return this.s.clearJobs.run(now()).changes;
  }

  // ---- app state ----

  getMeta(key: string): string | null {
    return (this.s.getMeta.get(key) as string | undefined) ?? null;
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }

  /** Watch folders and the files their watcher has handed on (watch-folders.ts). */
  watchStore(): WatchStore {
    return watchStore(this.db);
  }

  // ---- internals ----

  private saveInTransaction(input: NewReceipt): Receipt {
    const { file, fields } = input;
    checkNewReceipt(input);
    const at = now();
    const existing = this.s.fileBySha.get(file.sha256) as
      | { fileId: number; receiptId: number; deletedAt: string | null }
      | undefined;
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
      const { receipt } = this.stored(id)!;
      const { corrected } = receipt;
      const previous = valuesOf(receipt);
      const values = { ...extracted, category: previous.category };
      for (const key of VALUE_KEYS) {
        const field = VALUE_SPEC[key].field;
        if (field && corrected.includes(field)) Object.assign(values, { [key]: previous[key] });
      }
      const review = assessReview({
        values, confidence: fields.confidence, warnings: fields.warnings, corrected, possibleDuplicate: false,
      });
      this.s.updateFile.run({ ...file, fileId: existing.fileId });
      this.s.reviveReceipt.run({
        ...values, ...common, ...reviewParams(review), matchKey: matchKey(values), corrected: JSON.stringify(corrected), id,
      });
    } else {
      const fileId = Number(this.s.insertFile.run({ ...file, now: at }).lastInsertRowid);
      const review = assessReview({
        values: extracted, confidence: fields.confidence, warnings: fields.warnings, corrected: [], possibleDuplicate: false,
      });
      id = Number(
        this.s.insertReceipt.run({
          ...extracted, ...common, ...reviewParams(review), matchKey: matchKey(extracted), corrected: '[]', fileId,
        }).lastInsertRowid,
      );
    }
    this.s.putText.run(id, input.ocrText, JSON.stringify(input.ocrNotes ?? []), JSON.stringify(input.pageTurns ?? []));
    recordMerchantRead(this.db, id, fields.merchant);
    this.writeRuleChanges(planRuleChanges(this.db, { receiptIds: [id] }));
    this.reindex(id);
    this.refreshReview(this.dups.recheck(id));
    if (input.jobId !== undefined && this.s.markSaved.run(id, at, input.jobId).changes === 0) {
      throw new Error(`job ${input.jobId} does not exist`);
    }
    return this.stored(id)!.receipt;
  }

  private updateInTransaction(id: number, patch: ReceiptPatch): Receipt {
    const stored = this.stored(id);
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
    const correctedList = FIELD_NAMES.filter((f) => corrected.has(f));
    this.writeValues(id, values, correctedList, stored);
    if (patch.category !== undefined) markCategoryByPerson(this.db, id);
    // A correction can make a match or break one.
    this.refreshReview(this.dups.recheck(id));
    this.reindex(id);
    return this.stored(id)!.receipt;
  }

  private resolveInTransaction(id: number, otherId: number, action: DuplicateAction): Receipt {
    const keep = this.stored(id);
    const other = this.stored(otherId);
    if (!keep || keep.deleted) throw new ReceiptNotFoundError(id);
    if (!other || other.deleted) throw new ReceiptNotFoundError(otherId);
    if (!this.dups.isOpenPair(id, otherId)) {
      throw new LedgerInputError(`receipts ${id} and ${otherId} are not marked as possible duplicates of each other`);
    }
    if (action === 'keep-both') {
      this.dups.keepBoth(id, otherId);
      this.refreshReview([id, otherId]);
      return this.stored(id)!.receipt;
    }
    const merged = mergeValues(keep, other);
    this.writeValues(id, merged.values, merged.corrected, { ...keep, fieldConfidence: merged.confidence });
    this.s.writeExtraction.run({ id, fieldConfidence: JSON.stringify(merged.confidence), items: JSON.stringify(merged.items) });
    const at = now();
    this.s.mergeAway.run({ id: otherId, into: id, now: at });
    this.s.repointMerged.run({ from: otherId, to: id, now: at });
    this.s.repointJobs.run({ from: otherId, to: id, now: at });
    this.s.unindex.run(otherId);
    this.refreshReview([...this.dups.forget(otherId), ...this.dups.recheck(id), id]);
    this.reindex(id);
    return this.stored(id)!.receipt;
  }

  /** Writes what rules decided; the caller re-checks duplicates and re-indexes. */
  private writeRuleChanges(changes: RuleChange[]): void {
    for (const { receiptId, merchant, category } of changes) {
      const stored = this.stored(receiptId)!;
      const values = { ...valuesOf(stored.receipt), ...(merchant && { merchant: merchant.to }), ...(category && { category: category.to }) };
      this.writeValues(receiptId, values, stored.receipt.corrected, stored);
      if (category) markCategoryByRule(this.db, receiptId);
    }
  }

  /** Writes a person's values (with their match key and review state) over a stored receipt. */
  private writeValues(id: number, values: Values, corrected: FieldName[], stored: Stored): void {
    const review = assessReview({
      values,
      confidence: stored.fieldConfidence,
      warnings: stored.receipt.warnings,
      corrected,
      possibleDuplicate: this.dups.isFlagged(id),
    });
    this.s.writeValues.run({
      ...values, ...reviewParams(review), matchKey: matchKey(values), corrected: JSON.stringify(corrected), now: now(), id,
    });
  }

  /** Recomputes the review state of receipts whose duplicate pairs changed. */
  private refreshReview(ids: Iterable<number>): void {
    for (const id of new Set(ids)) {
      const stored = this.stored(id);
      if (!stored) continue;
      const { receipt } = stored;
      const review = assessReview({
        values: valuesOf(receipt),
        confidence: stored.fieldConfidence,
        warnings: receipt.warnings,
        corrected: receipt.corrected,
        possibleDuplicate: this.dups.isFlagged(id),
      });
      this.s.setReview.run({ ...reviewParams(review), id });
    }
  }

  private stored(id: number): Stored | undefined {
    const row = this.s.stored.get(id) as unknown[] | undefined;
    if (!row) return undefined;
    return {
      receipt: toReceipt(row),
      fileId: row[RECEIPT_WIDTH] as number,
      fieldConfidence: JSON.parse(row[RECEIPT_WIDTH + 1] as string),
      deleted: row[RECEIPT_WIDTH + 2] !== null,
    };
  }

  private reindex(id: number): void {
    this.s.unindex.run(id);
    this.s.index.run(id);
  }

  /** Statements whose SQL depends on the query's shape, prepared once per shape. */
  private statement(key: string, sql: () => string, raw = false): Database.Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql()).raw(raw);
      this.statements.set(key, statement);
    }
    return statement;
  }
}

/** Every fixed statement, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  const fromReceipts = 'FROM receipts r JOIN files f ON f.id = r.file_id';
  return {
    maxReceiptId: db.prepare('SELECT max(id) FROM receipts').pluck(),
    // The file of a merged-away receipt answers with the receipt it was merged into.
    fileBySha: db.prepare(
      `SELECT f.id AS fileId, s.id AS receiptId, s.deleted_at AS deletedAt
       FROM files f JOIN receipts r ON r.file_id = f.id JOIN receipts s ON s.id = coalesce(r.merged_into, r.id)
       WHERE f.sha256 = ?`,
    ),
    stored: db
      .prepare(`SELECT ${RECEIPT_COLUMNS}, r.file_id, r.field_confidence, r.deleted_at ${fromReceipts} WHERE r.id = ?`)
      .raw(),
    detail: db
      .prepare(
        `SELECT ${RECEIPT_COLUMNS}, t.ocr_text, t.ocr_notes ${fromReceipts} JOIN receipt_text t ON t.receipt_id = r.id
         WHERE r.id = ? AND r.deleted_at IS NULL`,
      )
      .raw(),
    insertFile: db.prepare(
      `INSERT INTO files (sha256, size, mime, file_name, source_path, added_at)
       VALUES (@sha256, @size, @mime, @fileName, @sourcePath, @now)`,
    ),
    updateFile: db.prepare(
      'UPDATE files SET size = @size, mime = @mime, file_name = @fileName, source_path = @sourcePath WHERE id = @fileId',
    ),
    insertReceipt: db.prepare(
      `INSERT INTO receipts (file_id, merchant, date, total_minor, subtotal_minor, tax_minor, tip_minor, currency,
         payment_method, category, items, field_confidence, confidence, needs_review, warnings, corrected,
         ocr_confidence, engine, scanned_at, updated_at, match_key)
       VALUES (@fileId, @merchant, @date, @totalMinor, @subtotalMinor, @taxMinor, @tipMinor, @currency,
         @paymentMethod, @category, @items, @fieldConfidence, @confidence, @needsReview, @warnings, @corrected,
         @ocrConfidence, @engine, @now, @now, @matchKey)`,
    ),
    reviveReceipt: db.prepare(
      `UPDATE receipts SET merchant = @merchant, date = @date, total_minor = @totalMinor,
         subtotal_minor = @subtotalMinor, tax_minor = @taxMinor, tip_minor = @tipMinor, currency = @currency,
         payment_method = @paymentMethod, category = @category, items = @items, field_confidence = @fieldConfidence,
         confidence = @confidence, needs_review = @needsReview, warnings = @warnings, corrected = @corrected,
         ocr_confidence = @ocrConfidence, engine = @engine, scanned_at = @now, updated_at = @now, deleted_at = NULL,
         match_key = @matchKey
       WHERE id = @id`,
    ),
    writeValues: db.prepare(
      `UPDATE receipts SET merchant = @merchant, date = @date, total_minor = @totalMinor,
         subtotal_minor = @subtotalMinor, tax_minor = @taxMinor, tip_minor = @tipMinor, currency = @currency,
         payment_method = @paymentMethod, category = @category, confidence = @confidence,
         needs_review = @needsReview, corrected = @corrected, updated_at = @now, match_key = @matchKey
       WHERE id = @id`,
    ),
    setReview: db.prepare('UPDATE receipts SET confidence = @confidence, needs_review = @needsReview WHERE id = @id'),
    writeExtraction: db.prepare('UPDATE receipts SET field_confidence = @fieldConfidence, items = @items WHERE id = @id'),
    mergeAway: db.prepare(
      'UPDATE receipts SET merged_into = @into, deleted_at = @now, updated_at = @now, match_key = NULL WHERE id = @id',
    ),
    repointMerged: db.prepare('UPDATE receipts SET merged_into = @to, updated_at = @now WHERE merged_into = @from'),
    repointJobs: db.prepare(
      `UPDATE jobs SET receipt_id = iif(receipt_id = @from, @to, receipt_id),
         duplicate_of = iif(duplicate_of = @from, @to, duplicate_of), updated_at = @now
       WHERE receipt_id = @from OR duplicate_of = @from`,
    ),
    mergedFiles: db.prepare(
      `SELECT f.file_name AS fileName, f.source_path AS sourcePath, f.sha256
       FROM receipts m JOIN files f ON f.id = m.file_id WHERE m.merged_into = ? ORDER BY m.id`,
    ),
    putText: db.prepare(
      `INSERT INTO receipt_text (receipt_id, ocr_text, ocr_notes, page_turns) VALUES (?, ?, ?, ?)
       ON CONFLICT (receipt_id) DO UPDATE SET ocr_text = excluded.ocr_text, ocr_notes = excluded.ocr_notes,
         page_turns = excluded.page_turns`,
    ),
    pageTurns: db
      .prepare(`SELECT t.page_turns FROM receipt_text t JOIN receipts r ON r.id = t.receipt_id WHERE r.id = ? AND r.deleted_at IS NULL`)
      .pluck(),
    unindex: db.prepare('DELETE FROM receipts_fts WHERE rowid = ?'),
    index: db.prepare(
      `INSERT INTO receipts_fts (rowid, merchant, file_name, category, ocr_text)
       SELECT r.id, r.merchant, f.file_name, r.category, t.ocr_text
       ${fromReceipts} JOIN receipt_text t ON t.receipt_id = r.id WHERE r.id = ?`,
    ),
    softDelete: db.prepare(
      `UPDATE receipts SET deleted_at = @now, updated_at = @now
       WHERE deleted_at IS NULL AND id IN (SELECT value FROM json_each(@ids))`,
    ),
    restore: db.prepare(
      `UPDATE receipts SET deleted_at = NULL, updated_at = @now
       WHERE deleted_at IS NOT NULL AND merged_into IS NULL AND id IN (SELECT value FROM json_each(@ids))
       RETURNING id`,
    ),
    sourceOf: db.prepare(
      `SELECT f.source_path AS path, f.mime ${fromReceipts} WHERE r.id = ? AND r.deleted_at IS NULL`,
    ),
    mergedSourceOf: db.prepare(
      `SELECT f.source_path AS path, f.mime FROM receipts s JOIN receipts m ON m.merged_into = s.id
       JOIN files f ON f.id = m.file_id WHERE s.id = ? AND s.deleted_at IS NULL AND f.sha256 = ?`,
    ),
    insertJob: db.prepare(
      `INSERT INTO jobs (batch_id, source, file_name, state, percent, created_at, updated_at)
       VALUES (?, ?, ?, 'queued', 0, ?, ?) RETURNING *`,
    ),
    // One statement for any patch: each column changes only when its flag is set.
    updateJob: db.prepare(
      `UPDATE jobs SET
         state = CASE WHEN @setState THEN @state ELSE state END,
         percent = CASE WHEN @setPercent THEN @percent ELSE percent END,
         error = CASE WHEN @setError THEN @error ELSE error END,
         receipt_id = CASE WHEN @setReceiptId THEN @receiptId ELSE receipt_id END,
         duplicate_of = CASE WHEN @setDuplicateOf THEN @duplicateOf ELSE duplicate_of END,
         updated_at = @now
       WHERE id = @id`,
    ),
    markSaved: db.prepare(
      `UPDATE jobs SET state = 'saved', percent = 100, error = NULL, receipt_id = ?, updated_at = ? WHERE id = ?`,
    ),
    listJobs: db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE cleared = 0 ORDER BY id`),
    getJob: db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ? AND cleared = 0`),
    unfinishedJobs: db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE state NOT IN (${TERMINAL_LIST}) ORDER BY id`),
    clearJobs: db.prepare(`UPDATE jobs SET cleared = 1, updated_at = ? WHERE cleared = 0 AND state IN (${TERMINAL_LIST})`),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
}

function now(): string {
  return new Date().toISOString();
}

function reviewParams(review: { confidence: number; needsReview: boolean }) {
  return { confidence: review.confidence, needsReview: review.needsReview ? 1 : 0 };
}

/**
 * How a merge settles each value: the survivor keeps what a person corrected on it; a value corrected
 * only on the merged-away receipt comes over and stays marked corrected; a value the survivor lacks is
 * taken from the other (with its confidence); otherwise the survivor's own reading stands. Line items:
 * the survivor's, or the other's when it has none.
 */
function mergeValues(keep: Stored, other: Stored) {
  const values = valuesOf(keep.receipt);
  const theirs = valuesOf(other.receipt);
  const corrected = new Set(keep.receipt.corrected);
  const confidence = { ...keep.fieldConfidence };
  for (const key of VALUE_KEYS) {
    const field = VALUE_SPEC[key].field;
    const oursByHand = field !== null && keep.receipt.corrected.includes(field);
    const theirsByHand = field !== null && other.receipt.corrected.includes(field);
    if (oursByHand || !(theirsByHand || (values[key] === null && theirs[key] !== null))) continue;
    Object.assign(values, { [key]: theirs[key] });
    if (field === null) continue;
    if (theirsByHand) corrected.add(field);
    const c = other.fieldConfidence[field];
    if (c === undefined) delete confidence[field];
    else confidence[field] = c;
  }
  return {
    values,
    corrected: FIELD_NAMES.filter((f) => corrected.has(f)),
    confidence,
    items: keep.receipt.items.length > 0 ? keep.receipt.items : other.receipt.items,
  };
}

function valuesOf(r: Receipt): Values {
  const { merchant, date, totalMinor, subtotalMinor, taxMinor, tipMinor, currency, paymentMethod, category } = r;
  return { merchant, date, totalMinor, subtotalMinor, taxMinor, tipMinor, currency, paymentMethod, category };
}

/** Open pairs as each receipt's list of possible duplicates, lowest id first. */
function pairsById(pairs: [number, number][]): Map<number, number[]> {
  const byId = new Map<number, number[]>();
  const add = (id: number, other: number) => {
    const list = byId.get(id);
    if (list) list.push(other);
    else byId.set(id, [other]);
  };
  for (const [a, b] of pairs) {
    add(a, b);
    add(b, a);
  }
  for (const list of byId.values()) list.sort((x, y) => x - y);
  return byId;
}

/** `pairs`, when given, supplies the possible duplicates instead of the row's last column. */
function toReceipt(row: unknown[], pairs?: Map<number, number[]>): Receipt {
  const [id, sha256, fileName, sourcePath, mime, merchant, date, totalMinor, subtotalMinor, taxMinor, tipMinor,
    currency, paymentMethod, category, items, confidence, needsReview, warnings, corrected, scannedAt, updatedAt,
    possibleDuplicates] = row as ReceiptTuple;
  return {
    id, sha256, fileName, sourcePath, mime, merchant, date, totalMinor, subtotalMinor, taxMinor, tipMinor, currency,
    paymentMethod, category, confidence, scannedAt, updatedAt,
    items: parseList(items) as LineItem[],
    needsReview: needsReview === 1,
    warnings: parseList(warnings) as string[],
    corrected: parseList(corrected) as FieldName[],
    possibleDuplicates: pairs ? (pairs.get(id) ?? []) : (parseList(possibleDuplicates) as number[]),
  };
}

/** JSON list columns are mostly empty; skipping JSON.parse for those keeps a 100k-row export quick. */
function parseList(json: string): unknown[] {
  return json === '[]' ? [] : (JSON.parse(json) as unknown[]);
}

function toJob(row: JobRow): Job {
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
    ...(row.possible_duplicate_of != null && { possibleDuplicateOf: row.possible_duplicate_of }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkNewReceipt({ file, fields }: NewReceipt): void {
  if (!/^[0-9a-f]{64}$/.test(file.sha256)) throw new LedgerInputError('sha256 must be 64 lower-case hex digits');
  if (!Number.isSafeInteger(file.size) || file.size < 0) throw new LedgerInputError('file size must be a whole number of bytes');
  for (const key of VALUE_KEYS) if (key !== 'category') checkValue(key, fields[key]);
  for (const item of fields.items) {
    if (!Number.isSafeInteger(item.amountMinor)) {
      throw new LedgerInputError(`line item "${item.description}" amount must be whole minor units, got ${item.amountMinor}`);
    }
  }
}

function checkValue(key: keyof Values, value: unknown): void {
  if (value === null) return;
  const kind = VALUE_SPEC[key].kind;
  const ok =
    kind === 'text'
      ? typeof value === 'string'
      : kind === 'money'
        ? Number.isSafeInteger(value)
        : kind === 'currency'
          ? typeof value === 'string' && /^[A-Z]{3}$/.test(value)
          : typeof value === 'string' && isIsoDate(value);
  if (!ok) {
    const expected = {
      text: 'text',
      money: 'a whole number of minor units (cents)',
      currency: 'an ISO 4217 code such as USD',
      date: 'a real date as YYYY-MM-DD',
    }[kind];
    throw new LedgerInputError(`${key} must be ${expected}, got ${JSON.stringify(value)}`);
  }
}

function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}
