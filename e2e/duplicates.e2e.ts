// Soft duplicates in the window: two different files of one receipt (a PNG scan and a JPEG photo) are
// both saved, the second flagged; the person compares them in the detail panel and merges them, by
// keyboard, into one receipt; re-scanning the merged file is then an exact duplicate of the survivor.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { writeReceiptImage } from '../src/main/testing/receipt-image';
import { startHarness, type Harness } from './harness';

const LINES = ['CORNER CAFE', '12 Main St', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20', 'TOTAL 7.70'];
const OTHER = ['CITY BOOKS', 'Date: 02/11/2023', 'Novel 25.00', 'TOTAL 25.00'];

let h: Harness;
let inbox: string;

const tab = (name: string) => h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });
const ledgerRows = () => h.page.locator('.table-row[data-receipt-id]');
const dupRows = () => ledgerRows().filter({ has: h.page.locator('.badge.dup') });
const detail = () => h.page.locator('aside.detail');
const expectCount = async (locator: Locator, n: number, timeout = 10_000) => expect.poll(() => locator.count(), { timeout }).toBe(n);

async function scan(file: string, state: 'saved' | 'duplicate') {
  await h.drop([join(inbox, file)]);
  const row = h.page.locator('.queue-row').filter({ hasText: file }).last();
  await expect.poll(() => row.getAttribute('data-state'), { timeout: 120_000 }).toBe(state);
}

beforeAll(async () => {
  h = await startHarness({ settings: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 } });
  inbox = join(h.dir, 'inbox');
  mkdirSync(inbox);
  await writeReceiptImage(join(inbox, 'cafe-scan.png'), LINES);
  await writeReceiptImage(join(inbox, 'cafe-photo.jpg'), LINES, { format: 'jpeg' });
  await writeReceiptImage(join(inbox, 'books.png'), OTHER);
  // The same shop, day and amount twice, really bought twice: the person keeps both.
  await writeReceiptImage(join(inbox, 'books-again.png'), [...OTHER, 'Thank you']);
});

afterAll(async () => {
  await h?.close();
});

describe('possible duplicates', () => {
  it('saves a second file of the same receipt, flagged as a possible duplicate of the first', async () => {
    await scan('cafe-scan.png', 'saved');
    await scan('books.png', 'saved');
    await scan('cafe-photo.jpg', 'saved');
    const [original, copy] = ['cafe-scan.png', 'cafe-photo.jpg'].map((f) => h.app.ledger.query({ text: f }).rows[0]);
    // The queue says so as the file is saved, and again when the queue is loaded afresh (a restart).
    const stage = (file: string) => h.page.locator('.queue-row').filter({ hasText: file }).last().locator('.stage');
    expect(await stage('cafe-photo.jpg').textContent()).toBe(`Saved · possible duplicate of #${original.id}`);
    expect(await stage('cafe-scan.png').textContent()).toBe('Saved');
    expect(h.app.ledger.listJobs().map((j) => j.possibleDuplicateOf)).toEqual([undefined, undefined, original.id]);
    await h.screenshot('queue-possible-duplicate');

    await tab('Receipts').click();
    await expectCount(ledgerRows(), 3);
    // Both receipts of the pair carry the marker, each naming the other; the later one needs review.
    await expectCount(dupRows(), 2);
    const title = (id: number) => h.page.locator(`.table-row[data-receipt-id="${id}"] .badge.dup`).getAttribute('title');
    expect(await title(copy.id)).toBe(`Possible duplicate: same merchant, date and total as #${original.id}`);
    expect(await title(original.id)).toBe(`Possible duplicate: same merchant, date and total as #${copy.id}`);
    await h.page.getByLabel('Needs review').check();
    await expectCount(ledgerRows(), 1);
    expect(await ledgerRows().getAttribute('data-receipt-id')).toBe(String(copy.id));
    await h.page.getByLabel('Needs review').uncheck();

    await h.page.getByLabel('Possible duplicates').check();
    await expectCount(ledgerRows(), 2);
    expect(await ledgerRows().locator('.col-merchant').allTextContents()).toEqual(['CORNER CAFE', 'CORNER CAFE']);
    await h.screenshot('duplicates-filter');
  });

  it('shows the other receipt in the detail and merges the pair into one, by keyboard', async () => {
    const copy = h.app.ledger.query({ text: 'cafe-photo.jpg' }).rows[0];
    const original = h.app.ledger.query({ text: 'cafe-scan.png' }).rows[0];
    await h.page.locator(`.table-row[data-receipt-id="${copy.id}"]`).click();
    const card = detail().locator('.duplicate-card');
    await card.waitFor();
    expect(await card.locator('.duplicate-title').textContent()).toContain(`Possible duplicate of receipt #${original.id}`);
    expect(await card.locator('dd').allTextContents()).toEqual(['CORNER CAFE', '2024-03-14', '$7.70', 'cafe-scan.png']);
    await expect.poll(() => card.locator('img').getAttribute('src'), { timeout: 20_000 }).toMatch(/^data:image\/jpeg;base64,/);
    await expect.poll(() => detail().locator('.detail-image img').getAttribute('src'), { timeout: 20_000 }).toMatch(/^data:/);
    await h.screenshot('duplicate-panel');

    const merge = card.getByRole('button', { name: `Merge into #${original.id}` });
    await merge.focus();
    await h.page.keyboard.press('Enter');
    await h.page.getByText(`Merged: receipt #${copy.id} is now part of #${original.id}.`).waitFor();

    // The survivor is shown, with the merged file linked to it; the list holds one café receipt.
    await expect.poll(() => detail().getAttribute('data-receipt-id')).toBe(String(original.id));
    const images = detail().locator('.merged-files button');
    await expect.poll(() => images.allTextContents()).toEqual(['cafe-scan.png', 'cafe-photo.jpg']);
    // The merged file's image is still there to look at.
    await images.nth(1).click();
    await expect.poll(() => detail().locator('.detail-image img').getAttribute('alt'), { timeout: 20_000 }).toBe('Scan of cafe-photo.jpg');
    expect(await images.nth(1).getAttribute('aria-pressed')).toBe('true');
    await expectCount(detail().locator('.duplicate-card'), 0);
    await expectCount(ledgerRows(), 0); // the filter still asks for possible duplicates
    await h.page.getByLabel('Possible duplicates').uncheck();
    await expectCount(ledgerRows(), 2);
    await expectCount(dupRows(), 0);
    expect(await ledgerRows().locator('.badge.warn').count()).toBe(0);
    await h.screenshot('duplicate-merged');
    await h.page.keyboard.press('Escape');
  });

  it('keeps both when they are two real purchases: no marker, nothing to review', async () => {
    await scan('books-again.png', 'saved');
    await tab('Receipts').click();
    await expectCount(dupRows(), 2, 20_000);
    await dupRows().first().click();
    const keep = detail().locator('.duplicate-card').getByRole('button', { name: 'Keep both' });
    await keep.focus();
    await h.page.keyboard.press('Space');
    await h.page.getByText('Kept both receipts.').waitFor();
    await expectCount(dupRows(), 0);
    await expectCount(detail().locator('.duplicate-card'), 0);
    expect(h.app.ledger.query({}).total).toBe(3);
    expect(h.app.ledger.query({ needsReview: true }).total).toBe(0);
    await h.page.keyboard.press('Escape');
  });

  it('treats the merged file as an exact duplicate of the survivor when scanned again', async () => {
    const original = h.app.ledger.query({ text: 'cafe-scan.png' }).rows[0];
    await scan('cafe-photo.jpg', 'duplicate');
    const row = h.page.locator('.queue-row').filter({ hasText: 'cafe-photo.jpg' }).last();
    expect(await row.locator('.stage').textContent()).toBe(`Duplicate of #${original.id}`);
    expect(h.app.ledger.query({}).total).toBe(3);
  });

  it('raised no page errors or CSP violations', () => {
    expect(h.problems).toEqual([]);
  });
});
