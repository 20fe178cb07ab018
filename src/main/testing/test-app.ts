// The real app on a temporary ledger for channel tests, recording the 'ledger:changed' events it sends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Events } from '../../shared/contract';
import { createApp, type App } from '../app';

export interface TestApp {
  app: App;
  dir: string;
  /** 'ledger:changed' payloads so far; tests may empty it. */
  changed: Events['ledger:changed'][];
  close(): Promise<void>;
}

export async function startTestApp(prefix: string): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const app = await createApp({ ledgerPath: join(dir, 'ledger.sqlite3'), ocrWorkers: 1 });
  const t: TestApp = {
    app,
    dir,
    changed: [],
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  app.onEvent((event, payload) => {
    if (event === 'ledger:changed') t.changed.push(payload as Events['ledger:changed']);
  });
  return t;
}
