// CI collects vitest's JSON results (one file per suite) to print one "N passed, N failed" line.
import { join } from 'node:path';

export function ciReporters(suite: string): (string | [string, Record<string, unknown>])[] {
  const dir = process.env.CI_REPORT_DIR;
  return dir ? ['default', ['json', { outputFile: join(dir, `${suite}.json`) }]] : ['default'];
}
