// Watch folders (issue 14): the folders a person asked to watch, and the files the watcher has already
// handed on, so a restart or a rescan never queues a known file again.
// A released migration is never edited: later changes go in a new numbered file.
import type { Migration } from '../migrate';

const migration: Migration = {
  version: 7,
  name: 'watch-folders',
  up(db) {
    db.exec(`
      CREATE TABLE watch_folders (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL
      );
      -- One row per file path, whichever folder (or CLI run) saw it: size and mtime tell a changed file.
      CREATE TABLE watch_seen (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};

export default migration;
