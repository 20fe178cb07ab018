// The one connection every ledger function works over (as in Signal Desktop's ts/sql/server: plain
// functions per concern taking the database), with its prepared statements and the soft-duplicate index.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';
import { SoftDuplicates } from './soft-duplicates';

export const BUSY_TIMEOUT_MS = 5000;

export class Connection {
  readonly dups: SoftDuplicates;
  /** Read-only connections of exports in progress, closed with this one. */
  readonly readers: Set<Database.Database> = new Set();
  private readonly rows = new Map<string, Database.Statement>();
  private readonly plucked = new Map<string, Database.Statement>();

  /** Opens (creating if needed) the database at `path`, or an in-memory one for ':memory:', migrated. */
  static open(path: string, nativeBinding?: string): Connection {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { nativeBinding });
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('foreign_keys = ON');
      // First, so that a ledger from a newer app version is refused before anything about it changes.
      migrate(db);
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL survives an app crash; a power cut may drop the last commits but never half of one.
      db.pragma('synchronous = NORMAL');
      // The default 2 MB page cache cannot hold a common search term's index pages beside the rows it
      // finds, so each search read them from the OS again; 32 MB can (pages are only taken as used).
      db.pragma('cache_size = -32768');
      return new Connection(db, path, nativeBinding);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    readonly db: Database.Database,
    readonly path: string,
    readonly nativeBinding: string | undefined,
  ) {
    this.dups = new SoftDuplicates(db);
  }

  /** The statement for `sql`, prepared once per connection; rows come as objects named by the columns' AS. */
  prepare(sql: string): Database.Statement {
    return cached(this.rows, sql, () => this.db.prepare(sql));
  }

  /** As prepare, for statements whose rows are their first column's value. */
  pluck(sql: string): Database.Statement {
    return cached(this.plucked, sql, () => this.db.prepare(sql).pluck());
  }

  /** Runs `fn` in one transaction; IMMEDIATE takes the write lock first, so no other connection slips in between. */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Closes the connection and any export still reading; closing twice is harmless. */
  close(): void {
    if (!this.db.open) return;
    for (const reader of this.readers) reader.close();
    // Lets SQLite refresh the planner's statistics where they are stale (cheap; recommended before closing).
    this.db.pragma('optimize');
    this.db.close();
  }
}

function cached(cache: Map<string, Database.Statement>, sql: string, prepare: () => Database.Statement) {
  let statement = cache.get(sql);
  if (!statement) {
    statement = prepare();
    cache.set(sql, statement);
  }
  return statement;
}

export function now(): string {
  return new Date().toISOString();
}
