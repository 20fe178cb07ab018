// Turns a LedgerFilter into a WHERE clause built only from fixed fragments; every value is a bound
// parameter, so the ledger prepares each shape of clause once.
import type { LedgerFilter } from '../../shared/model';

export interface FilterSql {
  where: string;
  params: Record<string, string | number>;
  /** What to select from: receipts r, joined with files f when the clause needs them. */
  from: string;
}

/**
 * How a statement meets the text terms' matches. 'list': the planner's choice over the list of matching
 * ids. 'probe': the statement walks receipts in its own order (a sort index) and checks each against the
 * list, so a sorted page of a term most receipts contain stops after its first rows instead of sorting
 * every match. 'drive': every match is visited straight from the full-text index (or the saved
 * matches), with no list built (for aggregates over all matches).
 */
export type TextMatches = 'list' | 'probe' | 'drive';

/** The trigram index can only find terms of at least this many characters. */
const TRIGRAM = 3;

/**
 * The connection's temp table of the current search's matches (receipt ids). A search evaluates the
 * trigram index once into it; its count, sums and page then read the table instead of each evaluating
 * the index again.
 */
export const SAVED_MATCHES = 'temp.text_matches';

/** The trigram index query for the filter's text, or null when it has no term long enough for the index. */
export function ftsQuery(filter: LedgerFilter): string | null {
  const indexed = textTerms(filter).filter((t) => [...t].length >= TRIGRAM);
  return indexed.length === 0 ? null : indexed.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ');
}

// Control characters separate terms too: nobody searches for them, and a NUL would end FTS5's query
// string early ("unterminated string").
function textTerms(filter: LedgerFilter): string[] {
  return (filter.text ?? '').split(/[\s\p{Cc}]+/u).filter(Boolean);
}

/** `saved`: the text terms' matches are read from SAVED_MATCHES, which holds them, not from the index. */
export function filterSql(filter: LedgerFilter, matches: TextMatches = 'list', saved = false): FilterSql {
  const parts: string[] = ['r.deleted_at IS NULL'];
  const params: Record<string, string | number> = {};
  let scansRows = false;

  // Every whitespace-separated term must occur (case-insensitive substring) in the merchant, file name,
  // category or OCR text. Terms too short for the trigram index are looked up in the short fields only:
  // scanning every OCR text for one or two letters would stall the ledger while someone is still typing.
  const short = textTerms(filter).filter((t) => [...t].length < TRIGRAM);
  const fts = ftsQuery(filter);
  if (fts !== null) {
    const list = saved
      ? `r.id IN (SELECT id FROM ${SAVED_MATCHES})`
      : 'r.id IN (SELECT rowid FROM receipts_fts WHERE receipts_fts MATCH @fts)';
    // The unary + stops the planner from reaching rows through the list.
    if (matches === 'list') parts.push(list);
    else if (matches === 'probe') parts.push(`+${list}`);
    else if (saved) parts.push(`r.id = ${SAVED_MATCHES}.id`);
    else parts.push('receipts_fts MATCH @fts', 'r.id = receipts_fts.rowid');
    if (!saved) params.fts = fts;
  }
  short.forEach((term, i) => {
    // LIKE folds ASCII case only; % _ and \ in the term are matched literally.
    parts.push(`(r.merchant LIKE @s${i} ESCAPE '\\' OR f.file_name LIKE @s${i} ESCAPE '\\' OR r.category LIKE @s${i} ESCAPE '\\')`);
    params[`s${i}`] = `%${term.replace(/[\\%_]/g, '\\$&')}%`;
    scansRows = true;
  });
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
  }
  if (filter.needsReview !== undefined) {
    parts.push('r.needs_review = @needsReview');
    params.needsReview = filter.needsReview ? 1 : 0;
  }
  if (filter.possibleDuplicates !== undefined) {
    // Either side of an unresolved pair.
    parts.push(`r.id ${filter.possibleDuplicates ? 'IN' : 'NOT IN'} (SELECT receipt_id FROM duplicate_pairs WHERE state = 'open'
      UNION ALL SELECT duplicate_of FROM duplicate_pairs WHERE state = 'open')`);
  }
  // A LIKE term must read every candidate row: reading them in table order beats the planner's habit of
  // walking a covering index and jumping to each row from there (measured ~8× faster on 100k receipts).
  const rows = scansRows ? 'receipts r NOT INDEXED JOIN files f ON f.id = r.file_id' : 'receipts r';
  // CROSS JOIN keeps the index outermost: asked for one receipt at a time, FTS5 evaluates the whole
  // query again for each (measured ~0.25 ms per receipt on 100k).
  const from = fts !== null && matches === 'drive' ? `${saved ? SAVED_MATCHES : 'receipts_fts'} CROSS JOIN ${rows}` : rows;
  return { where: parts.join(' AND '), params, from };
}
