// Watches one folder (and its subfolders) for new receipt files and hands each on once it has settled.
// The OS's file events (chokidar over fs.watch: inotify, FSEvents, ReadDirectoryChangesW) say where to
// look; a slow periodic rescan catches what events miss (network shares often send none). Only files
// that an event or the rescan names are stat'ed, and a file being written is checked once per settle
// interval, so thousands of quiet files cost nothing between rescans.
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/** A file whose size and modification time stay the same this long is taken to be completely written. */
export const SETTLE_MS = 2000;
/** How often the whole folder is listed again, for shares and file systems that send no events. */
export const RESCAN_MS = 5 * 60_000;

export interface FileVersion {
  size: number;
  mtimeMs: number;
}

export interface FolderWatcherOptions {
  /** Whether this version of the file was already handed on (it is then left alone). */
  known(path: string, version: FileVersion): boolean;
  /** A new or changed file has settled. Called once per version; errors go to onError. */
  onFile(path: string, version: FileVersion): Promise<void>;
  onError(message: string): void;
  settleMs?: number;
  rescanMs?: number;
}

/** Hidden files and the partial files browsers and sync tools write before renaming them into place. */
const PARTIAL = /^(?:\.|~\$)|\.(?:part|partial|crdownload|download|tmp|temp)$/i;

export function isPartialName(path: string): boolean {
  return PARTIAL.test(basename(path));
}

export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  /** Files waiting to settle: the version last seen and the timer of the next look. */
  private readonly settling = new Map<string, { version: FileVersion; timer: NodeJS.Timeout }>();
  private closed = false;
  private readonly settleMs: number;
  private readonly rescanMs: number;

  constructor(
    readonly root: string,
    private readonly options: FolderWatcherOptions,
  ) {
    this.settleMs = options.settleMs ?? SETTLE_MS;
    this.rescanMs = options.rescanMs ?? RESCAN_MS;
  }

  /** Starts watching; resolves once the files already there have been looked at. */
  async start(): Promise<void> {
    const watcher = watch(this.root, {
      ignored: (path) => path !== this.root && isPartialName(path),
      ignoreInitial: false,
      ignorePermissionErrors: true,
      persistent: true,
    });
    this.watcher = watcher;
    watcher.on('add', (path) => this.consider(path));
    watcher.on('change', (path) => this.consider(path));
    watcher.on('error', (error) => this.options.onError(`watching ${this.root}: ${(error as Error).message}`));
    await new Promise<void>((resolve) => watcher.once('ready', resolve));
    this.rescanTimer = setInterval(() => void this.rescan(), this.rescanMs);
    this.rescanTimer.unref();
  }

  /** Lists the folder again and looks at every file in it (what the periodic fallback does). */
  async rescan(): Promise<void> {
    let entries;
    try {
      entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (error) {
      this.options.onError(`cannot list ${this.root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return;
    }
    for (const entry of entries) {
      if (this.closed) return;
      const path = join(entry.parentPath, entry.name);
      if (entry.isFile() && !isPartialName(path)) await this.consider(path);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.rescanTimer);
    for (const { timer } of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
    await this.watcher?.close();
  }

  /** A file an event or the rescan named: unless it is known or already settling, it starts to settle. */
  private async consider(path: string): Promise<void> {
    if (this.closed || this.settling.has(path)) return;
    const version = await versionOf(path);
    // An empty file is still being created; its first write brings a change event (or the rescan) back here.
    if (!version || version.size === 0 || this.closed || this.settling.has(path) || this.options.known(path, version)) return;
    this.wait(path, version);
  }

  private wait(path: string, version: FileVersion): void {
    const timer = setTimeout(() => void this.look(path, version), this.settleMs);
    this.settling.set(path, { version, timer });
  }

  private async look(path: string, before: FileVersion): Promise<void> {
    const now = await versionOf(path);
    if (this.closed) return;
    if (!now) {
      this.settling.delete(path); // gone (moved away or deleted) before it settled
      return;
    }
    if (now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
      this.wait(path, now);
      return;
    }
    try {
      await this.options.onFile(path, now);
    } catch (error) {
      this.options.onError(`${path}: ${(error as Error).message}`);
    } finally {
      this.settling.delete(path);
    }
  }
}

async function versionOf(path: string): Promise<FileVersion | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : null;
  } catch {
    return null;
  }
}
