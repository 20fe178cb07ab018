// Composition root: builds the ledger, OCR engine and queue from settings and binds the contract's
// handlers to them. The Electron shell, the CLI, the e2e harness and tests all start the app here, so
// they run the same code path.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EventChannel, Events } from '../shared/contract';
import { Ledger } from './ledger/ledger';
import { ScanQueue } from './queue/scan-queue';
import { SettingsStore, type StoredSettings } from './settings';
import { createDispatch, type Dispatch } from './ipc/dispatch';
import { createHandlers, type Dialogs } from './ipc/handlers';
import type { SecretStore } from './secret-store';
import { EngineSwitch } from './ocr/engine-switch';
import type { PaddleEngineOptions } from './ocr/paddle/paddle-engine';
import { downloadReceipt, removePartialDownloads } from './net/download';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS } from './ingest/limits';
import { UserError } from './user-error';
import { WatchService } from './watch/watch-service';

export interface AppOptions {
  ledgerPath: string;
  /** JSON settings file; without it settings live in memory (CLI, tests). */
  settingsPath?: string;
  /** Applied on top of stored settings for this run only (CLI flags). */
  overrides?: Partial<StoredSettings>;
  /** Where downloaded receipts are kept; default: a folder beside the ledger. */
  receiptStoreDir?: string;
  ocrWorkers?: number;
  /** The PP-OCR engine's own options (tests give it model files that do not load). */
  paddle?: PaddleEngineOptions;
  dialogs?: Dialogs;
  secrets?: SecretStore;
  /** better-sqlite3 binary built for Electron (the Node build is used otherwise). */
  nativeBinding?: string;
  /** Re-queue jobs a crash left unfinished (default true). */
  resume?: boolean;
  fileTimeoutMs?: number;
  limits?: { maxBytes?: number; maxPixels?: number };
  /** Where unexpected request failures are logged (default console.error). */
  logError?: (error: unknown) => void;
  /** Start watching the stored watch folders (default true; the CLI watches only what it is told to). */
  watchFolders?: boolean;
  /** Watch-folder timing (tests shorten it); see watch/folder-watcher.ts. */
  watchTiming?: { settleMs?: number; rescanMs?: number };
}

export interface App {
  dispatch: Dispatch;
  onEvent(listener: <E extends EventChannel>(event: E, payload: Events[E]) => void): () => void;
  readonly ledger: Ledger;
  readonly queue: ScanQueue;
  readonly settings: SettingsStore;
  readonly watch: WatchService;
  /** Why the chosen local engine cannot run on this computer (tesseract reads instead); null when it can. */
  engineProblem(): string | null;
  close(): Promise<void>;
}

const noDesktop: Dialogs = {
  pickPaths: async () => {
    throw new UserError('file dialogs are only available in the desktop app');
  },
  saveCsvPath: async () => {
    throw new UserError('the save dialog is only available in the desktop app; the command line exports with --out');
  },
  saveBundlePath: async () => {
    throw new Error('the save dialog is only available in the desktop app');
  },
};

export function memorySecrets(initial: string | null = null): SecretStore {
  let value = initial;
  return { get: () => value, set: (v) => (value = v), protection: 'memory' };
}

const DEFAULT_LIMITS = { maxBytes: DEFAULT_MAX_FILE_BYTES, maxPixels: DEFAULT_MAX_PIXELS };
const DEFAULT_FILE_TIMEOUT_MS = 5 * 60_000;

export async function createApp(options: AppOptions): Promise<App> {
  const settings = new SettingsStore(options.settingsPath);
  const current = () => ({ ...settings.get(), ...options.overrides });
  const secrets = options.secrets ?? memorySecrets();
  const ledger = Ledger.open(options.ledgerPath, { nativeBinding: options.nativeBinding });
  const events = new EventEmitter();
  const emit = <E extends EventChannel>(event: E, payload: Events[E]) => events.emit('event', event, payload);

  const ocrWorkers = options.ocrWorkers ?? availableParallelism();
  const engine = new EngineSwitch({ ocrWorkers, secrets, paddle: options.paddle });
  engine.configure(current());
  const engineProblem = () => engine.problem;

  const receiptStoreDir = options.receiptStoreDir ?? join(dirname(options.ledgerPath), 'downloads');
  // Downloads cut off by a crash; none of this run has started yet.
  await removePartialDownloads(receiptStoreDir);
  // A few more files in flight than OCR workers, so reading and preparing overlap recognition.
  const filesInFlight = () => current().concurrency + 1;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // Private (0700) copies of the files being read: OCR reads exactly the bytes that were hashed.
  const workDir = await mkdtemp(join(tmpdir(), 'receipt-scanner-reading-'));
  const queue = new ScanQueue(
    ledger,
    {
      engine,
      settings: current,
      limits,
      workDir,
      download: async (url, signal, onProgress) => (await downloadReceipt(url, { destDir: receiptStoreDir, signal, onProgress })).path,
    },
    {
      concurrency: filesInFlight(),
      fileTimeoutMs: options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS,
      walk: { maxFileBytes: limits.maxBytes },
      onProgress: (payload) => emit('queue:progress', payload),
      onSaved: (ids) => emit('ledger:changed', { ids }),
      onNotice: (message) => emit('app:notice', { level: 'error', message }),
    },
  );

  const watch = new WatchService({
    store: ledger.watchStore(),
    addPaths: (paths) => queue.addPaths(paths),
    hasSha: (sha) => ledger.findReceiptBySha(sha) !== null,
    onNotice: (message) => emit('app:notice', { level: 'warning', message }),
    ...options.watchTiming,
  });
  const handlers = createHandlers({
    watch,
    ledger,
    queue,
    settings,
    secrets,
    dialogs: options.dialogs ?? noDesktop,
    ledgerPath: options.ledgerPath,
    addUrl: async (url) => queue.addUrl(url),
    ledgerChanged: (ids) => emit('ledger:changed', { ids }),
    onSettingsChanged: async () => {
      queue.concurrency = filesInFlight();
      await engine.configure(current());
    },
    engineProblem,
  });
  const dispatch = createDispatch(handlers, options.logError);
  if (options.resume ?? true) queue.resume();
  if (options.watchFolders ?? true) await watch.resume();

  return {
    dispatch,
    onEvent(listener) {
      const wrapped = (event: EventChannel, payload: Events[EventChannel]) => listener(event, payload as never);
      events.on('event', wrapped);
      return () => events.off('event', wrapped);
    },
    ledger,
    queue,
    settings,
    watch,
    engineProblem,
    async close() {
      await watch.close();
      await queue.close();
      await engine.close();
      ledger.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
