import path from 'node:path';

/**
 * True when `child` names something strictly inside the folder `parent` (the folder itself is not inside).
 * Both are resolved first, so `..` segments and trailing separators cannot escape, and /a/bc is not inside /a/b.
 * Comparison ignores case on win32 and darwin, whose default file systems do.
 * Purely lexical: it does not follow symbolic links; realpath both first where a link could lead out.
 */
export function isPathInside(child: string, parent: string, platform: NodeJS.Platform = process.platform): boolean {
  const p = platform === 'win32' ? path.win32 : path.posix;
  let from = p.resolve(parent);
  let to = p.resolve(child);
  // path.win32.relative already ignores case; darwin needs it done by hand.
  if (platform === 'darwin') {
    from = from.toLowerCase();
    to = to.toLowerCase();
  }
  const rel = p.relative(from, to);
  // Another drive on win32 gives an absolute `rel`; a name like "..receipts" inside is fine.
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${p.sep}`) && !p.isAbsolute(rel);
}
