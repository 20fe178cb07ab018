// npm 12 runs a dependency's install scripts only when package.json's `allowScripts` approves them; an
// unreviewed one is skipped with a warning, and `npm ci` still succeeds. Without better-sqlite3's build or
// Electron's binary download the app would then not start, so every package with an install script must
// have a decision, and the ones the app needs must be approved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean }>;
};
const allow = manifest.allowScripts ?? {};
const nameOf = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
const withScripts = new Set(
  Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.hasInstallScript)
    .map(([path]) => nameOf(path)),
);

describe('install scripts (package.json allowScripts)', () => {
  it('decides on every dependency that has one, and names no package the lockfile lacks', () => {
    expect(withScripts.size).toBeGreaterThan(0);
    for (const name of withScripts) expect(typeof allow[name], name).toBe('boolean');
    for (const name of Object.keys(allow)) expect(withScripts.has(name), name).toBe(true);
  });

  it('approves the builds and downloads the app needs, and not the CUDA fetch', () => {
    // The ledger's native module, and Electron's binary (up to Electron 41 it comes from postinstall).
    expect(allow['better-sqlite3']).toBe(true);
    expect(allow.electron).toBe(true);
    // The CPU build ships inside the package; its script only fetches CUDA libraries on linux-x64.
    expect(allow['onnxruntime-node']).toBe(false);
  });
});
