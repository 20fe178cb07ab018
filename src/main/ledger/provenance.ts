// Field provenance kept with a receipt (migration 008): written with each scan, read with its detail.
import type { Provenance } from '../../shared/model';
import type { Connection } from './connection';

const PUT = `INSERT INTO receipt_provenance (receipt_id, provenance) VALUES (?, ?)
  ON CONFLICT (receipt_id) DO UPDATE SET provenance = excluded.provenance`;
const DROP = 'DELETE FROM receipt_provenance WHERE receipt_id = ?';
const READ = 'SELECT provenance FROM receipt_provenance WHERE receipt_id = ?';

/** Replaces what is kept for `receiptId`; a reading without geometry leaves none (an older reading's boxes would be wrong). */
export function putProvenance(c: Connection, receiptId: number, provenance: Provenance | undefined): void {
  if (provenance) c.prepare(PUT).run(receiptId, JSON.stringify(provenance));
  else c.prepare(DROP).run(receiptId);
}

export function readProvenance(c: Connection, receiptId: number): Provenance | null {
  const json = c.pluck(READ).get(receiptId) as string | undefined;
  return json === undefined ? null : (JSON.parse(json) as Provenance);
}
