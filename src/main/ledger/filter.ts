// Turns a LedgerFilter into a WHERE clause built only from fixed fragments; every value is a bound
// parameter. `key` names the SQL shape so that the ledger prepares each shape once.
import type { LedgerFilter } from '../../shared/model';

export interface FilterSql {
  key: string;
  where: string;
  params: Record<string, string | number>;
  /** The clause refers to the files table (alias f). */
  usesFiles: boolean;
}

/** The trigram index can only find terms of at least this many characters. */
const TRIGRAM = 3;

export function filterSql(filter: LedgerFilter): FilterSql {
  const parts: string[] = ['r.deleted_at IS NULL'];
  const params: Record<string, string | number> = {};
  let key = '';
  let usesFiles = false;

  // Every whitespace-separated term must occur (case-insensitive substring) in one of merchant, file
  // name, category or OCR text.
  const terms = (filter.text ?? '').trim().split(/\s+/).filter(Boolean);
  const indexed = terms.filter((t) => [...t].length >= TRIGRAM);
  const short = terms.filter((t) => [...t].length < TRIGRAM);
  if (indexed.length > 0) {
    parts.push('r.id IN (SELECT rowid FROM receipts_fts WHERE receipts_fts MATCH @fts)');
    params.fts = indexed.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ');
    key += 't';
  }
  if (short.length > 0) {
    // Too short for the index: scan. lower() folds ASCII only, like LIKE would.
    parts.push(`NOT EXISTS (SELECT 1 FROM json_each(@short) AS term WHERE instr(lower(
      coalesce(r.merchant, '') || char(10) || f.file_name || char(10) || coalesce(r.category, '') || char(10) ||
      (SELECT ocr_text FROM receipt_text WHERE receipt_id = r.id)), lower(term.value)) = 0)`);
    params.short = JSON.stringify(short);
    usesFiles = true;
    key += 's';
  }
  const simple: [keyof LedgerFilter, string][] = [
    ['dateFrom', 'r.date >= @dateFrom'],
    ['dateTo', 'r.date <= @dateTo'],
    ['minTotalMinor', 'r.total_minor >= @minTotalMinor'],
    ['maxTotalMinor', 'r.total_minor <= @maxTotalMinor'],
    ['category', 'r.category = @category COLLATE NOCASE'],
  ];
  for (const [name, clause] of simple) {
    const value = filter[name];
    if (value === undefined) continue;
    parts.push(clause);
    params[name] = value as string | number;
    key += `|${name}`;
  }
  if (filter.needsReview !== undefined) {
    parts.push('r.needs_review = @needsReview');
    params.needsReview = filter.needsReview ? 1 : 0;
    key += '|review';
  }
  return { key, where: parts.join(' AND '), params, usesFiles };
}
