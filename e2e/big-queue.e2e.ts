// A big batch in the queue: the list stays virtual (only the visible rows are in the DOM), the counts
// cover every file, and cancel / clear work on all of them. (The reducer's own test covers 10,000
// jobs; here the batch is kept to what main queues and drains in well under a minute.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

const FILES = 10_000;
let h: Harness;
let folder: string;

beforeAll(async () => {
  h = await startHarness({ settings: { concurrency: 1 } });
  folder = join(h.dir, 'many');
  mkdirSync(folder);
  // Not images: any file that gets its turn fails fast at the sniff, so no OCR runs here.
  for (let i = 1; i <= FILES; i++) writeFileSync(join(folder, `scan-${String(i).padStart(4, '0')}.jpg`), `not a photo ${i}\n`);
});

afterAll(async () => {
  await h?.close();
});

it('shows 10,000 queued files with only the visible rows rendered, and cancels them all', async () => {
  await h.drop([folder]);
  await expect.poll(() => h.page.locator('.overall-line strong').textContent(), { timeout: 120_000 }).toMatch(/of 10,000 done$/);
  const rendered = await h.page.locator('.queue-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);

  const list = h.page.getByRole('list', { name: 'Files in the queue' });
  await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await h.page.locator('.queue-row', { hasText: 'scan-10000.jpg' }).waitFor();
  await h.screenshot('queue-large');

  await h.page.getByRole('button', { name: 'Cancel all' }).click();
  await expect.poll(() => h.page.locator('.overall-eta').textContent(), { timeout: 120_000 }).toBe('Idle');
  expect(await h.page.locator('.overall-line strong').textContent()).toBe('10,000 of 10,000 done');
  const counts = await h.page.locator('.overall-counts').textContent();
  expect(counts).toMatch(/cancelled/);

  await h.page.getByRole('button', { name: 'Clear finished' }).click();
  await expect.poll(() => h.page.locator('.queue-row').count(), { timeout: 60_000 }).toBe(0);
  expect(h.problems).toEqual([]);
});
