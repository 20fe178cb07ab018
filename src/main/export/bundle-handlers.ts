// The accountant-bundle channel: main asks where to save, then streams the ZIP there.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Handlers } from '../ipc/dispatch';
import type { Dialogs } from '../ipc/handlers';
import type { Ledger } from '../ledger/ledger';
import { makeThumbnail } from '../ocr/prepare';
import { exportBundle } from './bundle';

/** Longest side of a receipt's image on its PDF page: sharp enough to read at A4, small enough to stay light. */
const PDF_IMAGE_PX = 1600;

export function bundleHandlers(ledger: Ledger, dialogs: Dialogs): Pick<Handlers, 'export:bundle'> {
  return {
    'export:bundle': async ({ filter, pdf }) => {
      const target = await dialogs.saveBundlePath(`receipts-${new Date().toISOString().slice(0, 10)}.zip`);
      if (!target) return { path: null, receipts: 0, files: 0, missing: 0, bytes: 0 };
      if (!existsSync(dirname(target))) throw new Error(`cannot export: the folder ${dirname(target)} does not exist`);
      const result = await exportBundle(ledger.exportRows(filter), target, {
        // Drawn as the detail view shows it: the first page read, the way OCR read it.
        pageImage: pdf ? (e) => makeThumbnail(e.path, e.mime, PDF_IMAGE_PX, ledger.pageAsRead(e.id, 0, e.mime) ?? {}) : undefined,
      });
      return { path: target, ...result };
    },
  };
}
