// Finding receipts: a sorted, filtered page with its count and sums, and the spending summary.
import type { LedgerFilter, LedgerPage, LedgerQuery, Money, SortKey, SummaryRow } from '../../shared/model';
import type { Connection } from './connection';
import { LedgerInputError } from './errors';
import { filterSql, ftsQuery, SAVED_MATCHES, type FilterSql } from './filter';
import { POSSIBLE_DUPLICATES_COLUMN, RECEIPT_COLUMNS, toReceipt, type ReceiptRow } from './rows';

const DEFAULT_LIMIT = 200;

/** The only sort expressions a query can use. */
const SORT_SQL: Record<SortKey, string> = {
  date: 'r.date',
  merchant: 'r.merchant COLLATE NOCASE',
  total: 'r.total_minor',
  scannedAt: 'r.scanned_at',
  confidence: 'r.confidence',
  category: 'r.category COLLATE NOCASE',
};

const MAX_RECEIPT_ID = 'SELECT max(id) FROM receipts';

/**
 * The totals of a search either look each saved match up ('drive') or walk the live receipts in currency
 * order and check each against the matches ('probe': no lookups, and the GROUP BY needs no sort). Looking
 * a match up costs 3–5 times as much as checking a receipt (100k receipts, a term all of them hold: ~40 vs
 * ~18 ms; one a tenth hold: ~6.5 vs ~11 ms), so the totals probe once matches > receipts / LOOKUP_COST.
 */
const LOOKUP_COST = 4;

export function queryReceipts(c: Connection, q: LedgerQuery): LedgerPage {
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
  const matches = saveTextMatches(c, q);
  const saved = matches !== null;
  const receipts = (c.pluck(MAX_RECEIPT_ID).get() as number | null) ?? 0;
  // Totals first: their count of matches decides how the page meets them.
  const t = filterSql(q, saved && matches * LOOKUP_COST > receipts ? 'probe' : 'drive', saved);
  const groups = c.prepare(totalsSql(t)).all(t.params) as { currency: string | null; n: number; minor: number | null }[];
  const total = groups.reduce((sum, g) => sum + g.n, 0);
  // Walking the sort order, the page meets its offset + limit rows after about
  // (offset + limit) × receipts / total steps; sorting every match costs about total.
  const f = filterSql(q, total * total > (offset + limit) * receipts ? 'probe' : 'list', saved);
  return {
    rows: (c.prepare(pageSql(f, sort, dir)).all({ ...f.params, limit, offset }) as ReceiptRow[]).map((row) => toReceipt(row)),
    total,
    sums: groups.flatMap((g): Money[] => (g.currency !== null && g.minor !== null ? [{ currency: g.currency, minor: g.minor }] : [])),
  };
}

export const CREATE_SAVED_MATCHES = `CREATE TEMP TABLE IF NOT EXISTS ${SAVED_MATCHES} (id INTEGER PRIMARY KEY)`;

/**
 * Puts the matches of the query's text terms into SAVED_MATCHES and returns how many (deleted receipts
 * too), or null when it has no term for the index.
 * Evaluating the trigram index once instead of for the totals and again for the page: that second pass
 * and the list built from it were ~40% of a search for a term most receipts hold.
 */
function saveTextMatches(c: Connection, q: LedgerQuery): number | null {
  const fts = ftsQuery(q);
  if (fts === null) return null;
  c.prepare(CREATE_SAVED_MATCHES).run();
  c.prepare(`DELETE FROM ${SAVED_MATCHES}`).run();
  return c.prepare(`INSERT INTO ${SAVED_MATCHES} SELECT rowid FROM receipts_fts WHERE receipts_fts MATCH ?`).run(fts).changes;
}

/** Count and sum per currency of every receipt the filter matches. */
export function totalsSql(t: FilterSql): string {
  return `SELECT r.currency AS currency, count(*) AS n, sum(r.total_minor) AS minor
    FROM ${t.from} WHERE ${t.where}
    GROUP BY r.currency ORDER BY r.currency`;
}

/** One page of receipts the filter matches, sorted; parameters @limit and @offset besides the filter's. */
export function pageSql(f: FilterSql, sort: SortKey, dir: 'ASC' | 'DESC'): string {
  const order = `ORDER BY ${SORT_SQL[sort]} ${dir}, r.id ${dir}`;
  // Pick the page's ids first, so sorting carries ids rather than whole rows; then read those rows.
  return `SELECT ${RECEIPT_COLUMNS}, ${POSSIBLE_DUPLICATES_COLUMN}
    FROM (SELECT r.id AS id FROM ${f.from}
          WHERE ${f.where} ${order} LIMIT @limit OFFSET @offset) AS page
    JOIN receipts r ON r.id = page.id JOIN files f ON f.id = r.file_id
    ${order}`;
}

/**
 * Spending per month × category × currency of live receipts matching `filter`. Receipts without a
 * date, total or currency cannot be placed and are left out; no category is reported as ''.
 */
export function summary(c: Connection, filter: LedgerFilter): SummaryRow[] {
  const f = filterSql(filter);
  const groups = c.prepare(summarySql(f)).all(f.params) as (Omit<SummaryRow, 'currency'> & { currency: string | null })[];
  return groups.filter((g): g is SummaryRow => g.currency !== null && g.count > 0);
}

/** Spending per month × category × currency of the receipts the filter matches. */
export function summarySql(f: FilterSql): string {
  // "date > ''" (= has a date) lets the planner read the covering date index instead of the table;
  // rows without currency or total are dropped by summary rather than in SQL, for the same reason.
  return `SELECT substr(r.date, 1, 7) AS month, coalesce(r.category, '') AS category, r.currency AS currency,
      sum(r.total_minor) AS totalMinor, count(r.total_minor) AS count
    FROM ${f.from}
    WHERE ${f.where} AND r.date > '' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
}
