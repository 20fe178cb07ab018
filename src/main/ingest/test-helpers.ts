// Shared by the ingest tests: what this machine can do, so platform-dependent cases skip or branch honestly.
import { execFileSync } from 'node:child_process';

/** True where `mkfifo` exists to make a named pipe. */
export const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Root reads files and folders whatever their mode, so chmod 000 does not make them unreadable. */
export const isRoot = process.getuid?.() === 0;
