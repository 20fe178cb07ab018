// The watch folders and the files the watcher has handed on, as plain functions over the ledger's
// connection (migration 006).
import type Database from 'better-sqlite3';

export interface StoredWatchFolder {
  id: number;
  path: string;
  addedAt: string;
}

export interface WatchStore {
  folders(): StoredWatchFolder[];
  /** Adds `path` (or finds it, when it is already watched). */
  addFolder(path: string): StoredWatchFolder;
  /** True when a folder was removed. */
  removeFolder(id: number): boolean;
  /** Whether this file, at this size and modification time, was already handed on. */
  seen(path: string, size: number, mtimeMs: number): boolean;
  markSeen(path: string, size: number, mtimeMs: number): void;
}

export function watchStore(db: Database.Database): WatchStore {
  const list = db.prepare('SELECT id, path, added_at AS addedAt FROM watch_folders ORDER BY path');
  const insert = db.prepare('INSERT INTO watch_folders (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING');
  const byPath = db.prepare('SELECT id, path, added_at AS addedAt FROM watch_folders WHERE path = ?');
  const remove = db.prepare('DELETE FROM watch_folders WHERE id = ?');
  const seen = db.prepare('SELECT 1 FROM watch_seen WHERE path = ? AND size = ? AND mtime_ms = ?').pluck();
  const mark = db.prepare(
    'INSERT INTO watch_seen (path, size, mtime_ms) VALUES (?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms',
  );
  return {
    folders: () => list.all() as StoredWatchFolder[],
    addFolder(path) {
      insert.run(path, new Date().toISOString());
      return byPath.get(path) as StoredWatchFolder;
    },
    removeFolder: (id) => remove.run(id).changes > 0,
    seen: (path, size, mtimeMs) => seen.get(path, size, Math.trunc(mtimeMs)) !== undefined,
    markSeen: (path, size, mtimeMs) => void mark.run(path, size, Math.trunc(mtimeMs)),
  };
}
