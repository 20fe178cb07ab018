// What npm run dev / start / package do first: check that Electron's binary is there, and build
// better-sqlite3 against Electron's headers only, for Electron's ABI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinaryProblem } from './electron-binary';
import { electronAbi, electronBuildEnv, moduleAbi } from './electron-native';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;

function runScript(env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/electron-native.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a missing Electron binary', () => {
  // An electron package as npm ci leaves it, with or without the binary its install.js downloads.
  function electronPackage(binary: 'none' | 'path.txt only' | 'installed') {
    const dir = mkdtempSync(join(tmpdir(), 'rs-electron-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: electronVersion }));
    if (binary !== 'none') writeFileSync(join(dir, 'path.txt'), 'electron');
    if (binary === 'installed') {
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'electron'), '');
    }
    return dir;
  }

  it('says what to do in one message: run install.js, or set ELECTRON_OVERRIDE_DIST_PATH', () => {
    const skipped = electronBinaryProblem({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, electronPackage('none'))!;
    expect(skipped).toContain(`Electron ${electronVersion}'s binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set`);
    expect(skipped).toContain('node node_modules/electron/install.js');
    expect(skipped).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(skipped).not.toContain('\n');
    expect(electronBinaryProblem({}, electronPackage('path.txt only'))).toMatch(
      /not installed \(its download did not run or did not finish\)/,
    );
    expect(electronBinaryProblem({}, electronPackage('installed'))).toBeNull();
    const dist = mkdtempSync(join(tmpdir(), 'rs-electron-dist-'));
    writeFileSync(join(dist, 'electron'), '');
    expect(electronBinaryProblem({ ELECTRON_OVERRIDE_DIST_PATH: dist }, electronPackage('none'))).toBeNull();
  });

  it('stops npm run dev/start/package before anything is built (ELECTRON_OVERRIDE_DIST_PATH to an empty folder)', () => {
    const empty = mkdtempSync(join(tmpdir(), 'rs-electron-'));
    const r = runScript({ ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^ELECTRON_OVERRIDE_DIST_PATH is ${empty}, but ${empty}/\\S+ does not exist: point it at an unpacked Electron ${electronVersion.replace(/\./g, '\\.')} build\\.\n$`,
      ),
    );
  });
});

describe('electronBuildEnv', () => {
  it('drops the npm settings that point the build at other headers, and keeps the rest', () => {
    const env = electronBuildEnv({
      PATH: '/usr/bin',
      npm_config_nodedir: '/usr',
      NPM_CONFIG_NODEDIR: '/usr',
      npm_config_target: '20.19.0',
      npm_config_runtime: 'node',
      npm_config_disturl: 'https://nodejs.org/dist',
      npm_config_dist_url: 'https://nodejs.org/dist',
      npm_config_tarball: '/tmp/node-headers.tgz',
      npm_config_cache: '/root/.npm',
      npm_config_devdir: '/root/.cache/node-gyp',
    });
    expect(env).toEqual({ PATH: '/usr/bin', npm_config_cache: '/root/.npm', npm_config_devdir: '/root/.cache/node-gyp' });
  });
});

describe('the ABI check', () => {
  it("reads a native module's ABI from its binary, and tells Node's from Electron's", () => {
    const nodeBuild = readFileSync(join(dirname(require.resolve('better-sqlite3/package.json')), 'build/Release/better_sqlite3.node'));
    expect(moduleAbi(nodeBuild)).toBe(Number(process.versions.modules));
    // Electron 39 is ABI 140; Node 20 is 115: the build this machine's npm_config_nodedir once gave would be refused.
    expect(electronAbi(electronVersion)).not.toBe(Number(process.versions.modules));
    expect(electronAbi('39.5.0')).toBe(140);
    expect(moduleAbi(Buffer.from('not a native module'))).toBeNull();
  });
});
