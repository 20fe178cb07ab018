// Whether Electron's own binary is on disk. `npm ci` with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (or offline)
// installs the electron package without it: the CLI and the tests run, the desktop app cannot.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** What to do when Electron's binary is missing, as one message; null when it is there. */
export function electronBinaryProblem(
  env: NodeJS.ProcessEnv = process.env,
  electronDir = dirname(require.resolve('electron/package.json')),
): string | null {
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string };
  const pathFile = join(electronDir, 'path.txt');
  // path.txt names the executable inside dist/; electron's install.js writes it after downloading.
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(override, executable ?? 'electron');
    if (existsSync(binary)) return null;
    return `ELECTRON_OVERRIDE_DIST_PATH is ${override}, but ${binary} does not exist: point it at an unpacked Electron ${version} build.`;
  }
  if (executable && existsSync(join(electronDir, 'dist', executable))) return null;
  const why = env.ELECTRON_SKIP_BINARY_DOWNLOAD
    ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so npm did not download it'
    : 'its download did not run or did not finish';
  return (
    `Electron ${version}'s binary is not installed (${why}); npm run dev, start and package need it, the CLI and tests do not. ` +
    `Run \`node node_modules/electron/install.js\` with internet access and ELECTRON_SKIP_BINARY_DOWNLOAD unset, ` +
    `or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${version}.`
  );
}
