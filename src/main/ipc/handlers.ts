// The contract's invoke channels bound to the app's services. Plain Node: the Electron shell, the e2e
// harness and tests all reach these through createDispatch.
import { existsSync } from 'node:fs';
import type { Settings } from '../../shared/model';
import type { Ledger } from '../ledger/ledger';
import type { ScanQueue } from '../queue/scan-queue';
import type { SettingsStore } from '../settings';
import { exportLedgerCsv } from '../export/ledger-csv';
import { bundleHandlers } from '../export/bundle-handlers';
import { watchHandlers } from '../watch/handlers';
import type { WatchService } from '../watch/watch-service';
import { makeThumbnail } from '../ocr/prepare';
import { NotFoundError, type Handlers } from './dispatch';
import { createRulesHandlers } from './handlers-rules';
import { bindKey, keyFor, type SecretStore } from '../secret-store';

/**
 * What only the desktop shell can do; stand-ins are used where there is no desktop (tests, harness).
 * Paths the person chooses in these dialogs stay in main.
 */
export interface Dialogs {
  pickPaths(kind: 'files' | 'folder'): Promise<string[]>;
  saveCsvPath(defaultName: string): Promise<string | null>;
  saveBundlePath(defaultName: string): Promise<string | null>;
}

export interface HandlerContext {
  ledger: Ledger;
  queue: ScanQueue;
  settings: SettingsStore;
  secrets: SecretStore;
  dialogs: Dialogs;
  watch: WatchService;
  ledgerPath: string;
  addUrl(url: string): Promise<{ batchId: string; queued: number }>;
  /** Tells every window that these receipts changed. */
  ledgerChanged(ids: number[]): void;
  /** Applies settings that change running services (engine, concurrency). */
  onSettingsChanged(): Promise<void>;
  /** Why the chosen local engine cannot run on this computer; null when it can (or has not been tried). */
  engineProblem(): string | null;
}

export function createHandlers(ctx: HandlerContext): Handlers {
  const { ledger, queue } = ctx;
  const settingsView = (): Settings => ({
    ...ctx.settings.get(),
    ledgerPath: ctx.ledgerPath,
    // A key saved for another address does not count: it is not sent there.
    ocrSpaceKeySet: 'key' in keyFor(ctx.secrets, ctx.settings.get().ocrSpaceUrl),
    ocrSpaceKeyProtection: ctx.secrets.protection,
    localEngineProblem: ctx.engineProblem(),
  });
  const mustGet = (id: number) => {
    const receipt = ledger.get(id);
    if (!receipt) throw new NotFoundError(`receipt ${id} does not exist (it may have been deleted)`);
    return receipt;
  };

  return {
    ...createRulesHandlers(ctx),
    'scan:add-dropped': ({ paths }) => queue.addPaths(paths),
    'scan:pick': async ({ kind }) => {
      const paths = await ctx.dialogs.pickPaths(kind);
      if (paths.length === 0) return { picked: false, queued: 0 };
      return { picked: true, queued: (await queue.addPaths(paths)).queued };
    },
    'scan:add-url': ({ url }) => ctx.addUrl(url),
    'scan:cancel': ({ jobId }) => ({ cancelled: queue.cancel(jobId) }),
    'scan:retry': ({ jobId }) => ({ requeued: queue.retry(jobId) }),
    'scan:clear-finished': () => ({ cleared: queue.clearFinished() }),
    'queue:list': () => queue.list(),
    'ledger:query': (query) => ledger.query(query),
    'ledger:get': ({ id }) => mustGet(id),
    'ledger:update': ({ id, patch }) => {
      mustGet(id);
      const receipt = ledger.update(id, patch);
      ctx.ledgerChanged([id]);
      return receipt;
    },
    'ledger:delete': ({ ids }) => {
      const deleted = ledger.softDelete(ids);
      ctx.ledgerChanged(ids);
      return { deleted };
    },
    'ledger:restore': ({ ids }) => {
      const restored = ledger.restore(ids);
      ctx.ledgerChanged(ids);
      return { restored };
    },
    'ledger:resolve-duplicate': ({ id, otherId, action }) => {
      const receipt = ledger.resolveDuplicate(id, otherId, action);
      ctx.ledgerChanged([id, otherId]);
      return receipt;
    },
    'ledger:thumbnail': async ({ id, maxSize, file, page = 0 }) => {
      const source = ledger.sourceOf(id, file);
      if (!source) throw new NotFoundError(file ? `receipt ${id} has no merged file ${file}` : `receipt ${id} does not exist`);
      if (!existsSync(source.path)) throw new NotFoundError(`the original file is no longer at ${source.path}`);
      // A merged-in file is shown as it is, its first page: its reading is not kept.
      const shown = file ? { filePage: 1, turn: 0 as const } : ledger.pageAsRead(id, page, source.mime);
      if (!shown) throw new NotFoundError(`receipt ${id} has no page ${page + 1}`);
      const thumb = await makeThumbnail(source.path, source.mime, maxSize ?? 800, shown);
      return { dataUrl: `data:image/jpeg;base64,${thumb.data.toString('base64')}`, width: thumb.width, height: thumb.height };
    },
    'ledger:summary': (filter) => ({ rows: ledger.summary(filter) }),
    'ledger:categories': () => ({ categories: ledger.categories() }),
    'export:csv': async ({ filter }) => {
      const target = await ctx.dialogs.saveCsvPath(`receipts-${new Date().toISOString().slice(0, 10)}.csv`);
      if (!target) return { path: null, rows: 0 };
      return exportLedgerCsv(ledger, filter, target);
    },
    'settings:get': () => settingsView(),
    'settings:set': async ({ ocrSpaceKey, ...patch }) => {
      ctx.settings.set(patch);
      // Bound to the address as it is after this change, so a key and a new address can be given together.
      if (ocrSpaceKey !== undefined) ctx.secrets.set(ocrSpaceKey === '' ? null : bindKey(ocrSpaceKey, ctx.settings.get().ocrSpaceUrl));
      await ctx.onSettingsChanged();
      return settingsView();
    },
    ...watchHandlers(ctx.watch, ctx.dialogs),
    ...bundleHandlers(ledger, ctx.dialogs),
  };
}
