import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import type { BigIntStats, Dirent } from 'node:fs';
import path from 'node:path';
import { fsErrorReason } from './errors';
import { DEFAULT_MAX_FILE_BYTES, tooLargeReason } from './limits';
import { isPathInside } from './path-guard';

export type WalkEntry = { kind: 'file'; path: string; size: number } | { kind: 'skipped'; path: string; reason: string };

export interface WalkOptions {
  /** Levels of sub-folders entered below a given folder; 0 = only the files directly in it. */
  maxDepth: number;
  /** Most entries (files and skipped) yielded; one more skipped entry then says the cap was reached. */
  maxFiles: number;
  /** Bigger files are yielded as skipped, so they never reach the reader. */
  maxFileBytes: number;
  /** Also yield dotfiles and system junk found inside folders. */
  includeHidden: boolean;
}

export const DEFAULT_WALK_OPTIONS: WalkOptions = {
  maxDepth: 32,
  maxFiles: 100_000,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  includeHidden: false,
};

// Files and folders operating systems and archivers leave behind; never receipts. Dotfiles (.DS_Store,
// ._AppleDouble, .Trashes, ...) are caught by the leading dot. Compared in lower case: Windows ignores case.
const SYSTEM_JUNK = new Set(['thumbs.db', 'ehthumbs.db', 'desktop.ini', '__macosx', '$recycle.bin', 'system volume information']);

function isHiddenOrJunk(name: string): boolean {
  return name.startsWith('.') || SYSTEM_JUNK.has(name.toLowerCase());
}

// Natural order (IMG_2 before IMG_10) as people expect; ties between names the collator deems equal are
// broken by code units so the order never depends on what readdir returned.
const collator = new Intl.Collator('en', { numeric: true });
function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function specialKind(st: BigIntStats): string | undefined {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return undefined;
}

class Walk {
  private readonly seenDirs = new Set<string>();
  private readonly seenFiles = new Set<string>();
  private yielded = 0;
  /** Set once the cap entry is out; everything stops. */
  done = false;

  constructor(
    private readonly options: WalkOptions,
    private readonly signal?: AbortSignal,
  ) {}

  /** Every entry passes here: counts it and swaps in the one cap entry when the limit is reached. */
  private emit(entry: WalkEntry): WalkEntry {
    if (this.yielded >= this.options.maxFiles) {
      this.done = true;
      return {
        kind: 'skipped',
        path: entry.path,
        reason: `not scanned: the limit of ${this.options.maxFiles} files per batch was reached`,
      };
    }
    this.yielded++;
    return entry;
  }

  /**
   * dev+ino identifies a file or folder however it was reached (links, `..`, case). Some Windows and
   * network file systems report ino 0 for everything; the real path stands in there.
   */
  private async identity(p: string, st: BigIntStats): Promise<string> {
    return st.ino !== 0n ? `${st.dev}:${st.ino}` : `path:${await realpath(p)}`;
  }

  /** Why stat failed, telling a dangling symbolic link apart from a missing path. */
  private async statFailure(p: string, error: unknown): Promise<string> {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      const link = await lstat(p).catch(() => undefined);
      if (link?.isSymbolicLink()) return 'broken symbolic link: its target does not exist';
    }
    return fsErrorReason(error);
  }

  /**
   * `root` is the real path of the file or folder given; `isLink` says `p` is a symbolic link found inside
   * it. Only links are resolved: a path without one stays inside the root, and a link's target is
   * checked before anything is read through it.
   */
  async *visit(p: string, depth: number, root: string, isLink = false): AsyncGenerator<WalkEntry> {
    this.signal?.throwIfAborted();
    if (isLink) {
      // A dangling link fails here and is reported by stat below.
      const target = await realpath(p).catch(() => undefined);
      if (target !== undefined && target !== root && !isPathInside(target, root)) {
        yield this.emit({ kind: 'skipped', path: p, reason: 'symbolic link to a place outside the folder you added; not followed' });
        return;
      }
    }
    let st: BigIntStats;
    try {
      st = await stat(p, { bigint: true }); // follows symbolic links
    } catch (error) {
      yield this.emit({ kind: 'skipped', path: p, reason: await this.statFailure(p, error) });
      return;
    }

    if (st.isDirectory()) {
      yield* this.visitDir(p, st, depth, root);
      return;
    }
    const special = specialKind(st);
    if (special) {
      yield this.emit({ kind: 'skipped', path: p, reason: `not a regular file (${special})` });
      return;
    }
    const id = await this.identity(p, st).catch(() => p);
    if (this.seenFiles.has(id)) return; // same file given twice or reached by two routes
    this.seenFiles.add(id);

    const size = Number(st.size);
    if (size === 0) yield this.emit({ kind: 'skipped', path: p, reason: 'file is empty' });
    else if (size > this.options.maxFileBytes) {
      yield this.emit({ kind: 'skipped', path: p, reason: tooLargeReason(size, this.options.maxFileBytes) });
    } else yield this.emit({ kind: 'file', path: p, size });
  }

  private async *visitDir(dir: string, st: BigIntStats, depth: number, root: string): AsyncGenerator<WalkEntry> {
    const id = await this.identity(dir, st).catch(() => dir);
    // A folder already walked: a link to an ancestor (loop) or a second route to the same files.
    if (this.seenDirs.has(id)) return;
    if (depth > this.options.maxDepth) {
      yield this.emit({
        kind: 'skipped',
        path: dir,
        reason: `folder is nested more than ${this.options.maxDepth} levels deep; not scanned`,
      });
      return;
    }
    this.seenDirs.add(id);

    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      yield this.emit({ kind: 'skipped', path: dir, reason: `folder ${fsErrorReason(error)}` });
      return;
    }
    entries.sort((a, b) => compareNames(a.name, b.name));
    for (const entry of entries) {
      if (this.done) return;
      if (!this.options.includeHidden && isHiddenOrJunk(entry.name)) continue;
      yield* this.visit(path.join(dir, entry.name), depth + 1, root, entry.isSymbolicLink());
    }
  }
}

/**
 * Streams the files under the given files and folders, in a stable order, with a skipped entry (and a
 * specific reason) for every path that cannot be a receipt file; it never throws for one bad path.
 * Paths given explicitly are taken as chosen, even hidden ones; hidden files and system junk found inside
 * folders are left out silently. File types are not judged here: the reader sniffs content.
 * No symbolic link inside a given folder leads out of it (a link to a file or folder elsewhere is skipped
 * with a reason); a given path that is itself a link is the user's choice, and its target is the root.
 * Throws only the signal's AbortError.
 */
export async function* walkInputs(paths: string[], options: Partial<WalkOptions> = {}, signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const walk = new Walk({ ...DEFAULT_WALK_OPTIONS, ...options }, signal);
  for (const input of paths) {
    if (walk.done) return;
    // Depth 0 is the given folder itself; its files are depth 1, i.e. maxDepth 0 keeps just those.
    const given = path.resolve(input);
    // A root that cannot be resolved (missing, unreadable) is reported by visit's stat.
    yield* walk.visit(given, 0, await realpath(given).catch(() => given));
  }
}
