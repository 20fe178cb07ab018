// The local expense ledger: receipts, their files and OCR text, and the persisted job queue, in one
// SQLite database (better-sqlite3). A thin facade over one connection: each concern's functions live in
// their own module (receipts, merge, search, export-rows, jobs, meta) and take that connection.
import type {
  DuplicateAction,
  Job,
  LedgerFilter,
  LedgerPage,
  LedgerQuery,
  Receipt,
  ReceiptDetail,
  ReceiptPatch,
  RuleChange,
  SummaryRow,
} from '../../shared/model';
import type Database from 'better-sqlite3';
import type { Turn } from '../ocr/engine';
import { categoryNames } from './categories';
import { Connection } from './connection';
import { exportRows } from './export-rows';
import * as jobs from './jobs';
import { resolveDuplicate } from './merge';
import { getMeta, setMeta } from './meta';
import * as receipts from './receipts';
import type { ExportedReceipt } from './rows';
import { readProvenance } from './provenance';
import { planRuleChanges } from './rules';
import { queryReceipts, summary } from './search';
import { watchStore, type WatchStore } from './watch-folders';

export { DuplicateReceiptError, LedgerInputError, ReceiptNotFoundError } from './errors';
export type { NewReceipt } from './receipts';

export class Ledger {
  /** Opens (creating if needed) the ledger at `path`, or an in-memory one for ':memory:'. */
  static open(path: string, options: { nativeBinding?: string } = {}): Ledger {
    return new Ledger(Connection.open(path, options.nativeBinding));
  }

  private constructor(private readonly c: Connection) {}

  /** Closes the ledger and any export still reading; closing twice is harmless. */
  close(): void {
    this.c.close();
  }

  // ---- receipts ----

  findReceiptBySha(sha256: string): { id: number } | null {
    return receipts.findReceiptBySha(this.c, sha256);
  }

  /**
   * Saves a scanned receipt. Throws DuplicateReceiptError when its file is already a live receipt; a
   * soft-deleted one is revived with the new extraction, keeping the fields a person corrected.
   */
  saveReceipt(input: receipts.NewReceipt): Receipt {
    return receipts.saveReceipt(this.c, input);
  }

  get(id: number): ReceiptDetail | null {
    return receipts.getReceipt(this.c, id);
  }

  query(q: LedgerQuery): LedgerPage {
    return queryReceipts(this.c, q);
  }

  /** Records a person's correction. Every patched field except category joins `corrected`. */
  update(id: number, patch: ReceiptPatch): Receipt {
    return receipts.updateReceipt(this.c, id, patch);
  }

  softDelete(ids: number[]): number {
    return receipts.softDelete(this.c, ids);
  }

  restore(ids: number[]): number {
    return receipts.restore(this.c, ids);
  }

  resolveDuplicate(id: number, otherId: number, action: DuplicateAction): Receipt {
    return resolveDuplicate(this.c, id, otherId, action);
  }

  summary(filter: LedgerFilter): SummaryRow[] {
    return summary(this.c, filter);
  }

  /** Category names, the defaults first (categories.ts keeps every name in use listed). */
  categories(): string[] {
    return categoryNames(this.c.db);
  }

  /** Reads through a per-concern module of plain functions (rules.ts, categories.ts). */
  read<T>(fn: (db: Database.Database) => T): T {
    return this.c.db.transaction(fn)(this.c.db);
  }

  /** Runs a per-concern change in one transaction, re-indexing for search the receipts it reports changed. */
  change<T>(fn: (db: Database.Database) => { result: T; changedIds: number[] }): T {
    return this.c.write(() => {
      const { result, changedIds } = fn(this.c.db);
      for (const id of changedIds) receipts.reindex(this.c, id);
      return result;
    });
  }

  /**
   * Applies rules to live receipts (rules.ts plans what changes): all rules or one, to all receipts or
   * the ones listed (those a person saw in the preview). Rule-made values are never marked corrected.
   */
  applyRules(scope: { ruleId?: number; receiptIds?: readonly number[] }): RuleChange[] {
    return this.c.write(() => {
      const changes = planRuleChanges(this.c.db, scope);
      receipts.writeRuleChanges(this.c, changes);
      for (const { receiptId } of changes) {
        receipts.refreshReview(this.c, this.c.dups.recheck(receiptId));
        receipts.reindex(this.c, receiptId);
      }
      return changes;
    });
  }

  exportRows(filter: LedgerFilter = {}): IterableIterator<ExportedReceipt> {
    return exportRows(this.c, filter);
  }

  sourceOf(id: number, sha256?: string): { path: string; mime: string } | null {
    return receipts.sourceOf(this.c, id, sha256);
  }

  pageTurns(id: number): Turn[] {
    return receipts.pageTurns(this.c, id);
  }

  /**
   * Which page of the file page `page` (0-based) of the receipt's reading is, and how OCR turned it, so
   * it is shown the way it was read; null when the reading has no such page. Readings kept before file
   * pages were cannot match a PDF's pages to the pages read (blank pages are not read): page n is then
   * taken for the file's page n, unturned.
   */
  pageAsRead(id: number, page: number, mime: string): { filePage: number; turn: Turn } | null {
    const pages = readProvenance(this.c, id)?.pages;
    if (page > 0 && !pages?.[page]) return null;
    const filePage = pages?.[page]?.filePage;
    const turn = mime === 'application/pdf' && filePage === undefined ? 0 : (receipts.pageTurns(this.c, id)[page] ?? 0);
    return { filePage: filePage ?? page + 1, turn };
  }

  // ---- jobs ----

  addJobs(batchId: string, sources: { source: string; fileName: string }[]): Job[] {
    return jobs.addJobs(this.c, batchId, sources);
  }

  updateJob(id: number, patch: jobs.JobPatch): void {
    jobs.updateJob(this.c, id, patch);
  }

  getJob(id: number): Job | null {
    return jobs.getJob(this.c, id);
  }

  listJobs(): Job[] {
    return jobs.listJobs(this.c);
  }

  unfinishedJobs(): Job[] {
    return jobs.unfinishedJobs(this.c);
  }

  clearFinishedJobs(): number {
    return jobs.clearFinishedJobs(this.c);
  }

  /** Runs many job or receipt changes as one transaction (one disk sync instead of thousands). */
  inTransaction<T>(fn: () => T): T {
    return this.c.db.transaction(fn)();
  }

  // ---- app state ----

  getMeta(key: string): string | null {
    return getMeta(this.c, key);
  }

  setMeta(key: string, value: string): void {
    setMeta(this.c, key, value);
  }

  /** Watch folders and the files their watcher has handed on (watch-folders.ts). */
  watchStore(): WatchStore {
    return watchStore(this.c.db);
  }
}
