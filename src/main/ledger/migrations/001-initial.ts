// The first ledger schema. A released migration is never edited: later changes go in a new numbered file.
import type { Migration } from '../migrate';

const migration: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      -- One row per distinct file content; UNIQUE sha256 is what makes a double receipt impossible.
      CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        size INTEGER NOT NULL CHECK (size >= 0),
        mime TEXT NOT NULL,
        file_name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        added_at TEXT NOT NULL
      ) STRICT;

      -- Money is integer minor units (STRICT rejects fractional values); dates are YYYY-MM-DD text.
      CREATE TABLE receipts (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL UNIQUE REFERENCES files(id),
        merchant TEXT,
        date TEXT CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
        total_minor INTEGER,
        subtotal_minor INTEGER,
        tax_minor INTEGER,
        tip_minor INTEGER,
        currency TEXT CHECK (currency IS NULL OR currency GLOB '[A-Z][A-Z][A-Z]'),
        payment_method TEXT,
        category TEXT,
        items TEXT NOT NULL CHECK (json_valid(items)),
        field_confidence TEXT NOT NULL CHECK (json_valid(field_confidence)),
        confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
        needs_review INTEGER NOT NULL CHECK (needs_review IN (0, 1)),
        warnings TEXT NOT NULL CHECK (json_valid(warnings)),
        corrected TEXT NOT NULL CHECK (json_valid(corrected)),
        ocr_confidence REAL NOT NULL,
        engine TEXT NOT NULL,
        scanned_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;
      -- Indexes cover live rows only (every ledger query asks for those), and carry currency + total so that
      -- a filter's count and per-currency sums are read from the index alone, without touching the rows.
      CREATE INDEX receipts_live_date ON receipts(date, currency, total_minor, category) WHERE deleted_at IS NULL;
      CREATE INDEX receipts_live_total ON receipts(total_minor, currency) WHERE deleted_at IS NULL;
      CREATE INDEX receipts_live_currency ON receipts(currency, total_minor) WHERE deleted_at IS NULL;
      CREATE INDEX receipts_live_scanned_at ON receipts(scanned_at) WHERE deleted_at IS NULL;
      CREATE INDEX receipts_live_review ON receipts(needs_review, date, currency, total_minor) WHERE deleted_at IS NULL;
      CREATE INDEX receipts_live_category ON receipts(category COLLATE NOCASE, currency, total_minor) WHERE deleted_at IS NULL;
      CREATE INDEX receipts_live_merchant ON receipts(merchant COLLATE NOCASE) WHERE deleted_at IS NULL;
      CREATE INDEX receipts_live_confidence ON receipts(confidence) WHERE deleted_at IS NULL;
      -- The trash: only deleted rows (an index over the mostly-NULL column would mislead the planner).
      CREATE INDEX receipts_deleted_at ON receipts(deleted_at) WHERE deleted_at IS NOT NULL;

      -- OCR text lives apart so that scans of receipts stay small and fast.
      CREATE TABLE receipt_text (
        receipt_id INTEGER PRIMARY KEY REFERENCES receipts(id),
        ocr_text TEXT NOT NULL
      ) STRICT;

      -- Substring search over merchant, file name, category and OCR text, ignoring case and accents
      -- ("cafe" finds "Café"); rowid = receipts.id. Contentless: the text is already stored above, the index
      -- only maps trigrams to receipts.
      CREATE VIRTUAL TABLE receipts_fts USING fts5(
        merchant, file_name, category, ocr_text,
        content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
      );

      -- The persisted batch queue: a crash mid-batch resumes from here.
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL,
        source TEXT NOT NULL,
        file_name TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN
          ('queued', 'reading', 'ocr', 'extracting', 'saved', 'duplicate', 'failed', 'cancelled', 'skipped')),
        percent REAL NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
        error TEXT,
        receipt_id INTEGER REFERENCES receipts(id),
        duplicate_of INTEGER REFERENCES receipts(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        cleared INTEGER NOT NULL DEFAULT 0 CHECK (cleared IN (0, 1))
      ) STRICT;
      CREATE INDEX jobs_visible ON jobs(cleared, id);
      CREATE INDEX jobs_state ON jobs(state);

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};

export default migration;
