// Small app state kept with the ledger (e.g. the last export folder), as key → text.
import type { Connection } from './connection';

const GET_META = 'SELECT value FROM meta WHERE key = ?';
const SET_META = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

export function getMeta(c: Connection, key: string): string | null {
  return (c.pluck(GET_META).get(key) as string | undefined) ?? null;
}

export function setMeta(c: Connection, key: string, value: string): void {
  c.prepare(SET_META).run(key, value);
}
