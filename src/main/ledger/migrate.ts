// Applies the ledger's numbered migrations, each in its own transaction, and records them in
// schema_migrations, so a database always sits at exactly one known version.
import type Database from 'better-sqlite3';
import initial from './migrations/001-initial';
import softDuplicates from './migrations/002-soft-duplicates';
import ocrNotes from './migrations/003-ocr-notes';
import ocrConfidenceUnit from './migrations/004-ocr-confidence-unit';
import pageTurns from './migrations/005-page-turns';
import rulesCategories from './migrations/006-rules-categories';
import watchFolders from './migrations/007-watch-folders';
import fieldProvenance from './migrations/008-field-provenance';
import currencyIdIndex from './migrations/009-currency-id-index';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** Every migration the app knows, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  softDuplicates,
  ocrNotes,
  ocrConfidenceUnit,
  pageTurns,
  rulesCategories,
  watchFolders,
  fieldProvenance,
  currencyIdIndex,
];

/** The ledger was written by a newer version of the app; opening it could damage it. */
export class LedgerVersionError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `This ledger was created by a newer version of Receipt Scanner (schema version ${found}, this app knows up to ${known}). ` +
        'Update the app to open it.',
    );
    this.name = 'LedgerVersionError';
  }
}

export function schemaVersion(db: Database.Database): number {
  ensureTable(db);
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Brings `db` up to `target` (default: the newest of `migrations`). Returns the versions before and after.
 * A migration that throws is rolled back entirely and the error is rethrown; earlier ones stay applied.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = migrations.at(-1)?.version ?? 0,
): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  const from = schemaVersion(db);
  if (from > known) throw new LedgerVersionError(from, known);

  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
  return { from, to: schemaVersion(db) };
}

function ensureTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
}
