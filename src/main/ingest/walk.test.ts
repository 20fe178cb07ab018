import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasMkfifo, isRoot } from './test-helpers';
import { walkInputs, type WalkEntry, type WalkOptions } from './walk';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'walk-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function put(rel: string, content: string | number = 'x'): string {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  if (typeof content === 'number') {
    writeFileSync(p, '');
    truncateSync(p, content); // sparse: any size without using the disk
  } else writeFileSync(p, content);
  return p;
}

async function collect(paths: string[], options?: Partial<WalkOptions>, signal?: AbortSignal): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const entry of walkInputs(paths, options, signal)) out.push(entry);
  return out;
}

const rel = (entries: WalkEntry[]) => entries.map((e) => path.relative(root, e.path));
const files = (entries: WalkEntry[]) => rel(entries.filter((e) => e.kind === 'file'));

describe('walkInputs', () => {
  it('recurses nested folders in a stable natural order and reports sizes', async () => {
    put('b/IMG_10.jpg', 'ten');
    put('b/IMG_2.jpg', 'two');
    put('a/deep/er/r.pdf', 'pdf!');
    put('top.png', 'p');
    const entries = await collect([root]);
    expect(files(entries)).toEqual([
      path.join('a', 'deep', 'er', 'r.pdf'),
      path.join('b', 'IMG_2.jpg'),
      path.join('b', 'IMG_10.jpg'),
      'top.png',
    ]);
    expect(entries[0]).toEqual({ kind: 'file', path: path.join(root, 'a/deep/er/r.pdf'), size: 4 });
  });

  it('takes single files and resolves relative paths against the working directory', async () => {
    const p = put('one.jpg', 'abc');
    const relative = path.relative(process.cwd(), p);
    expect(await collect([relative])).toEqual([{ kind: 'file', path: p, size: 3 }]);
  });

  it('does not filter by extension: the reader decides by content', async () => {
    put('notes.txt');
    put('scan');
    expect(files(await collect([root]))).toEqual(['notes.txt', 'scan']);
  });

  it('survives a symbolic link loop and yields each file once', async () => {
    put('a/r.jpg');
    symlinkSync(root, path.join(root, 'a', 'loop')); // a/loop -> root, an ancestor
    symlinkSync(path.join(root, 'a'), path.join(root, 'again')); // second route to a/
    const entries = await collect([root]);
    expect(entries).toEqual([{ kind: 'file', path: path.join(root, 'a', 'r.jpg'), size: 1 }]);
  });

  it('follows a symbolic link to a file inside the folder, once, under the path it was reached by', async () => {
    const target = put('elsewhere/real.jpg', 'abcd');
    mkdirSync(path.join(root, 'in'));
    symlinkSync(target, path.join(root, 'in', 'link.jpg'));
    symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'in', 'folder'));
    // Reached three ways, it is still one file, under the first path.
    expect(await collect([root])).toEqual([{ kind: 'file', path: target, size: 4 }]);
    rmSync(target);
    rmSync(path.join(root, 'in', 'folder'));
    put('in/real.jpg', 'ab');
    symlinkSync(path.join(root, 'in', 'real.jpg'), path.join(root, 'in', 'alias.jpg'));
    expect(await collect([path.join(root, 'in')])).toEqual([
      { kind: 'file', path: path.join(root, 'in', 'alias.jpg'), size: 2 },
      { kind: 'skipped', path: path.join(root, 'in', 'link.jpg'), reason: 'broken symbolic link: its target does not exist' },
    ]);
  });

  it('follows no symbolic link out of the folder it was given, to a file or a folder', async () => {
    put('outside/secret.jpg', 'secret');
    put('outside/more/deep.jpg', 'deep');
    put('in/own.jpg', 'own');
    symlinkSync(path.join(root, 'outside', 'secret.jpg'), path.join(root, 'in', 'file-link.jpg'));
    symlinkSync('../outside', path.join(root, 'in', 'folder-link'));
    mkdirSync(path.join(root, 'in', 'sub'));
    // A link inside that leads to a link that leads out is still out.
    symlinkSync(path.join(root, 'in', 'file-link.jpg'), path.join(root, 'in', 'sub', 'chain.jpg'));
    const outside = 'symbolic link to a place outside the folder you added; not followed';
    expect(await collect([path.join(root, 'in')])).toEqual([
      { kind: 'skipped', path: path.join(root, 'in', 'file-link.jpg'), reason: outside },
      { kind: 'skipped', path: path.join(root, 'in', 'folder-link'), reason: outside },
      { kind: 'file', path: path.join(root, 'in', 'own.jpg'), size: 3 },
      { kind: 'skipped', path: path.join(root, 'in', 'sub', 'chain.jpg'), reason: outside },
    ]);
  });

  it('takes a given path that is itself a symbolic link as the folder chosen, and guards its target', async () => {
    put('real/r.jpg', 'r');
    put('other/x.jpg', 'x');
    symlinkSync(path.join(root, 'real'), path.join(root, 'chosen'));
    symlinkSync('../other/x.jpg', path.join(root, 'real', 'escape.jpg'));
    symlinkSync(path.join(root, 'other', 'x.jpg'), path.join(root, 'given-file.jpg'));
    expect(await collect([path.join(root, 'chosen'), path.join(root, 'given-file.jpg')])).toEqual([
      {
        kind: 'skipped',
        path: path.join(root, 'chosen', 'escape.jpg'),
        reason: 'symbolic link to a place outside the folder you added; not followed',
      },
      { kind: 'file', path: path.join(root, 'chosen', 'r.jpg'), size: 1 },
      { kind: 'file', path: path.join(root, 'given-file.jpg'), size: 1 },
    ]);
  });

  it('reports a broken symbolic link', async () => {
    symlinkSync(path.join(root, 'gone.jpg'), path.join(root, 'dangling.jpg'));
    expect(await collect([root])).toEqual([
      { kind: 'skipped', path: path.join(root, 'dangling.jpg'), reason: 'broken symbolic link: its target does not exist' },
    ]);
  });

  it('yields the same file given twice only once', async () => {
    const p = put('r.jpg');
    const entries = await collect([p, root, path.join(root, '.', 'r.jpg')]);
    expect(entries).toEqual([{ kind: 'file', path: p, size: 1 }]);
  });

  it.skipIf(!hasMkfifo)('skips a named pipe with a reason, without blocking on it', async () => {
    execFileSync('mkfifo', [path.join(root, 'pipe.jpg')]);
    put('r.jpg');
    expect(await collect([root])).toEqual([
      { kind: 'skipped', path: path.join(root, 'pipe.jpg'), reason: 'not a regular file (a named pipe)' },
      { kind: 'file', path: path.join(root, 'r.jpg'), size: 1 },
    ]);
  });

  it('leaves out hidden files and system junk found in folders unless includeHidden', async () => {
    put('r.jpg');
    put('.hidden.jpg');
    put('.DS_Store');
    put('._r.jpg');
    put('Thumbs.db');
    put('desktop.ini');
    put('__MACOSX/r.jpg');
    put('.git/objects/x');
    expect(files(await collect([root]))).toEqual(['r.jpg']);
    expect(files(await collect([root], { includeHidden: true }))).toHaveLength(8);
  });

  it('takes a hidden file that was given explicitly', async () => {
    const p = put('.r.jpg');
    expect(files(await collect([p]))).toEqual(['.r.jpg']);
  });

  it('respects maxDepth and says which folder was not entered', async () => {
    put('d0.jpg');
    put('1/d1.jpg');
    put('1/2/d2.jpg');
    const entries = await collect([root], { maxDepth: 1 });
    expect(entries).toEqual([
      { kind: 'skipped', path: path.join(root, '1', '2'), reason: 'folder is nested more than 1 levels deep; not scanned' },
      { kind: 'file', path: path.join(root, '1', 'd1.jpg'), size: 1 },
      { kind: 'file', path: path.join(root, 'd0.jpg'), size: 1 },
    ]);
    expect(files(await collect([root], { maxDepth: 0 }))).toEqual(['d0.jpg']);
  });

  it('stops at maxFiles with one entry saying the cap was reached', async () => {
    for (let i = 1; i <= 5; i++) put(`r${i}.jpg`);
    const entries = await collect([root, put('other/x.jpg')], { maxFiles: 3 });
    expect(rel(entries)).toEqual([path.join('other', 'x.jpg'), 'r1.jpg', 'r2.jpg', 'r3.jpg']);
    expect(entries.slice(0, 3).every((e) => e.kind === 'file')).toBe(true);
    expect(entries[3]).toEqual({
      kind: 'skipped',
      path: path.join(root, 'r3.jpg'),
      reason: 'not scanned: the limit of 3 files per batch was reached',
    });
  });

  it('skips empty files and files over maxFileBytes with their size', async () => {
    put('empty.jpg', '');
    put('huge.pdf', 312 * 1024 * 1024);
    put('ok.jpg', 'x');
    expect(await collect([root], { maxFileBytes: 200 * 1024 * 1024 })).toEqual([
      { kind: 'skipped', path: path.join(root, 'empty.jpg'), reason: 'file is empty' },
      { kind: 'skipped', path: path.join(root, 'huge.pdf'), reason: 'file is 312 MB; the limit is 200 MB' },
      { kind: 'file', path: path.join(root, 'ok.jpg'), size: 1 },
    ]);
  });

  it('reports a path that does not exist and carries on', async () => {
    const ok = put('ok.jpg');
    expect(await collect([path.join(root, 'nope'), ok])).toEqual([
      { kind: 'skipped', path: path.join(root, 'nope'), reason: 'does not exist' },
      { kind: 'file', path: ok, size: 1 },
    ]);
  });

  it('reports a folder it may not read (root can read it anyway)', async () => {
    put('locked/r.jpg');
    put('z.jpg');
    chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const entries = await collect([root]);
      expect(entries[0]).toEqual(
        isRoot
          ? { kind: 'file', path: path.join(root, 'locked', 'r.jpg'), size: 1 }
          : { kind: 'skipped', path: path.join(root, 'locked'), reason: 'folder permission denied' },
      );
      expect(entries[1]).toEqual({ kind: 'file', path: path.join(root, 'z.jpg'), size: 1 });
    } finally {
      chmodSync(path.join(root, 'locked'), 0o755);
    }
  });

  it('streams: the first entry arrives before later folders are read', async () => {
    put('a/r.jpg');
    put('b/s.jpg');
    const it = walkInputs([root]);
    const first = await it.next();
    expect(first.value).toMatchObject({ kind: 'file', path: path.join(root, 'a', 'r.jpg') });
    // A folder the walk has not reached yet is removed: had it been listed up front, s.jpg would follow.
    rmSync(path.join(root, 'b'), { recursive: true });
    expect((await it.next()).value).toEqual({ kind: 'skipped', path: path.join(root, 'b'), reason: 'does not exist' });
    expect((await it.next()).done).toBe(true);
  });

  it('stops with an AbortError when the signal fires', async () => {
    put('a.jpg');
    put('b.jpg');
    const controller = new AbortController();
    const it = walkInputs([root], {}, controller.signal);
    await it.next();
    controller.abort();
    await expect(it.next()).rejects.toMatchObject({ name: 'AbortError' });
  });
});
