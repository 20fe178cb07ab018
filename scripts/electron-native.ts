// Builds better-sqlite3 for Electron's ABI into .electron-native/, leaving node_modules' Node build in
// place so `npm test` and the CLI keep working after `npm run dev`. Needs internet (prebuilt binaries or
// Electron headers); runs once per Electron / better-sqlite3 version. First of all it checks that
// Electron's binary is there: without it there is nothing to start or package, so nothing is built.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { electronBinaryProblem } from './electron-binary';

const require = createRequire(import.meta.url);

// npm settings that point node-gyp or prebuild-install at other headers or another runtime. A global
// npm_config_nodedir (set for Node builds) made this script compile against Node's headers while
// saying Electron's: the command line names Electron's, and these must not override it.
const HEADER_REDIRECTS = /^npm_config_(nodedir|target|runtime|disturl|dist_url|tarball)$/i;

/** The environment for the Electron build: the caller's, without the npm settings that redirect headers. */
export function electronBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !HEADER_REDIRECTS.test(key)));
}

/**
 * The NODE_MODULE_VERSION a native addon was built for, read from the registration symbol the V8
 * addon API exports (`node_register_module_v140`); null for an N-API addon or not an addon.
 */
export function moduleAbi(binary: Buffer): number | null {
  const match = /node_register_module_v(\d+)/.exec(binary.toString('latin1'));
  return match ? Number(match[1]) : null;
}

/** Electron's NODE_MODULE_VERSION, from the node-abi that prebuild-install picks binaries with. */
export function electronAbi(electronVersion: string): number {
  const fromSqlite = createRequire(require.resolve('better-sqlite3/package.json'));
  const fromPrebuild = createRequire(fromSqlite.resolve('prebuild-install/package.json'));
  const nodeAbi = fromPrebuild('node-abi') as { getAbi(target: string, runtime: string): string };
  return Number(nodeAbi.getAbi(electronVersion, 'electron'));
}

function main(): void {
  const problem = electronBinaryProblem();
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
  const sqliteVersion = (require('better-sqlite3/package.json') as { version: string }).version;
  const outDir = join(root, '.electron-native');
  const stamp = `${electronVersion} ${sqliteVersion} ${process.platform}-${process.arch}`;
  const stampFile = join(outDir, 'stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;

  console.log(`building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})`);
  const work = mkdtempSync(join(tmpdir(), 'rs-native-'));
  const env = electronBuildEnv(process.env);
  try {
    cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${sqliteDir}/build`) });
    const run = (args: string[]) =>
      execFileSync(process.execPath, args, { cwd: work, env, stdio: 'inherit', shell: process.platform === 'win32' });
    try {
      run([
        require.resolve('prebuild-install/bin.js', { paths: [sqliteDir] }),
        '--runtime',
        'electron',
        '--target',
        electronVersion,
        '--arch',
        process.arch,
        '--platform',
        process.platform,
      ]);
    } catch {
      console.log('no prebuilt binary; compiling against Electron headers');
      run([
        require.resolve('node-gyp/bin/node-gyp.js'),
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ]);
    }
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    // Checked before the stamp is written: a module for another ABI would crash the app and never be rebuilt.
    const abi = moduleAbi(readFileSync(built));
    const expected = electronAbi(electronVersion);
    if (abi !== expected) {
      throw new Error(
        `the built better-sqlite3 is for ABI ${abi ?? 'unknown'}, Electron ${electronVersion} needs ${expected}: nothing was recorded`,
      );
    }
    mkdirSync(outDir, { recursive: true });
    cpSync(built, join(outDir, 'better_sqlite3.node'));
    writeFileSync(stampFile, stamp);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    console.error(`electron-native: ${(error as Error).message}`);
    process.exit(1);
  }
}
