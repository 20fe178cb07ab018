// Editable categories and rules learned from corrections.
// - categories: the list people pick from, with a colour. Receipts keep their category as text (filters,
//   summary, search and export read it unchanged); the table holds every name in use, compared ignoring
//   case, and a trigger adds any new name a receipt gets. Seeded with the defaults, then the ledger's own.
// - receipts.merchant_read: the merchant as the scanner read it, which rules match on; a correction
//   replaces `merchant` but never this. Known for receipts whose merchant nobody corrected yet.
// - receipts.category_by_rule: 1 when a rule chose the category, 0 when a person did (every category
//   before this version was a person's: categories are never extracted). A rule never overrides a person.
// - rules: normalised merchant-as-read → the name and/or category to file it under.
// A released migration is never edited: later changes go in a new numbered file.
import { DEFAULT_CATEGORIES } from '../../../shared/model';
import type { Migration } from '../migrate';

/** Colours the default categories start with (the spending chart's), people change them in the Rules screen. */
export const DEFAULT_CATEGORY_COLORS: Record<(typeof DEFAULT_CATEGORIES)[number], string> = {
  Meals: '#e4572e',
  Groceries: '#3aa05b',
  Travel: '#2f7fd8',
  Fuel: '#d99a1e',
  Lodging: '#8a5cd1',
  Office: '#1aa3a3',
  Utilities: '#c8479a',
  Other: '#7d8794',
};

const migration: Migration = {
  version: 6,
  name: 'rules-categories',
  up(db) {
    db.exec(`
      CREATE TABLE categories (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
        color TEXT CHECK (color IS NULL OR color GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')
      ) STRICT;

      ALTER TABLE receipts ADD COLUMN merchant_read TEXT;
      ALTER TABLE receipts ADD COLUMN category_by_rule INTEGER NOT NULL DEFAULT 0 CHECK (category_by_rule IN (0, 1));
      UPDATE receipts SET merchant_read = merchant
        WHERE NOT EXISTS (SELECT 1 FROM json_each(corrected) WHERE value = 'merchant');

      CREATE TABLE rules (
        id INTEGER PRIMARY KEY,
        match_key TEXT NOT NULL UNIQUE CHECK (match_key <> ''),
        -- The merchant as read that the rule was made from, shown to people ("SHELL 1234").
        example TEXT NOT NULL,
        merchant TEXT CHECK (merchant IS NULL OR length(trim(merchant)) > 0),
        category_id INTEGER REFERENCES categories(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (merchant IS NOT NULL OR category_id IS NOT NULL)
      ) STRICT;
      CREATE INDEX rules_category ON rules(category_id);

      CREATE TRIGGER receipts_category_known_insert AFTER INSERT ON receipts WHEN trim(NEW.category) <> ''
      BEGIN INSERT OR IGNORE INTO categories (name) VALUES (NEW.category); END;
      CREATE TRIGGER receipts_category_known_update AFTER UPDATE OF category ON receipts WHEN trim(NEW.category) <> ''
      BEGIN INSERT OR IGNORE INTO categories (name) VALUES (NEW.category); END;
    `);
    const add = db.prepare('INSERT OR IGNORE INTO categories (name, color) VALUES (?, ?)');
    for (const name of DEFAULT_CATEGORIES) add.run(name, DEFAULT_CATEGORY_COLORS[name]);
    // Deleted receipts' categories too: restoring one must find its category listed.
    const used = db
      .prepare('SELECT DISTINCT category FROM receipts WHERE category IS NOT NULL ORDER BY category COLLATE NOCASE, category')
      .pluck()
      .all() as string[];
    for (const name of used) if (name.trim() !== '') add.run(name, null);
  },
};

export default migration;
