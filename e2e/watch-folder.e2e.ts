// Watch folders in the window: a folder added in Settings (through main's folder dialog) is watched,
// a receipt a scanner writes into it on disk appears in the queue and is read, and a folder taken off
// the list is not watched any more.
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptImage } from '../src/main/testing/receipt-image';
import { startHarness, type Harness } from './harness';

let h: Harness;
let inbox: string;

const tab = (name: string) => h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });
const queueRow = (file: string) => h.page.locator('.queue-row').filter({ hasText: file });

beforeAll(async () => {
  h = await startHarness({ settings: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 } });
  inbox = join(h.dir, 'Scanner Inbox');
  mkdirSync(inbox);
});

afterAll(async () => {
  await h?.close();
});

describe('watch folders', () => {
  it('queues a receipt written into a watched folder on disk, as a dropped one', async () => {
    await tab('Settings').click();
    h.dialogs.pick = [inbox];
    await h.page.getByRole('button', { name: 'Add folder to watch…' }).click();
    const list = h.page.getByRole('list', { name: 'Watched folders' });
    await expect.poll(() => list.locator('.path').allTextContents()).toEqual([inbox]);
    await list.scrollIntoViewIfNeeded();
    await h.screenshot('watch-folder-settings');

    // A scanner saving a receipt: written in two parts, as a network copy would.
    const image = await renderReceiptImage(['HARBOR MARKET', '3 Quay Road', 'Date: 21/05/2024', 'Apples 3.20', 'Bread 2.80', 'TOTAL 6.00']);
    const file = join(inbox, 'scan-0001.png');
    writeFileSync(file, image.subarray(0, image.length >> 1));
    await sleep(500);
    writeFileSync(file, image);

    await tab('Queue').click();
    await expect.poll(() => queueRow('scan-0001.png').getAttribute('data-state'), { timeout: 120_000 }).toBe('saved');
    expect(await queueRow('scan-0001.png').count()).toBe(1);
    expect(h.app.ledger.query({ text: 'HARBOR' }).rows.map((r) => r.totalMinor)).toEqual([600]);
    await h.screenshot('watch-folder');
  });

  it('stops watching a folder taken off the list', async () => {
    await tab('Settings').click();
    await h.page.getByRole('button', { name: `Stop watching ${inbox}` }).click();
    await expect.poll(() => h.page.getByText('No folders are watched.').count()).toBe(1);
    writeFileSync(join(inbox, 'scan-0002.png'), await renderReceiptImage(['LATE SHOP', 'TOTAL 1.00']));
    await sleep(4000);
    expect(h.app.queue.list().jobs.map((j) => j.fileName)).toEqual(['scan-0001.png']);
    expect(h.problems).toEqual([]);
  });
});
