import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from './ledger';
import { LedgerVersionError, MIGRATIONS, migrate, schemaVersion, type Migration } from './migrate';

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
      expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([{ version: 1, name: 'initial' }]);
      expect(tables(db)).toEqual(expect.arrayContaining(['files', 'receipts', 'receipt_text', 'jobs', 'meta']));
    });
  });

  it('does nothing when the database is already current', () => {
    const ledger = Ledger.open(path);
    ledger.setMeta('k', 'v');
    ledger.close();
    withDb((db) => {
      expect(migrate(db)).toEqual({ from: 1, to: 1 });
      expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(1);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'k'").pluck().get()).toBe('v');
    });
  });

  it('refuses a ledger written by a newer app version, without touching it', () => {
    withDb((db) => {
      migrate(db);
      db.prepare("INSERT INTO schema_migrations VALUES (2, 'from the future', '2030-01-01')").run();
    });
    expect(() => Ledger.open(path)).toThrow(LedgerVersionError);
    expect(() => Ledger.open(path)).toThrow(/newer version of Receipt Scanner \(schema version 2, this app knows up to 1\)/);
    withDb((db) => {
      expect(schemaVersion(db)).toBe(2);
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

  it('rejects a migration list with a gap', () => {
    const list: Migration[] = [{ version: 2, name: 'skipped one', up: () => {} }];
    withDb((db) => expect(() => migrate(db, list)).toThrow(/expected 1/));
  });
});
