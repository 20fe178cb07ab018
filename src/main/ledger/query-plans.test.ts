// The indexes the migrations promise are the ones the ledger's statements really use: each test asks
// SQLite's planner (EXPLAIN QUERY PLAN) how it runs the ledger's own SQL, on a ledger with rows in it.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerQuery, SortKey } from '../../shared/model';
import { filterSql, type TextMatches } from './filter';
import { newReceipt } from './fixtures';
import { GET_JOB, LIST_JOBS } from './jobs';
import { Ledger } from './ledger';
import { FILE_BY_SHA, MERGED_FILES, MERGED_SOURCE_OF, STORED } from './receipts';
import { CREATE_SAVED_MATCHES, pageSql, summarySql, totalsSql } from './search';
import { FLAGGED, MATCHES, OPEN_PAIR, OPEN_PAIRS } from './soft-duplicates';

let dir: string;
let db: Database.Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-plans-'));
  const path = join(dir, 'ledger.db');
  const ledger = Ledger.open(path);
  // As in use: a tenth of the receipts need review, and most jobs are long finished.
  const jobs = ledger.addJobs(
    'b',
    Array.from({ length: 300 }, (_, n) => ({ source: `/${n}.jpg`, fileName: `${n}.jpg` })),
  );
  for (const [n, job] of jobs.entries()) {
    const unsure = { merchant: 0.3, date: 0.9, total: 0.9 };
    const fields = { merchant: `Shop ${n % 20}`, date: `2024-0${1 + (n % 9)}-1${n % 10}`, totalMinor: 100 + n };
    if (n % 50 === 0) continue; // still queued
    const r = ledger.saveReceipt({ ...newReceipt(n, n % 10 === 0 ? { ...fields, confidence: unsure } : fields), jobId: job.id });
    if (n % 3 === 0) ledger.update(r.id, { category: n % 2 ? 'Meals' : 'Travel' });
  }
  ledger.close(); // runs PRAGMA optimize, as the app does
  db = new Database(path, { readonly: true });
  db.exec(CREATE_SAVED_MATCHES);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** How SQLite runs `sql`, one step per line. */
function plan(sql: string, params: unknown = {}): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((s) => s.detail).join('\n');
}

function totalsPlan(q: LedgerQuery, matches: TextMatches = 'drive', saved = false): string {
  const f = filterSql(q, matches, saved);
  return plan(totalsSql(f), f.params);
}

function pagePlan(q: LedgerQuery & { sort: SortKey }, matches: TextMatches = 'list', saved = false): string {
  const f = filterSql(q, matches, saved);
  return plan(pageSql(f, q.sort, 'DESC'), { ...f.params, limit: 200, offset: 0 });
}

describe('query plans', () => {
  // The indexes carry currency and total to be covering, but the planner still reads each row: deleted_at
  // (in every query's WHERE) is not an indexed column. They do find the rows.
  it('counts and sums a filter through the index for it', () => {
    expect(totalsPlan({ dateFrom: '2024-01-01', dateTo: '2024-03-31' })).toMatch(
      /SEARCH r USING (COVERING )?INDEX receipts_live_date \(date>\? AND date<\?\)/,
    );
    expect(totalsPlan({ category: 'meals' })).toMatch(/SEARCH r USING (COVERING )?INDEX receipts_live_category \(category=\?\)/);
    expect(totalsPlan({ needsReview: true })).toMatch(/SEARCH r USING (COVERING )?INDEX receipts_live_review \(needs_review=\?\)/);
    expect(totalsPlan({ minTotalMinor: 100, maxTotalMinor: 500 })).toMatch(
      /SEARCH r USING (COVERING )?INDEX receipts_live_total \(total_minor>\? AND total_minor<\?\)/,
    );
    expect(totalsPlan({})).toMatch(/SCAN r USING (COVERING )?INDEX receipts_live_currency_id\b/);
  });

  it('finds text through the trigram index, driving from it for the totals', () => {
    expect(totalsPlan({ text: 'shop' })).toMatch(/^SCAN receipts_fts VIRTUAL TABLE INDEX 0:M\d+\nSEARCH r USING INTEGER PRIMARY KEY/);
    expect(pagePlan({ text: 'shop', sort: 'date' })).toMatch(/SCAN receipts_fts VIRTUAL TABLE INDEX 0:M\d+/);
  });

  it('evaluates the trigram index once per search: the totals and the page read the matches it saved', () => {
    expect(totalsPlan({ text: 'shop' }, 'drive', true)).toMatch(/^SCAN temp.text_matches\nSEARCH r USING INTEGER PRIMARY KEY/);
    const probe = pagePlan({ text: 'shop', sort: 'date' }, 'probe', true);
    expect(probe).toMatch(/SCAN r USING INDEX receipts_live_date/);
    expect(probe).toMatch(/USING ROWID SEARCH ON TABLE text_matches FOR IN-OPERATOR/);
    expect(probe).not.toMatch(/receipts_fts/);
    expect(pagePlan({ text: 'shop', sort: 'date' }, 'list', true)).not.toMatch(/receipts_fts/);
  });

  it('counts and sums the matches of a term most receipts hold by walking the currency index, without sorting', () => {
    const probe = totalsPlan({ text: 'shop' }, 'probe', true);
    expect(probe).toMatch(/^SCAN r USING (COVERING )?INDEX receipts_live_currency_id\b/);
    expect(probe).toMatch(/USING ROWID SEARCH ON TABLE text_matches FOR IN-OPERATOR/);
    expect(probe).not.toMatch(/TEMP B-TREE FOR GROUP BY/);
  });

  it.each([
    ['date', 'receipts_live_date'],
    ['merchant', 'receipts_live_merchant'],
    ['total', 'receipts_live_total'],
    ['scannedAt', 'receipts_live_scanned_at'],
    ['confidence', 'receipts_live_confidence'],
    ['category', 'receipts_live_category'],
  ] as const)('walks a page sorted by %s in the order of %s, without sorting every receipt', (sort, index) => {
    expect(pagePlan({ sort })).toMatch(new RegExp(`SCAN r USING (COVERING )?INDEX ${index}\\b`));
  });

  it('walks the sort order and checks each receipt against the matches for a term most receipts hold', () => {
    expect(pagePlan({ text: 'shop', sort: 'date' }, 'probe')).toMatch(/SCAN r USING INDEX receipts_live_date/);
  });

  it('reads the spending summary through the date index', () => {
    expect(plan(summarySql(filterSql({})))).toMatch(/SEARCH r USING (COVERING )?INDEX receipts_live_date \(date>\?\)/);
  });

  it('looks a file up by its sha-256 through the unique index', () => {
    expect(plan(FILE_BY_SHA, ['0'.repeat(64)])).toMatch(/SEARCH f USING (COVERING )?INDEX sqlite_autoindex_files_1 \(sha256=\?\)/);
  });

  it('finds soft duplicates by their match key (merchant, date, total, currency)', () => {
    const p = plan(MATCHES, { key: 'USD 100 2024-01-10 shop0', id: 1, room: 5 });
    expect(p).toMatch(/SEARCH r USING INDEX receipts_live_match \(match_key=\?\)/);
    expect(p).toMatch(/SEARCH p USING (COVERING )?INDEX duplicate_pairs_pair/);
  });

  it("finds a receipt's duplicate pairs from either side through the pair indexes", () => {
    const open = plan(OPEN_PAIRS, { id: 1 });
    expect(open).toMatch(/SEARCH duplicate_pairs USING PRIMARY KEY \(receipt_id=\?\)/);
    expect(open).toMatch(/SEARCH duplicate_pairs USING (COVERING )?INDEX duplicate_pairs_of \(duplicate_of=\? AND state=\?\)/);
    expect(plan(OPEN_PAIR, { a: 1, b: 2 })).toMatch(/SEARCH duplicate_pairs USING (COVERING )?INDEX duplicate_pairs_pair/);
    expect(plan(FLAGGED, [1])).toMatch(/SEARCH duplicate_pairs USING PRIMARY KEY \(receipt_id=\?\)/);
    // Every receipt read carries its open pairs: two index probes, no scan.
    expect(plan(STORED, [1])).not.toMatch(/SCAN duplicate_pairs/);
  });

  it('finds merged receipts through the merged_into index', () => {
    expect(plan(MERGED_FILES, [1])).toMatch(/SEARCH m USING INDEX receipts_merged_into \(merged_into=\?\)/);
    expect(plan(MERGED_SOURCE_OF, [1, '0'.repeat(64)])).toMatch(/SEARCH m USING INDEX receipts_merged_into \(merged_into=\?\)/);
  });

  // jobs_state is not asserted: the resume query (state NOT IN the finished ones, once at start) scans the
  // jobs, and with the planner's statistics a scan is what it picks even when written as state IN (…).
  it('lists the queue through jobs_visible', () => {
    expect(plan(LIST_JOBS)).toMatch(/SEARCH jobs USING INDEX jobs_visible \(cleared=\?\)/);
    expect(plan(GET_JOB, [1])).toMatch(/SEARCH jobs USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  });
});
