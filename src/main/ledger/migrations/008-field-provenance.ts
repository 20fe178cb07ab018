// Where each field of a receipt was read (page boxes), and the amounts, dates and lines recognised on
// it, so the detail view can draw them and a person can pick the right one. Receipts read before this
// version have none: their words' boxes were never kept.
// A released migration is never edited: later changes go in a new numbered file.
import type { Migration } from '../migrate';

const migration: Migration = {
  version: 8,
  name: 'field-provenance',
  up(db) {
    db.exec(`
      CREATE TABLE receipt_provenance (
        receipt_id INTEGER PRIMARY KEY REFERENCES receipts(id),
        -- Provenance (src/shared/model.ts) as JSON: pages, field boxes, item boxes, targets.
        provenance TEXT NOT NULL CHECK (json_valid(provenance))
      ) STRICT;
    `);
  },
};

export default migration;
