// Builds better-sqlite3 for Electron's ABI into .electron-native/, leaving node_modules' Node build in
// place so `npm test` and the CLI keep working after `npm run dev`. Needs internet (prebuilt binaries or
// Electron headers); runs once per Electron / better-sqlite3 version.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const electronVersion = require('electron/package.json').version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = require('better-sqlite3/package.json').version;
const outDir = join(root, '.electron-native');
const stamp = `${electronVersion} ${sqliteVersion} ${process.platform}-${process.arch}`;
const stampFile = join(outDir, 'stamp');

if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) process.exit(0);

console.log(`building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})`);
const work = mkdtempSync(join(tmpdir(), 'rs-native-'));
try {
  cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${sqliteDir}/build`) });
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' });
  try {
    run(process.execPath, [
      require.resolve('prebuild-install/bin.js'),
      '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform,
    ]);
  } catch {
    console.log('no prebuilt binary; compiling against Electron headers');
    run(process.execPath, [
      require.resolve('node-gyp/bin/node-gyp.js'),
      'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
    ]);
  }
  mkdirSync(outDir, { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
  writeFileSync(stampFile, stamp);
} finally {
  rmSync(work, { recursive: true, force: true });
}
