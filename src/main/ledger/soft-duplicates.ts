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

// A pair is stored once whichever way round it is looked up: (min id, max id) is unique.
const SAME_PAIR = 'min(receipt_id, duplicate_of) = min(@a, @b) AND max(receipt_id, duplicate_of) = max(@a, @b)';

export class SoftDuplicates {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.s = prepare(db);
  }

  /**
   * Brings the open pairs of receipt `id` in line with its stored match key: pairs it no longer matches
   * (or every pair, when it is not live) are dissolved, new matches are flagged against it, pairs a
   * person kept are left alone. Returns every receipt whose open pairs changed.
   */
  recheck(id: number): number[] {
    const key = this.s.liveKey.get(id) as string | null | undefined;
    const wanted = new Set(key ? (this.s.matches.all({ id, key }) as number[]) : []);
    const touched = new Set<number>();
    for (const { otherId } of this.openPairs(id)) {
      if (wanted.delete(otherId)) continue;
      this.s.dissolvePair.run({ a: id, b: otherId });
      touched.add(otherId).add(id);
    }
    const at = new Date().toISOString();
    for (const otherId of wanted) {
      this.s.insertPair.run(id, otherId, at);
      touched.add(otherId).add(id);
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

  openPairs(id: number): OpenPair[] {
    return (this.s.openPairs.all({ id }) as { otherId: number; flagged: number }[]).map((p) => ({
      otherId: p.otherId,
      flagged: p.flagged === 1,
    }));
  }
}

function prepare(db: Database.Database) {
  return {
    liveKey: db.prepare('SELECT match_key FROM receipts WHERE id = ? AND deleted_at IS NULL').pluck(),
    matches: db
      .prepare(
        `SELECT r.id FROM receipts r
         WHERE r.match_key = @key AND r.deleted_at IS NULL AND r.id <> @id
           AND NOT EXISTS (SELECT 1 FROM duplicate_pairs p WHERE p.state = 'kept-both'
             AND min(p.receipt_id, p.duplicate_of) = min(@id, r.id) AND max(p.receipt_id, p.duplicate_of) = max(@id, r.id))`,
      )
      .pluck(),
    openPairs: db.prepare(
      `SELECT duplicate_of AS otherId, 1 AS flagged FROM duplicate_pairs WHERE receipt_id = @id AND state = 'open'
       UNION ALL
       SELECT receipt_id, 0 FROM duplicate_pairs WHERE duplicate_of = @id AND state = 'open'
       ORDER BY 1`,
    ),
    openPair: db.prepare(`SELECT 1 FROM duplicate_pairs WHERE state = 'open' AND ${SAME_PAIR}`),
    flagged: db.prepare("SELECT 1 FROM duplicate_pairs WHERE receipt_id = ? AND state = 'open'"),
    insertPair: db.prepare(
      "INSERT INTO duplicate_pairs (receipt_id, duplicate_of, state, created_at) VALUES (?, ?, 'open', ?)",
    ),
    dissolvePair: db.prepare(`DELETE FROM duplicate_pairs WHERE state = 'open' AND ${SAME_PAIR}`),
    dissolveAll: db
      .prepare(
        `DELETE FROM duplicate_pairs WHERE state = 'open'
           AND (receipt_id IN (SELECT value FROM json_each(@ids)) OR duplicate_of IN (SELECT value FROM json_each(@ids)))
         RETURNING receipt_id, duplicate_of`,
      )
      .raw(),
    forget: db
      .prepare('DELETE FROM duplicate_pairs WHERE receipt_id = @id OR duplicate_of = @id RETURNING receipt_id, duplicate_of')
      .raw(),
    keepBoth: db.prepare(
      `UPDATE duplicate_pairs SET state = 'kept-both', resolved_at = @at WHERE state = 'open' AND ${SAME_PAIR}`,
    ),
  };
}
