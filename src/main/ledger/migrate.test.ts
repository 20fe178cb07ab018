import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES, type Provenance } from '../../shared/model';
import { newReceipt, shaOf } from './fixtures';
import { Ledger } from './ledger';
import { LedgerVersionError, MIGRATIONS, migrate, schemaVersion, type Migration } from './migrate';
import { MAX_NEW_PAIRS } from './soft-duplicates';

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-test-'));
  path = join(dir, 'ledger.db');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];

describe('migrate', () => {
  it('brings a fresh database to the newest version and records each migration', () => {
    withDb((db) => {
      expect(migrate(db)).toEqual({ from: 0, to: MIGRATIONS.length });
      expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
        { version: 1, name: 'initial' },
        { version: 2, name: 'soft-duplicates' },
        { version: 3, name: 'ocr-notes' },
        { version: 4, name: 'ocr-confidence-unit' },
        { version: 5, name: 'page-turns' },
        { version: 6, name: 'rules-categories' },
        { version: 7, name: 'watch-folders' },
        { version: 8, name: 'field-provenance' },
        { version: 9, name: 'currency-id-index' },
      ]);
      expect(tables(db)).toEqual(expect.arrayContaining(['files', 'receipts', 'receipt_text', 'jobs', 'meta', 'duplicate_pairs']));
    });
  });

  it('does nothing when the database is already current', () => {
    const ledger = Ledger.open(path);
    ledger.setMeta('k', 'v');
    ledger.close();
    withDb((db) => {
      expect(migrate(db)).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
      expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get()).toBe('v');
    });
  });

  it('refuses a ledger written by a newer app version, without touching it', () => {
    withDb((db) => {
      migrate(db);
      db.prepare("INSERT INTO schema_migrations VALUES (?, 'from the future', '2030-01-01')").run(MIGRATIONS.length + 1);
    });
    const [found, known] = [MIGRATIONS.length + 1, MIGRATIONS.length];
    expect(() => Ledger.open(path)).toThrow(LedgerVersionError);
    expect(() => Ledger.open(path)).toThrow(`newer version of Receipt Scanner (schema version ${found}, this app knows up to ${known})`);
    withDb((db) => {
      expect(schemaVersion(db)).toBe(found);
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete'); // not switched to WAL
    });
  });

  it('rolls a failing migration back entirely and keeps the earlier ones', () => {
    const list: Migration[] = [
      { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE one (id INTEGER PRIMARY KEY)') },
      {
        version: 2,
        name: 'broken',
        up: (db) => {
          db.exec('CREATE TABLE two (id INTEGER PRIMARY KEY); INSERT INTO one VALUES (1)');
          throw new Error('disk on fire');
        },
      },
    ];
    withDb((db) => {
      expect(() => migrate(db, list)).toThrow('disk on fire');
      expect(schemaVersion(db)).toBe(1);
      expect(tables(db)).not.toContain('two');
      expect(db.prepare('SELECT count(*) FROM one').pluck().get()).toBe(0);
    });
  });

  it('migrates step by step: rows written at N−1 survive and gain what N adds', () => {
    const list: Migration[] = [
      { version: 1, name: 'notes', up: (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)') },
      { version: 2, name: 'pinned', up: (db) => db.exec('ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0') },
    ];
    withDb((db) => {
      expect(migrate(db, list, 1)).toEqual({ from: 0, to: 1 });
      db.prepare("INSERT INTO notes (body) VALUES ('kept')").run();
      expect(migrate(db, list)).toEqual({ from: 1, to: 2 });
      expect(db.prepare('SELECT body, pinned FROM notes').all()).toEqual([{ body: 'kept', pinned: 0 }]);
    });
  });

  it('002 soft-duplicates: existing receipts get their match key, and duplicates among live ones are flagged', () => {
    const [first, copy] = withDb((db) => {
      migrate(db, MIGRATIONS, 1);
      const receipt = (n: number, merchant: string | null, deleted = false) => insertV1Receipt(db, n, merchant, deleted);
      const first = receipt(1, 'Corner Cafe');
      const copy = receipt(2, 'CORNER CAFÉ');
      const deleted = receipt(3, 'Corner Cafe', true);
      const unknown = receipt(4, null);

      expect(migrate(db, MIGRATIONS, 2)).toEqual({ from: 1, to: 2 });
      const rows = db.prepare('SELECT id, match_key, needs_review, merged_into FROM receipts ORDER BY id').raw().all();
      expect(rows).toEqual([
        [first, 'USD 3390 2024-03-15 cornercafe', 0, null],
        [copy, 'USD 3390 2024-03-15 cornercafe', 1, null],
        [deleted, 'USD 3390 2024-03-15 cornercafe', 0, null],
        [unknown, null, 0, null],
      ]);
      expect(db.prepare('SELECT receipt_id, duplicate_of, state FROM duplicate_pairs').raw().all()).toEqual([[copy, first, 'open']]);
      return [first, copy];
    });
    const ledger = Ledger.open(path);
    try {
      expect(ledger.get(first)).toMatchObject({ possibleDuplicates: [copy], duplicates: [{ thisFlagged: false, receipt: { id: copy } }] });
    } finally {
      ledger.close();
    }
  });

  it('002 flags a receipt against at most the earliest MAX_NEW_PAIRS it matches, as a save would', () => {
    withDb((db) => {
      migrate(db, MIGRATIONS, 1);
      const ids = Array.from({ length: MAX_NEW_PAIRS + 4 }, (_, n) => insertV1Receipt(db, n, 'Corner Cafe'));
      migrate(db);
      const partners = db.prepare('SELECT duplicate_of FROM duplicate_pairs WHERE receipt_id = ? ORDER BY 1').pluck();
      expect(partners.all(ids[1])).toEqual([ids[0]]);
      expect(partners.all(ids.at(-1))).toEqual(ids.slice(0, MAX_NEW_PAIRS));
      expect(db.prepare('SELECT max(n) FROM (SELECT count(*) AS n FROM duplicate_pairs GROUP BY receipt_id)').pluck().get()).toBe(
        MAX_NEW_PAIRS,
      );
    });
  });

  it('003 ocr-notes: receipts read before it keep their text and have no notes; new ones store theirs', () => {
    const old = withDb((db) => {
      migrate(db, MIGRATIONS, 2);
      const id = insertV1Receipt(db, 1, 'Corner Cafe');
      expect(migrate(db, MIGRATIONS, 3)).toEqual({ from: 2, to: 3 });
      expect(db.prepare('SELECT ocr_text, ocr_notes FROM receipt_text WHERE receipt_id = ?').get(id)).toEqual({
        ocr_text: 'text',
        ocr_notes: '[]',
      });
      expect(() => db.prepare("UPDATE receipt_text SET ocr_notes = 'not json'").run()).toThrow(/CHECK constraint/);
      return id;
    });
    const ledger = Ledger.open(path);
    try {
      expect(ledger.get(old)).toMatchObject({ ocrText: 'text', ocrNotes: [] });
      const saved = ledger.saveReceipt(newReceipt('after', {}, { ocrNotes: ['sent a smaller JPEG copy'] }));
      expect(ledger.get(saved.id)?.ocrNotes).toEqual(['sent a smaller JPEG copy']);
    } finally {
      ledger.close();
    }
  });

  it('004 ocr-confidence-unit: OCR confidences stored as 0..100 become 0..1, deleted receipts too; new ones store 0..1', () => {
    withDb((db) => {
      migrate(db, MIGRATIONS, 3);
      const read = insertV1Receipt(db, 1, 'Corner Cafe');
      const deleted = insertV1Receipt(db, 2, 'Corner Cafe', true);
      const pdf = insertV1Receipt(db, 3, 'Corner Cafe');
      db.prepare('UPDATE receipts SET ocr_confidence = 100 WHERE id = ?').run(pdf);
      expect(migrate(db, MIGRATIONS, 4)).toEqual({ from: 3, to: 4 });
      const stored = db.prepare('SELECT id, ocr_confidence FROM receipts ORDER BY id').raw().all();
      expect(stored).toEqual([
        [read, 0.9],
        [deleted, 0.9],
        [pdf, 1],
      ]);
    });
    const ledger = Ledger.open(path);
    const saved = ledger.saveReceipt(newReceipt('after'));
    ledger.close();
    withDb((db) => expect(db.prepare('SELECT ocr_confidence FROM receipts WHERE id = ?').pluck().get(saved.id)).toBe(0.88));
  });

  it('005 page-turns: the turns the notes of receipts read before it tell are stored; new receipts store theirs', () => {
    const [sideways, twoPages, upright] = withDb((db) => {
      migrate(db, MIGRATIONS, 4);
      const notes = (id: number, list: string[]) =>
        db.prepare('UPDATE receipt_text SET ocr_notes = ? WHERE receipt_id = ?').run(JSON.stringify(list), id);
      const ids = [1, 2, 3].map((n) => insertV1Receipt(db, n, 'Corner Cafe'));
      notes(ids[0]!, ['sent a smaller JPEG copy', 'page 1 was sideways; read turned 90° anticlockwise']);
      notes(ids[1]!, ['page 3 was upside down; read turned 180°', 'page 1 was sideways; read turned 90° clockwise']);
      notes(ids[2]!, ['a note that says page 1 was upside down; read turned 180° in passing']);

      expect(migrate(db, MIGRATIONS, 5)).toEqual({ from: 4, to: 5 });
      const turns = db.prepare('SELECT page_turns FROM receipt_text ORDER BY receipt_id').pluck().all();
      expect(turns).toEqual(['[270]', '[90,0,180]', '[]']);
      expect(db.prepare('SELECT ocr_notes FROM receipt_text WHERE receipt_id = ?').pluck().get(ids[1])).toContain('page 3 was upside down');
      expect(() => db.prepare("UPDATE receipt_text SET page_turns = 'not json'").run()).toThrow(/CHECK constraint/);
      return ids;
    });
    const ledger = Ledger.open(path);
    try {
      expect([sideways, twoPages, upright].map((id) => ledger.pageTurns(id!))).toEqual([[270], [90, 0, 180], []]);
      const saved = ledger.saveReceipt(newReceipt('after', {}, { pageTurns: [0, 180] }));
      expect(ledger.pageTurns(saved.id)).toEqual([0, 180]);
      ledger.softDelete([saved.id]);
      expect(ledger.pageTurns(saved.id)).toEqual([]);
    } finally {
      ledger.close();
    }
  });

  it("006 rules-categories: the categories in use join the defaults, merchants as read are kept, every category stays a person's", () => {
    const ids = withDb((db) => {
      migrate(db, MIGRATIONS, 5);
      const ids = [1, 2, 3, 4].map((n) => insertV1Receipt(db, n, ['SHELL 1234', 'Shell', 'Corner Cafe', 'Old Deli'][n - 1]!, n === 4));
      const set = db.prepare('UPDATE receipts SET category = ?, corrected = ? WHERE id = ?');
      set.run('fuel', '[]', ids[0]); // same as the default Fuel, ignoring case
      set.run('Client dinners', '["merchant"]', ids[1]); // a corrected merchant: what was read is unknown
      set.run('Office', '[]', ids[2]);
      set.run('Archive', '[]', ids[3]); // deleted: restoring it must find its category

      expect(migrate(db, MIGRATIONS, 6)).toEqual({ from: 5, to: 6 });
      expect(db.prepare('SELECT name, color FROM categories ORDER BY id').all()).toEqual([
        ...DEFAULT_CATEGORIES.map((name) => ({ name, color: expect.stringMatching(/^#[0-9a-f]{6}$/) })),
        { name: 'Archive', color: null },
        { name: 'Client dinners', color: null },
      ]);
      const rows = db.prepare('SELECT category, merchant_read, category_by_rule FROM receipts ORDER BY id').all();
      expect(rows).toEqual([
        { category: 'fuel', merchant_read: 'SHELL 1234', category_by_rule: 0 },
        { category: 'Client dinners', merchant_read: null, category_by_rule: 0 },
        { category: 'Office', merchant_read: 'Corner Cafe', category_by_rule: 0 },
        { category: 'Archive', merchant_read: 'Old Deli', category_by_rule: 0 },
      ]);
      // A category a receipt gets that is not listed yet is added to the list.
      db.prepare("UPDATE receipts SET category = 'Parking' WHERE id = ?").run(ids[2]);
      expect(db.prepare("SELECT count(*) FROM categories WHERE name = 'parking'").pluck().get()).toBe(1);
      expect(tables(db)).toContain('rules');
      return ids;
    });
    const ledger = Ledger.open(path);
    try {
      expect(ledger.categories()).toEqual([...DEFAULT_CATEGORIES, 'Archive', 'Client dinners', 'Parking']);
      expect(ledger.get(ids[0]!)?.category).toBe('fuel');
    } finally {
      ledger.close();
    }
  });

  it('007 watch-folders: a ledger from before it gains an empty folder list; folders and seen files are kept', () => {
    withDb((db) => {
      migrate(db, MIGRATIONS, 6);
      insertV1Receipt(db, 1, 'Corner Cafe');
      expect(migrate(db, MIGRATIONS, 7)).toEqual({ from: 6, to: 7 });
    });
    const ledger = Ledger.open(path);
    try {
      const store = ledger.watchStore();
      expect(store.folders()).toEqual([]);
      const folder = store.addFolder('/scans/inbox');
      expect(store.addFolder('/scans/inbox')).toEqual(folder);
      store.markSeen('/scans/inbox/a.jpg', 10, 1000.7);
      expect(store.seen('/scans/inbox/a.jpg', 10, 1000)).toBe(true);
      expect(store.seen('/scans/inbox/a.jpg', 11, 1000)).toBe(false);
      expect(store.removeFolder(folder.id)).toBe(true);
      expect(store.folders()).toEqual([]);
      expect(ledger.query({}).total).toBe(1);
    } finally {
      ledger.close();
    }
  });

  it('008 field-provenance: receipts read before it have no boxes; new ones keep theirs, a re-read without geometry drops them', () => {
    const before = withDb((db) => {
      migrate(db, MIGRATIONS, 7);
      const id = insertV1Receipt(db, 1, 'Corner Cafe');
      expect(migrate(db, MIGRATIONS, 8)).toEqual({ from: 7, to: 8 });
      expect(() => db.prepare("INSERT INTO receipt_provenance VALUES (?, 'not json')").run(id)).toThrow(/CHECK constraint/);
      return id;
    });
    const provenance: Provenance = {
      pages: [{ width: 600, height: 900 }],
      fields: { total: [{ page: 0, x0: 400, y0: 700, x1: 480, y1: 722 }] },
      items: [[{ page: 0, x0: 10, y0: 300, x1: 480, y1: 322 }]],
      targets: [{ kind: 'amount', text: '33.90', value: 3390, box: { page: 0, x0: 400, y0: 700, x1: 480, y1: 722 } }],
    };
    const ledger = Ledger.open(path);
    try {
      expect(ledger.get(before)!.provenance).toBeNull();
      const saved = ledger.saveReceipt(newReceipt('after', { provenance }));
      expect(ledger.get(saved.id)!.provenance).toEqual(provenance);
      // Deleted and scanned again from plain text: the old boxes would point at nothing.
      ledger.softDelete([saved.id]);
      ledger.saveReceipt(newReceipt('after'));
      expect(ledger.get(saved.id)!.provenance).toBeNull();
    } finally {
      ledger.close();
    }
  });

  it('009 currency-id-index: the currency index lists live receipts by id within a currency; counts and sums are unchanged', () => {
    withDb((db) => {
      migrate(db, MIGRATIONS, 8);
      insertV1Receipt(db, 1, 'Corner Cafe');
      insertV1Receipt(db, 2, 'Blue Diner');
      insertV1Receipt(db, 3, 'Corner Cafe', true);
      expect(migrate(db)).toEqual({ from: 8, to: 9 });
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'receipts'").pluck().all();
      expect(indexes).toContain('receipts_live_currency_id');
      expect(indexes).not.toContain('receipts_live_currency');
      const columns = (db.pragma('index_info(receipts_live_currency_id)') as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(['currency', 'id', 'total_minor']);
    });
    const ledger = Ledger.open(path);
    try {
      expect(ledger.query({})).toMatchObject({ total: 2, sums: [{ currency: 'USD', minor: 6780 }] });
      ledger.saveReceipt(newReceipt('after', { currency: 'EUR', totalMinor: 500 }));
      expect(ledger.query({}).sums).toEqual([
        { currency: 'EUR', minor: 500 },
        { currency: 'USD', minor: 6780 },
      ]);
    } finally {
      ledger.close();
    }
  });

  it('rejects a migration list with a gap', () => {
    const list: Migration[] = [{ version: 2, name: 'skipped one', up: () => {} }];
    withDb((db) => expect(() => migrate(db, list)).toThrow(/expected 1/));
  });
});

/** A receipt row as schema version 1 stores it, with its file and OCR text. */
function insertV1Receipt(db: Database.Database, n: number, merchant: string | null, deleted = false): number {
  const fileId = db
    .prepare(
      `INSERT INTO files (sha256, size, mime, file_name, source_path, added_at)
              VALUES (?, 1, 'image/jpeg', ?, ?, '2024-01-01')`,
    )
    .run(shaOf(`v1-${n}`), `r${n}.jpg`, `/r${n}.jpg`).lastInsertRowid;
  const id = Number(
    db
      .prepare(
        `INSERT INTO receipts (file_id, merchant, date, total_minor, currency, items, field_confidence,
                  confidence, needs_review, warnings, corrected, ocr_confidence, engine, scanned_at, updated_at, deleted_at)
                VALUES (?, ?, '2024-03-15', 3390, 'USD', '[]', '{}', 0.9, 0, '[]', '[]', 90, 'tesseract', 'x', 'x', ?)`,
      )
      .run(fileId, merchant, deleted ? '2024-02-01' : null).lastInsertRowid,
  );
  db.prepare("INSERT INTO receipt_text (receipt_id, ocr_text) VALUES (?, 'text')").run(id);
  return id;
}
