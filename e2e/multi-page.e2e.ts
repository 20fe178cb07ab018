// A receipt of several pages in the detail view: a scanned PDF whose second sheet is a blank back,
// read by the real default engine, shown a page at a time with each page's boxes, turned with the
// buttons, Page Up / Page Down, or by going to a field read on another page.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptImage } from '../src/main/testing/receipt-image';
import { scannedPdf } from '../src/main/testing/scanned-pdf';
import { startHarness, type Harness } from './harness';

// The name and date on the first page, the total only on the last.
const PAGE_ONE = ['RIVERSIDE MARKET', '88 Bridge Street', 'Date: 05/09/2024', 'Apples 3.40', 'Bread 2.60', 'Cheese 6.75'];
const PAGE_TWO = ['Milk 1.95', 'Eggs 3.30', 'SUBTOTAL 18.00', 'TAX 1.44', 'TOTAL 19.44', 'CARD 19.44'];

let h: Harness;

const detail = () => h.page.locator('aside.detail');
const fieldBox = (field: string) => detail().locator(`.field-box[data-field="${field}"]`);
const pageNumber = () => detail().locator('.page-number').textContent();
const imageUrl = () => detail().locator('.viewer img').getAttribute('src');

beforeAll(async () => {
  h = await startHarness({
    settings: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 },
    viewport: { width: 1440, height: 900 },
  });
  const [one, two] = await Promise.all([renderReceiptImage(PAGE_ONE, { width: 900 }), renderReceiptImage(PAGE_TWO, { width: 900 })]);
  await writeFile(join(h.dir, 'market.pdf'), await scannedPdf([{ image: one }, { blank: true }, { image: two }]));
});

afterAll(async () => {
  await h?.close();
});

describe('a receipt of several pages in the detail view', () => {
  it('scans the PDF into one receipt of the two pages with print on them', async () => {
    await h.drop([join(h.dir, 'market.pdf')]);
    await expect.poll(() => h.page.locator('.queue-row[data-state="saved"]').count(), { timeout: 150_000 }).toBe(1);
    const id = h.app.ledger.query({}).rows[0]!.id;
    expect(h.app.ledger.get(id)).toMatchObject({ totalMinor: 1944, date: '2024-09-05' });
    expect(h.app.ledger.get(id)!.provenance!.pages.map((p) => p.filePage)).toEqual([1, 3]);
  });

  it('shows the first page with its boxes, and the last with the total’s', async () => {
    await h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Receipts' }).click();
    await h.page.locator('.table-row[data-receipt-id]').first().click();
    await fieldBox('merchant').waitFor({ timeout: 20_000 });
    expect(await pageNumber()).toBe('Page 1 of 2');
    expect(await fieldBox('totalMinor').count()).toBe(0);
    expect(await detail().getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
    const first = await imageUrl();

    await detail().getByRole('button', { name: 'Next page' }).click();
    await fieldBox('totalMinor').waitFor();
    expect(await pageNumber()).toBe('Page 2 of 2');
    expect(await imageUrl()).not.toBe(first);
    expect(await fieldBox('merchant').count()).toBe(0);
    expect(await detail().getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await h.screenshot('multi-page-second');

    // Page Up / Page Down turn the page from the image, which keeps the focus while the next page loads.
    const frame = detail().getByRole('group', { name: /Receipt image/ });
    await frame.focus();
    await h.page.keyboard.press('PageUp');
    await fieldBox('merchant').waitFor();
    expect(await pageNumber()).toBe('Page 1 of 2');
    expect(await imageUrl()).toBe(first);
    await h.page.keyboard.press('PageDown');
    await fieldBox('totalMinor').waitFor();
    expect(await pageNumber()).toBe('Page 2 of 2');
    expect(await frame.evaluate((el) => el === document.activeElement)).toBe(true);
    await h.page.keyboard.press('PageUp');
    await fieldBox('merchant').waitFor();
  });

  it('goes to the page a field was read on when the field is focused', async () => {
    expect(await pageNumber()).toBe('Page 1 of 2');
    await detail().getByLabel('Total', { exact: true }).focus();
    await fieldBox('totalMinor').waitFor();
    expect(await pageNumber()).toBe('Page 2 of 2');
    // The figures on this page can be picked for the total.
    const amounts = await detail()
      .locator('.pick-target')
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-value'))));
    expect(amounts).toEqual(expect.arrayContaining([1944, 144, 1800]));
    await detail().getByLabel('Merchant', { exact: true }).focus();
    await fieldBox('merchant').waitFor();
    expect(await pageNumber()).toBe('Page 1 of 2');
    expect(h.problems).toEqual([]);
  });
});
