// A person's session in the window, end to end: the built renderer in headless Chromium, the real
// handlers, real OCR on generated receipt images, a real SQLite ledger and a real CSV file.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { renderReceiptImage, writeReceiptImage } from '../src/main/testing/receipt-image';
import { startHarness, type Harness } from './harness';

const RECEIPTS = [
  {
    file: 'cafe.png',
    merchant: 'CORNER CAFE',
    date: '2024-03-14',
    total: '8.32',
    lines: ['CORNER CAFE', '12 Main St', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20', 'SUBTOTAL 7.70', 'TAX 0.62', 'TOTAL 8.32'],
  },
  {
    file: 'books.png',
    merchant: 'CITY BOOKS',
    date: '2023-11-02',
    total: '33.90',
    lines: ['CITY BOOKS', '5 High Road', 'Date: 02/11/2023', 'Novel 25.00', 'Map 8.90', 'TOTAL 33.90', 'CASH 40.00', 'CHANGE 6.10'],
  },
  {
    file: 'market.png',
    merchant: 'FRESH MARKET',
    date: '2024-01-05',
    total: '54.10',
    lines: ['FRESH MARKET', '88 Station Rd', 'Date: 05/01/2024', 'Apples 6.40', 'Bread 3.70', 'Cheese 44.00', 'TOTAL 54.10'],
  },
  {
    file: 'fuel.png',
    merchant: 'QUICK FUEL',
    date: '2024-03-20',
    total: '41.75',
    lines: ['QUICK FUEL', 'Pump 4', 'Date: 20/03/2024', 'Unleaded 41.75', 'TOTAL 41.75', 'CARD 41.75'],
  },
];
// No total and no date: saved, but flagged for review.
const REVIEW = { file: 'parking.png', lines: ['CITY PARKING', 'Level 2', 'Thank you'] };
const BAD_FILE = 'notes.jpg';
const SCANNED = RECEIPTS.length + 1;

let h: Harness;
let inbox: string;

const tab = (name: string) => h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });
const queueRows = () => h.page.locator('.queue-row');
const ledgerRows = () => h.page.locator('.table-row[data-receipt-id]');
const detail = () => h.page.locator('aside.detail');
const rowFor = (merchant: string) => ledgerRows().filter({ hasText: merchant });
const expectCount = async (locator: Locator, n: number, timeout = 10_000) => expect.poll(() => locator.count(), { timeout }).toBe(n);

beforeAll(async () => {
  h = await startHarness({ settings: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 } });
  inbox = join(h.dir, 'inbox');
  mkdirSync(inbox);
  for (const r of [...RECEIPTS, REVIEW]) await writeReceiptImage(join(inbox, r.file), r.lines);
  writeFileSync(join(inbox, BAD_FILE), 'this is a text file, not a photo\n'.repeat(20));
});

afterAll(async () => {
  await h?.close();
});

describe('receipt scanner window', () => {
  it('scans a dropped folder: every receipt is saved, the bad file says why', async () => {
    await h.drop([inbox]);
    await expect.poll(() => h.page.getByRole('heading', { name: 'Scan queue' }).isVisible()).toBe(true);
    await expectCount(queueRows(), SCANNED + 1);

    // Mid-batch: a file is being read while others wait.
    await h.page.locator('.queue-row[data-state="ocr"]').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => h.page.locator('.overall-eta').textContent()).toMatch(/left|Estimating/);
    await h.screenshot('queue-mid-batch');

    await expectCount(h.page.locator('.queue-row[data-state="saved"]'), SCANNED, 150_000);
    const bad = queueRows().filter({ hasText: BAD_FILE });
    expect(await bad.getAttribute('data-state')).toBe('failed');
    const reason = await bad.locator('.queue-error').textContent();
    expect(reason).toMatch(/jpg|image|not/i);
    expect(reason).not.toMatch(/\bat .*\.ts:\d+/); // a message, not a stack trace
    expect(await h.page.locator('.overall-line strong').textContent()).toBe(`${SCANNED + 1} of ${SCANNED + 1} done`);
    expect(await h.page.locator('.overall-eta').textContent()).toBe('Idle');
    await h.screenshot('queue-done');
  });

  it('lists the receipts with their totals and the sum of what is shown', async () => {
    await tab('Receipts').click();
    await expectCount(ledgerRows(), SCANNED);
    for (const r of RECEIPTS) {
      const row = rowFor(r.merchant);
      expect(await row.locator('.col-total').textContent()).toBe(`$${r.total}`);
      expect(await row.locator('.col-date').textContent()).toBe(r.date);
    }
    expect(await h.page.locator('.ledger-footer .sum').allTextContents()).toEqual(['$138.07']);
    // Sorted by date, newest first.
    const dates = (await ledgerRows().locator('.col-date').allTextContents()).filter((d) => /^\d/.test(d));
    expect(dates).toEqual(['2024-03-20', '2024-03-14', '2024-01-05', '2023-11-02']);

    // The receipt without a total is flagged, and the filter finds it.
    await h.page.getByLabel('Needs review').check();
    await expectCount(ledgerRows(), 1);
    expect(await ledgerRows().first().locator('.badge.warn').textContent()).toBe('Needs review');
    expect(await ledgerRows().first().locator('.col-total').textContent()).toBe('no total');
    await h.page.getByLabel('Needs review').uncheck();
    await expectCount(ledgerRows(), SCANNED);
    await h.page.getByRole('button', { name: 'Total' }).click();
    await expect.poll(() => ledgerRows().first().locator('.col-total').textContent()).toBe('$54.10');
    await h.page.getByRole('button', { name: 'Date' }).click();
    await h.screenshot('ledger');
  });

  it('searches by text, amount range and date range', async () => {
    await h.page.locator('body').click({ position: { x: 5, y: 700 } });
    await h.page.keyboard.press('Control+f');
    expect(await h.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search receipts');
    await h.page.keyboard.type('books');
    await expectCount(ledgerRows(), 1);
    expect(await ledgerRows().first().textContent()).toContain('CITY BOOKS');
    expect(await h.page.locator('.ledger-footer .sum').allTextContents()).toEqual(['$33.90']);

    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await expectCount(ledgerRows(), SCANNED);
    await h.page.getByLabel('Minimum total').fill('40');
    await expectCount(ledgerRows(), 2);
    await h.page.getByLabel('Maximum total').fill('50');
    await expectCount(ledgerRows(), 1);
    expect(await ledgerRows().first().textContent()).toContain('QUICK FUEL');

    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await h.page.getByLabel('Date from').fill('2024-03-01');
    await h.page.getByLabel('Date to').fill('2024-03-31');
    await expectCount(ledgerRows(), 2);
    expect((await ledgerRows().locator('.col-merchant').allTextContents()).sort()).toEqual(['CORNER CAFE', 'QUICK FUEL']);
    await h.page.getByLabel('Minimum total').fill('ten');
    expect(await h.page.locator('.filters [role="alert"]').textContent()).toContain('"ten" is not an amount');
    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await expectCount(ledgerRows(), SCANNED);
  });

  it('corrects a total by hand, marks it corrected, and exports it to CSV', async () => {
    await rowFor('CORNER CAFE').click();
    await detail().waitFor();
    await expect.poll(() => detail().locator('img').getAttribute('src'), { timeout: 20_000 }).toMatch(/^data:image\/jpeg;base64,/);
    const total = detail().getByLabel('Total', { exact: true });
    expect(await total.inputValue()).toBe('8.32');
    await total.fill('9.15');
    await detail().getByLabel('Category').selectOption('Meals');
    await total.press('Enter');
    await h.page.getByText('Corrections saved.').waitFor();
    await detail().locator('.field', { hasText: 'Total' }).locator('.badge', { hasText: 'corrected' }).waitFor();
    await expect.poll(() => rowFor('CORNER CAFE').locator('.col-total').textContent()).toBe('$9.15');
    expect(await rowFor('CORNER CAFE').locator('.badge', { hasText: 'Edited' }).count()).toBe(1);
    expect(await h.page.locator('.ledger-footer .sum').textContent()).toBe('$138.90');
    await h.screenshot('receipt-detail');

    // A bad amount is explained, not sent.
    await total.fill('9,1,5');
    await total.press('Enter');
    expect(await detail().locator('.field-problem').textContent()).toMatch(/separators/);
    await detail().getByRole('button', { name: 'Revert' }).click();
    expect(await total.inputValue()).toBe('9.15');

    h.dialogs.savePath = join(h.dir, 'export.csv');
    await h.page.keyboard.press('Control+e');
    await h.page.getByText(`Exported ${SCANNED} receipts to ${h.dialogs.savePath}`).waitFor();
    const csv = readFileSync(h.dialogs.savePath, 'utf8');
    const cafe = csv.split('\r\n').find((line) => line.includes('CORNER CAFE'));
    expect(cafe).toBeDefined();
    expect(cafe).toContain(',9.15,');
    expect(cafe).toContain(',Meals,');

    await h.page.keyboard.press('Escape');
    await expectCount(detail(), 0);
  });

  it('is usable by keyboard: arrows and Enter open a receipt, Delete deletes it, Undo brings it back', async () => {
    const grid = h.page.getByRole('rowgroup', { name: /Receipt rows/ });
    await grid.focus();
    await h.page.keyboard.press('Home');
    await h.page.keyboard.press('ArrowDown');
    await h.screenshot('keyboard-cursor');
    await h.page.keyboard.press('Enter');
    await detail().waitFor();
    const second = await ledgerRows().nth(1).locator('.col-merchant').textContent();
    expect(await detail().locator('h2').textContent()).toBe(second);

    await detail().locator('h2').press('Delete');
    await expectCount(ledgerRows(), SCANNED - 1);
    await expectCount(detail(), 0);
    await h.page.getByRole('button', { name: 'Undo' }).click();
    await expectCount(ledgerRows(), SCANNED);
  });

  it('assigns categories from the list main provides', async () => {
    for (const [merchant, category] of [
      ['QUICK FUEL', 'Fuel'],
      ['FRESH MARKET', 'Groceries'],
    ]) {
      await rowFor(merchant).click();
      await expect.poll(() => detail().locator('h2').textContent()).toBe(merchant);
      await detail().getByLabel('Category').selectOption(category);
      await detail().getByRole('button', { name: 'Save corrections' }).click();
      await expect.poll(() => rowFor(merchant).locator('.col-category').textContent()).toBe(category);
    }
    await h.page.getByLabel('Category filter').selectOption('Fuel');
    await expectCount(ledgerRows(), 1);
    await h.page.getByRole('button', { name: 'Clear filters' }).click();
    await h.page.keyboard.press('Escape');
  });

  it('draws spending per month and per category', async () => {
    await tab('Spending').click();
    const chart = h.page.locator('.chart-card[data-currency="USD"]');
    await chart.waitFor();
    // Nov 2023 .. Mar 2024 is five months on the axis; four of them have spending.
    expect(await chart.locator('g.month').count()).toBe(5);
    expect(await chart.locator('rect.bar-part').count()).toBe(4);
    expect(await chart.locator('.chart-total').textContent()).toContain('$138.90');
    const categories = await chart.locator('.category-table th').allTextContents();
    expect(categories).toEqual(['Groceries', 'Fuel', 'Uncategorised', 'Meals']);
    await h.screenshot('summary');
  });

  it('changes settings and stores an OCR.space key without showing it', async () => {
    await tab('Settings').click();
    await h.page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await h.page.getByTestId('ledger-path').textContent()).toBe(join(h.dir, 'ledger.sqlite3'));
    await h.page.getByLabel('Month first (12/31/2024)').check();
    await h.page.getByRole('button', { name: 'Save settings' }).click();
    await h.page.getByText('Settings saved.').waitFor();
    expect(h.app.settings.get().dateOrder).toBe('MDY');

    await h.page.getByLabel('API key').fill('secret-key-123');
    await h.page.getByRole('button', { name: 'Save key' }).click();
    await expect.poll(() => h.page.getByTestId('key-status').textContent()).toBe('Key saved');
    expect(await h.page.content()).not.toContain('secret-key-123');
    await h.screenshot('settings');
  });

  it('adds a folder through the dialog and reports copies as duplicates', async () => {
    h.dialogs.pick = [inbox];
    await h.page.getByRole('banner').getByRole('button', { name: 'Add folder…' }).click();
    await h.page.getByRole('heading', { name: 'Scan queue' }).waitFor();
    await expectCount(h.page.locator('.queue-row[data-state="duplicate"]'), SCANNED, 60_000);
    expect(await h.page.locator('.queue-row[data-state="duplicate"] .stage').first().textContent()).toMatch(/^Duplicate of #\d+$/);
    await h.page.getByRole('button', { name: 'Clear finished' }).click();
    await expectCount(queueRows(), 0);
  });

  it('adds a receipt from a pasted link', async () => {
    const image = await renderReceiptImage(['CITY TAXI', 'Date: 21/03/2024', 'Fare 17.00', 'TOTAL 17.00']);
    const server = createServer((req, res) => {
      if (req.url === '/receipts/taxi.png') res.writeHead(200, { 'content-type': 'image/png' }).end(image);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await h.page.getByLabel('Receipt link').fill('not a link');
      await h.page.getByRole('button', { name: 'Add link' }).click();
      expect(await h.page.locator('#link-problem').textContent()).toMatch(/http/);
      await h.page.getByLabel('Receipt link').fill(`http://127.0.0.1:${port}/receipts/taxi.png`);
      await h.page.getByRole('button', { name: 'Add link' }).click();
      const row = queueRows().filter({ hasText: 'taxi.png' });
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000 }).toBe('saved');
      await row.getByRole('button', { name: /Open the receipt/ }).click();
      await expect.poll(() => detail().locator('h2').textContent()).toBe('CITY TAXI');
      expect(await detail().getByLabel('Total', { exact: true }).inputValue()).toBe('17.00');
      await h.page.keyboard.press('Escape');

      // A link pasted anywhere outside a text field is queued too; a dead one fails with its reason.
      await h.page.locator('body').click({ position: { x: 5, y: 780 } });
      await h.page.evaluate((url) => {
        const data = new DataTransfer();
        data.setData('text/plain', url);
        document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, `http://127.0.0.1:${port}/receipts/missing.png`);
      const dead = queueRows().filter({ hasText: 'missing.png' });
      await expect.poll(() => dead.getAttribute('data-state'), { timeout: 60_000 }).toBe('failed');
      expect(await dead.locator('.queue-error').textContent()).toMatch(/404/);
    } finally {
      server.close();
    }
  });

  it("says plainly when a receipt's original file is gone", async () => {
    rmSync(join(inbox, 'books.png'));
    await tab('Receipts').click();
    await rowFor('CITY BOOKS').click();
    const caption = detail().locator('.image-missing');
    // Main's message names the missing file; the window shows it as it is, one readable line.
    await expect.poll(() => caption.textContent()).toMatch(/^Image unavailable: .*(missing|no longer).*books\.png$/);
    await h.page.keyboard.press('Escape');
  });

  it('looks right in the dark theme too', async () => {
    await h.page.emulateMedia({ colorScheme: 'dark' });
    await tab('Receipts').click();
    await ledgerRows()
      .filter({ has: h.page.locator('.badge.warn') })
      .click();
    await detail().locator('.review-note').waitFor();
    await detail().locator('img').waitFor();
    await h.screenshot('dark-receipt-detail');
    await tab('Spending').click();
    await h.page.locator('.chart-card').waitFor();
    await h.screenshot('dark-summary');
    await h.page.emulateMedia({ colorScheme: 'light' });
  });

  it('raised no page errors or CSP violations', () => {
    expect(h.problems).toEqual([]);
  });
});
