// Soft duplicates (see soft-duplicates.ts): each receipt's match key, the pairs found, and merged receipts.
// A released migration is never edited: later changes go in a new numbered file.
import type { Migration } from '../migrate';
import { MAX_NEW_PAIRS, matchKey } from '../soft-duplicates';

const migration: Migration = {
  version: 2,
  name: 'soft-duplicates',
  up(db) {
    db.exec(`
      -- Normalised merchant + date + total + currency (NULL when any is missing), computed by the app.
      ALTER TABLE receipts ADD COLUMN match_key TEXT;
      -- A receipt merged into another: kept (deleted_at set) so nothing it held is lost, never shown or restored;
      -- its file still finds the survivor, so a re-scan of it is an exact duplicate.
      ALTER TABLE receipts ADD COLUMN merged_into INTEGER REFERENCES receipts(id);
      -- The save-time check: one probe of this index per saved or corrected receipt.
      CREATE INDEX receipts_live_match ON receipts(match_key) WHERE deleted_at IS NULL AND match_key IS NOT NULL;
      CREATE INDEX receipts_merged_into ON receipts(merged_into) WHERE merged_into IS NOT NULL;

      -- receipt_id was flagged as a possible duplicate of duplicate_of. 'open' until a person decides;
      -- 'kept-both' is remembered so that the pair is never flagged again. Merged pairs are removed.
      CREATE TABLE duplicate_pairs (
        receipt_id INTEGER NOT NULL REFERENCES receipts(id),
        duplicate_of INTEGER NOT NULL REFERENCES receipts(id),
        state TEXT NOT NULL CHECK (state IN ('open', 'kept-both')),
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        PRIMARY KEY (receipt_id, duplicate_of),
        CHECK (receipt_id <> duplicate_of)
      ) STRICT, WITHOUT ROWID;
      -- One row per pair whichever way round; also how a pair is looked up from either side.
      CREATE UNIQUE INDEX duplicate_pairs_pair
        ON duplicate_pairs(min(receipt_id, duplicate_of), max(receipt_id, duplicate_of));
      CREATE INDEX duplicate_pairs_of ON duplicate_pairs(duplicate_of, state);
    `);

    // Existing receipts get their key, and soft duplicates already in the ledger are flagged as a save
    // would flag them: each one against the earliest (up to MAX_NEW_PAIRS) live receipts it matches.
    db.function('receipt_match_key', { deterministic: true }, (merchant, date, totalMinor, currency) =>
      matchKey({ merchant, date, totalMinor, currency } as Parameters<typeof matchKey>[0]),
    );
    db.exec('UPDATE receipts SET match_key = receipt_match_key(merchant, date, total_minor, currency)');
    db.prepare(
      `WITH ranked AS (
         SELECT id, match_key, row_number() OVER (PARTITION BY match_key ORDER BY id) AS n
         FROM receipts WHERE deleted_at IS NULL AND match_key IS NOT NULL),
       earliest AS (SELECT * FROM ranked WHERE n <= @max)
       INSERT INTO duplicate_pairs (receipt_id, duplicate_of, state, created_at)
       SELECT b.id, a.id, 'open', @now FROM ranked b JOIN earliest a ON a.match_key = b.match_key AND a.n < b.n`,
    ).run({ max: MAX_NEW_PAIRS, now: new Date().toISOString() });
    db.exec('UPDATE receipts SET needs_review = 1 WHERE id IN (SELECT receipt_id FROM duplicate_pairs)');
  },
};

export default migration;
