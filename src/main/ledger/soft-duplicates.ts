// Soft duplicates: two live receipts from different files whose merchant (ignoring case, accents,
// punctuation and spacing), date, total and currency are all equal — most likely two photos of one
// receipt. The one that came into the ledger later (saved, corrected or restored into the match) is
// flagged as a possible duplicate of the other, until a person keeps both (that pair is never flagged
// again) or merges them. Every method runs inside the ledger's current transaction.
import type Database from 'better-sqlite3';

export interface MatchValues {
  merchant: string | null;
  date: string | null;
  totalMinor: number | null;
  currency: string | null;
}

/** What two receipts must share to be possible duplicates; null when any part is missing. */
export function matchKey({ merchant, date, totalMinor, currency }: MatchValues): string | null {
  if (merchant === null || date === null || totalMinor === null || currency === null) return null;
  const name = merchant
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
  return name === '' ? null : `${currency} ${totalMinor} ${date} ${name}`;
}

/** An unresolved pair, seen from one of its receipts. */
export interface OpenPair {
  otherId: number;
  /** True when this receipt is the one flagged as a possible duplicate of the other. */
  flagged: boolean;
}

/**
 * A receipt is flagged against at most this many others (the earliest). Keeps a save cheap even when
 * hundreds of receipts share merchant, date and total (a toll booth), instead of linking every pair.
 */
export const MAX_NEW_PAIRS = 5;

// A pair is stored once whichever way round it is looked up: (min id, max id) is unique.
const SAME_PAIR = 'min(receipt_id, duplicate_of) = min(@a, @b) AND max(receipt_id, duplicate_of) = max(@a, @b)';

export class SoftDuplicates {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.s = prepare(db);
  }

  /**
   * Brings the open pairs of receipt `id` in line with its stored match key: pairs that no longer match
   * (or every pair, when it is not live) are dissolved, new matches are flagged against it (up to
   * MAX_NEW_PAIRS), pairs a person kept are left alone. Returns every receipt whose open pairs changed.
   */
  recheck(id: number): number[] {
    const key = this.liveKey(id);
    const touched = new Set<number>();
    let kept = 0;
    for (const { otherId } of this.openPairs(id)) {
      if (key !== null && this.liveKey(otherId) === key) {
        kept++;
        continue;
      }
      this.s.dissolvePair.run({ a: id, b: otherId });
      touched.add(otherId).add(id);
    }
    if (key !== null && kept < MAX_NEW_PAIRS) {
      const at = new Date().toISOString();
      for (const otherId of this.s.matches.all({ id, key, room: MAX_NEW_PAIRS - kept }) as number[]) {
        this.s.insertPair.run(id, otherId, at);
        touched.add(otherId).add(id);
      }
    }
    return [...touched];
  }

  /** Dissolves the open pairs of these receipts (deleted ones); returns every receipt involved. */
  dissolve(ids: number[]): number[] {
    const rows = this.s.dissolveAll.all({ ids: JSON.stringify(ids) }) as [number, number][];
    return [...new Set(rows.flat())];
  }

  /** Removes every pair of a receipt that no longer exists on its own (merged away); returns the partners. */
  forget(id: number): number[] {
    return (this.s.forget.all({ id }) as [number, number][]).flat().filter((other) => other !== id);
  }

  /** Marks the open pair of a and b as two real receipts, for good. */
  keepBoth(a: number, b: number): void {
    this.s.keepBoth.run({ a, b, at: new Date().toISOString() });
  }

  isOpenPair(a: number, b: number): boolean {
    return this.s.openPair.get({ a, b }) !== undefined;
  }

  /** True when this receipt is flagged as a possible duplicate of another (it needs review). */
  isFlagged(id: number): boolean {
    return this.s.flagged.get(id) !== undefined;
  }

  private liveKey(id: number): string | null {
    return (this.s.liveKey.get(id) as string | null | undefined) ?? null;
  }

  openPairs(id: number): OpenPair[] {
    return (this.s.openPairs.all({ id }) as { otherId: number; flagged: number }[]).map((p) => ({
      otherId: p.otherId,
      flagged: p.flagged === 1,
    }));
  }
}

// Live receipts with the same key not yet paired with @id (open or kept), earliest first.
export const MATCHES = `SELECT r.id FROM receipts r
  WHERE r.match_key = @key AND r.deleted_at IS NULL AND r.id <> @id
    AND NOT EXISTS (SELECT 1 FROM duplicate_pairs p
      WHERE min(p.receipt_id, p.duplicate_of) = min(@id, r.id) AND max(p.receipt_id, p.duplicate_of) = max(@id, r.id))
  ORDER BY r.id LIMIT @room`;
export const OPEN_PAIRS = `SELECT duplicate_of AS otherId, 1 AS flagged FROM duplicate_pairs WHERE receipt_id = @id AND state = 'open'
  UNION ALL
  SELECT receipt_id, 0 FROM duplicate_pairs WHERE duplicate_of = @id AND state = 'open'
  ORDER BY 1`;
export const OPEN_PAIR = `SELECT 1 FROM duplicate_pairs WHERE state = 'open' AND ${SAME_PAIR}`;
export const FLAGGED = "SELECT 1 FROM duplicate_pairs WHERE receipt_id = ? AND state = 'open'";

function prepare(db: Database.Database) {
  return {
    liveKey: db.prepare('SELECT match_key FROM receipts WHERE id = ? AND deleted_at IS NULL').pluck(),
    matches: db.prepare(MATCHES).pluck(),
    openPairs: db.prepare(OPEN_PAIRS),
    openPair: db.prepare(OPEN_PAIR),
    flagged: db.prepare(FLAGGED),
    insertPair: db.prepare("INSERT INTO duplicate_pairs (receipt_id, duplicate_of, state, created_at) VALUES (?, ?, 'open', ?)"),
    dissolvePair: db.prepare(`DELETE FROM duplicate_pairs WHERE state = 'open' AND ${SAME_PAIR}`),
    dissolveAll: db
      .prepare(
        `DELETE FROM duplicate_pairs WHERE state = 'open'
           AND (receipt_id IN (SELECT value FROM json_each(@ids)) OR duplicate_of IN (SELECT value FROM json_each(@ids)))
         RETURNING receipt_id, duplicate_of`,
      )
      .raw(),
    forget: db.prepare('DELETE FROM duplicate_pairs WHERE receipt_id = @id OR duplicate_of = @id RETURNING receipt_id, duplicate_of').raw(),
    keepBoth: db.prepare(`UPDATE duplicate_pairs SET state = 'kept-both', resolved_at = @at WHERE state = 'open' AND ${SAME_PAIR}`),
  };
}
