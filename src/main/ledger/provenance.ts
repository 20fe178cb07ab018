// Field provenance kept with a receipt (migration 006): written with each scan, read with its detail.
import type Database from 'better-sqlite3';
import type { Provenance } from '../../shared/model';

/** Replaces what is kept for `receiptId`; a reading without geometry leaves none (an older reading's boxes would be wrong). */
export function putProvenance(db: Database.Database, receiptId: number, provenance: Provenance | undefined): void {
  if (provenance) {
    db.prepare(
      `INSERT INTO receipt_provenance (receipt_id, provenance) VALUES (?, ?)
       ON CONFLICT (receipt_id) DO UPDATE SET provenance = excluded.provenance`,
    ).run(receiptId, JSON.stringify(provenance));
  } else db.prepare('DELETE FROM receipt_provenance WHERE receipt_id = ?').run(receiptId);
}

export function readProvenance(db: Database.Database, receiptId: number): Provenance | null {
  const json = db.prepare('SELECT provenance FROM receipt_provenance WHERE receipt_id = ?').pluck().get(receiptId) as string | undefined;
  return json === undefined ? null : (JSON.parse(json) as Provenance);
}
