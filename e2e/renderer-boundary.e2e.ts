// Script running in the page (as a compromised renderer would) cannot name a path to main: not through
// window.api, and not through the harness's bindings, which keep the preload's rules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

it('refuses every way page script could queue a file of its choosing or write the export where it likes', async () => {
  const target = join(h.dir, 'evil.desktop');
  const errors = await h.page.evaluate(async (path) => {
    const api = window.api as unknown as { invoke(channel: string, request: unknown): Promise<unknown> } & typeof window.api;
    const bindings = window as unknown as {
      __rsInvoke(channel: string, request: unknown): Promise<{ ok: boolean; error?: { message: string } }>;
    };
    const attempts: Promise<unknown>[] = [
      api.invoke('scan:add-dropped', { paths: ['/etc/passwd'] }),
      api.invoke('scan:add-paths', { paths: ['/etc/passwd'] }),
      api.invoke('export:csv', { path }),
      bindings.__rsInvoke('scan:add-dropped', { paths: ['/etc/passwd'] }).then((r) => {
        if (!r.ok) throw new Error(r.error?.message);
      }),
    ];
    const settled = await Promise.allSettled(attempts);
    const forged = await api.addDropped([new File(['root:x:0:0'], 'passwd')]);
    return { settled: settled.map((s) => (s.status === 'rejected' ? String((s.reason as Error).message) : 'accepted')), forged };
  }, target);
  expect(errors.settled).toEqual([
    'unknown request "scan:add-dropped"',
    'unknown request "scan:add-paths"',
    expect.stringMatching(/^export:csv: .*path/),
    'unknown request "scan:add-dropped"',
  ]);
  expect(errors.forged).toEqual({ queued: 0, unlocated: 1 });
  expect(existsSync(target)).toBe(false);
  expect(h.app.queue.list().jobs).toEqual([]);
});
