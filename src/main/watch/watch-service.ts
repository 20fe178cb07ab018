// The app's watch folders: kept in the ledger (so watching survives restarts), one FolderWatcher each.
// A settled file is queued exactly as a dropped one is, unless it is already known: a version the
// watcher handed on before (path, size, mtime), or content already in the ledger (sha-256). Known
// files are passed over silently, so a restart or rescan never fills the queue with "duplicate" rows.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { WatchFolder } from '../../shared/contract';
import { ReceiptFileError, fsErrorReason } from '../ingest/errors';
import type { StoredWatchFolder, WatchStore } from '../ledger/watch-folders';
import { FolderWatcher, RESCAN_MS, type FileVersion } from './folder-watcher';

export interface WatchDeps {
  store: WatchStore;
  /** Queues files as a drop does. */
  addPaths(paths: string[]): Promise<unknown>;
  /** Whether a live receipt already has this content. */
  hasSha(sha256: string): boolean;
  onNotice(message: string): void;
  settleMs?: number;
  rescanMs?: number;
}

export class WatchService {
  private readonly watchers = new Map<number, FolderWatcher>();
  private readonly problems = new Map<number, string>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: WatchDeps) {}

  /** Starts watching every stored folder (at app start); one that is not there is tried again at each rescan. */
  async resume(): Promise<void> {
    await this.startAll();
    this.retryTimer ??= setInterval(() => void this.startAll(), this.deps.rescanMs ?? RESCAN_MS).unref();
  }

  private async startAll(): Promise<void> {
    await Promise.all(this.deps.store.folders().map((folder) => this.start(folder)));
  }

  list(): WatchFolder[] {
    return this.deps.store.folders().map((folder) => {
      const problem = this.problems.get(folder.id);
      return problem === undefined ? folder : { ...folder, problem };
    });
  }

  /** Adds a folder and starts watching it; files already in it are queued unless known. */
  async add(path: string): Promise<WatchFolder> {
    const folder = this.deps.store.addFolder(await checkFolder(path));
    await this.start(folder);
    return this.list().find((f) => f.id === folder.id)!;
  }

  /** Stops watching at once and forgets the folder; false when there was no such folder. */
  async remove(id: number): Promise<boolean> {
    const removed = this.deps.store.removeFolder(id);
    const watcher = this.watchers.get(id);
    this.watchers.delete(id);
    this.problems.delete(id);
    await watcher?.close();
    return removed;
  }

  /** Watches a folder for this run only (the CLI's --watch); the caller closes it. */
  async watchOnce(path: string): Promise<FolderWatcher> {
    const watcher = this.watcher(await checkFolder(path));
    await watcher.start();
    return watcher;
  }

  async close(): Promise<void> {
    clearInterval(this.retryTimer);
    const watchers = [...this.watchers.values()];
    this.watchers.clear();
    await Promise.all(watchers.map((w) => w.close()));
  }

  private async start(folder: StoredWatchFolder): Promise<void> {
    if (this.watchers.has(folder.id)) return;
    try {
      await checkFolder(folder.path);
    } catch (error) {
      this.problems.set(folder.id, (error as Error).message);
      return;
    }
    // Checked again after the wait: removed meanwhile, or started by a concurrent retry.
    if (this.watchers.has(folder.id) || !this.deps.store.folders().some((f) => f.id === folder.id)) return;
    this.problems.delete(folder.id);
    const watcher = this.watcher(folder.path);
    this.watchers.set(folder.id, watcher);
    await watcher.start();
  }

  private watcher(root: string): FolderWatcher {
    const { store } = this.deps;
    return new FolderWatcher(root, {
      known: (path, v) => store.seen(path, v.size, v.mtimeMs),
      onFile: (path, v) => this.handOn(path, v),
      onError: (message) => this.deps.onNotice(message),
      settleMs: this.deps.settleMs,
      rescanMs: this.deps.rescanMs,
    });
  }

  private async handOn(path: string, version: FileVersion): Promise<void> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    if (!this.deps.hasSha(hash.digest('hex'))) await this.deps.addPaths([path]);
    // Marked after queueing: a crash in between queues the file once more rather than losing it.
    this.deps.store.markSeen(path, version.size, version.mtimeMs);
  }
}

/** The absolute path of an existing folder, or a one-line reason why it cannot be watched. */
async function checkFolder(path: string): Promise<string> {
  if (!isAbsolute(path)) throw new ReceiptFileError(`cannot watch ${path}: give the folder's full path`, 'not_a_file');
  const absolute = resolve(path);
  try {
    if ((await stat(absolute)).isDirectory()) return absolute;
  } catch (error) {
    throw new ReceiptFileError(`cannot watch ${absolute}: the folder ${fsErrorReason(error)}`, 'unreadable');
  }
  throw new ReceiptFileError(`cannot watch ${absolute}: it is not a folder`, 'not_a_file');
}
