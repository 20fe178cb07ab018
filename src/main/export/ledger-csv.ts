// Writes the ledger (or the filtered rows) as CSV to a path the local user chose: main's save dialog in
// the app, --out on the command line. Never a path from the renderer.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LedgerFilter } from '../../shared/model';
import type { Ledger } from '../ledger/ledger';
import { UserError } from '../user-error';
import { exportCsv } from './csv';

export async function exportLedgerCsv(ledger: Ledger, filter: LedgerFilter | undefined, target: string) {
  if (!existsSync(dirname(target))) throw new UserError(`cannot export: the folder ${dirname(target)} does not exist`);
  const { rows } = await exportCsv(ledger.exportRows(filter), target);
  return { path: target, rows };
}
