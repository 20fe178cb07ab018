// The window on a first start, with an empty ledger: what it says, and how it reports what it
// cannot do (items without a location, a failed export) as one readable line.
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

/** A drop of a file with no location on disk: nothing is registered for its name, so the stand-in for
 *  webUtils.getPathForFile returns ''. */
async function dropPathless(name: string) {
  await h.page.evaluate((fileName) => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], fileName));
    document.body.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
  }, name);
}

it('explains the empty ledger and queue', async () => {
  await expect.poll(() => h.page.locator('.table-empty').textContent()).toBe('No receipts yet. Drop some on the window to scan them.');
  expect(await h.page.locator('.ledger-footer').textContent()).toContain('0 receipts');
  await h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Queue' }).click();
  await h.page.getByText('Drop receipts here').waitFor();
  await h.screenshot('first-start');
});

it('reports dropped items that have no location on disk', async () => {
  await dropPathless('from-a-browser.png');
  await h.page.getByText('1 dropped item has no location on disk', { exact: false }).waitFor();
  expect(h.app.queue.list().jobs).toEqual([]);
});

it('does nothing when a dialog is cancelled, and shows a failed export as a readable message', async () => {
  h.dialogs.pick = [];
  await h.page.getByRole('banner').getByRole('button', { name: 'Add files…' }).click();
  h.dialogs.savePath = null;
  await h.page.keyboard.press('Control+e');
  h.dialogs.savePath = join(h.dir, 'no-such-folder', 'out.csv');
  await h.page.keyboard.press('Control+e');
  const toast = h.page.locator('.toast-error');
  await toast.waitFor();
  const text = (await toast.locator('.toast-message').textContent()) ?? '';
  expect(text).toMatch(/^Export failed: /);
  expect(text).not.toMatch(/\n|\bat .*:\d+:\d+/);
  // The cancelled pick and the cancelled save said nothing.
  expect(await h.page.locator('.toast-success, .toast-info').count()).toBe(0);
  expect(h.problems).toEqual([]);
});

it('keeps an error on screen across a change of screen, and drops the messages of the screen left', async () => {
  await dropPathless('again.png');
  await h.page.locator('.toast-warning').last().waitFor();
  await h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Settings' }).click();
  await expect.poll(() => h.page.locator('.toast-warning, .toast-success, .toast-info').count()).toBe(0);
  expect(await h.page.locator('.toast-error .toast-message').textContent()).toMatch(/^Export failed: /);
  await h.page.locator('.toast-error').getByRole('button', { name: 'Dismiss message' }).click();
  await expect.poll(() => h.page.locator('.toast').count()).toBe(0);
});
