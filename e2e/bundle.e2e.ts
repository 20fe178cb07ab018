// The accountant bundle from the window: two receipts scanned, the ledger filtered to one category,
// "Export for accountant" saves a ZIP (main's save dialog) holding the CSV, the shown receipt's original
// file under its bundle name, and the PDF; read back with yauzl.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipAll } from '../src/main/testing/unzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReceiptImage } from '../src/main/testing/receipt-image';
import { startHarness, type Harness } from './harness';

let h: Harness;
let inbox: string;

const tab = (name: string) => h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });

beforeAll(async () => {
  h = await startHarness({ settings: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 } });
  inbox = join(h.dir, 'inbox');
  mkdirSync(inbox);
  await writeReceiptImage(join(inbox, 'IMG_2041.png'), ['SHELL', '88 Ring Road', 'Date: 02/03/2024', 'Unleaded 40.00', 'TOTAL 45.20']);
  await writeReceiptImage(join(inbox, 'IMG_2042.png'), ['CORNER CAFE', 'Date: 14/03/2024', 'Latte 4.50', 'TOTAL 4.50']);
});

afterAll(async () => {
  await h?.close();
});

describe('accountant bundle', () => {
  it('exports the receipts shown as a ZIP with the CSV, the original files and a PDF', async () => {
    await h.drop([inbox]);
    await expect.poll(() => h.app.queue.list().summary.saved, { timeout: 180_000 }).toBe(2);
    const fuel = h.app.ledger.query({ text: 'SHELL' }).rows[0]!;
    const cafe = h.app.ledger.query({ text: 'CAFE' }).rows[0]!;
    await h.app.dispatch('ledger:update', { id: fuel.id, patch: { category: 'Travel' } });
    await h.app.dispatch('ledger:update', { id: cafe.id, patch: { category: 'Meals' } });

    await tab('Receipts').click();
    await h.page.getByLabel('Category filter').selectOption('Travel');
    await expect.poll(() => h.page.locator('.table-row[data-receipt-id]').count()).toBe(1);

    h.dialogs.savePath = join(h.dir, 'for-accountant.zip');
    await h.page.getByRole('button', { name: 'Export for accountant…' }).click();
    const panel = h.page.getByRole('dialog', { name: 'Export for accountant' });
    await panel.getByRole('button', { name: 'Save ZIP…' }).click();
    await expect
      .poll(() => panel.getByRole('status').textContent(), { timeout: 60_000 })
      .toMatch(/^Saved .*for-accountant\.zip: 1 receipt, 1 file, \d+ KB\.$/);
    await h.screenshot('bundle-export');

    const zip = await unzipAll(h.dialogs.savePath);
    const name = `receipts/2024-03-02_SHELL_45.20.png`;
    expect([...zip.keys()].sort()).toEqual(['receipts.csv', 'receipts.pdf', name].sort());
    expect(zip.get(name)).toEqual(readFileSync(join(inbox, 'IMG_2041.png')));
    const csv = zip.get('receipts.csv')!.toString('utf8').split('\r\n');
    expect(csv[0]).toMatch(/,bundle_file$/);
    expect(csv[1]).toMatch(new RegExp(`,${name}$`));
    expect(zip.get('receipts.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(h.problems).toEqual([]);
  });
});
