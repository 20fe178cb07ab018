// Rules learned from corrections, in the window: a person corrects a receipt's merchant and category,
// accepts the offer to remember it, previews and applies it to an earlier receipt that read the same,
// and the next scan of that shop arrives filed. The Rules screen lists, edits and deletes rules, and
// categories are added, recoloured, renamed and merged.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newReceipt, shaOf } from '../src/main/ledger/fixtures';
import { writeReceiptImage } from '../src/main/testing/receipt-image';
import { startHarness, type Harness } from './harness';

let h: Harness;
const ids: Record<string, number> = {};

const tab = (name: string) => h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });
const detail = () => h.page.locator('aside.detail');
const row = (id: number) => h.page.locator(`.table-row[data-receipt-id="${id}"]`);
const offer = () => detail().getByRole('region', { name: 'Remember this correction' });
const ruleRows = () => h.page.locator('.rules-table tbody tr');

/** A receipt as the scanner saved it, with a real image on disk for the detail view. */
async function seed(key: string, merchant: string, date: string, totalMinor: number) {
  const path = join(h.dir, `${key}.png`);
  await writeReceiptImage(path, [merchant, `Date: ${date}`, `TOTAL ${(totalMinor / 100).toFixed(2)}`]);
  const [d, m, y] = date.split('/');
  ids[key] = h.app.ledger.saveReceipt(
    newReceipt(
      key,
      { merchant, date: `${y}-${m}-${d}`, totalMinor, subtotalMinor: null, taxMinor: null, items: [] },
      {
        file: { sha256: shaOf(key), size: statSync(path).size, mime: 'image/png', fileName: `${key}.png`, sourcePath: path },
      },
    ),
  ).id;
}

beforeAll(async () => {
  h = await startHarness({ settings: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 } });
  await seed('shell-monday', 'SHELL 1234', '04/03/2024', 5120);
  await seed('shell-friday', 'Shell #0042', '08/03/2024', 4385);
  await seed('cafe', 'CORNER CAFE', '09/03/2024', 770);
  await seed('parkwell', 'PARKWELL 12', '11/03/2024', 900);
  await h.page.reload(); // the window opened on an empty ledger
});

afterAll(async () => {
  await h?.close();
});

async function correct(id: number, fields: { merchant?: string; category?: string }) {
  await row(id).click();
  await detail().waitFor();
  if (fields.merchant !== undefined) await detail().getByLabel('Merchant', { exact: true }).fill(fields.merchant);
  if (fields.category !== undefined) await detail().getByLabel('Category').selectOption(fields.category);
  await detail().getByRole('button', { name: 'Save corrections' }).click();
}

describe('rules', () => {
  it('offers to remember a correction, previews it on an earlier receipt and applies it', async () => {
    await tab('Receipts').click();
    await correct(ids['shell-monday']!, { merchant: 'Shell', category: 'Fuel' });
    await expect.poll(() => offer().locator('p').textContent()).toBe('Always file SHELL 1234 as Shell · Fuel?');
    await h.screenshot('rules-offer');
    await offer().getByRole('button', { name: 'Always' }).click();
    await expect.poll(() => offer().locator('p').textContent()).toContain('1 earlier receipt reads the same.');
    await offer().getByRole('button', { name: 'Preview changes…' }).click();
    const change = offer().locator('.rule-changes li');
    await expect.poll(() => change.textContent()).toBe('shell-friday.png2024-03-08Merchant: Shell #0042 → ShellCategory: — → Fuel');
    await offer().getByRole('button', { name: 'Apply to 1 receipt' }).click();
    await expect.poll(() => row(ids['shell-friday']!).locator('.col-category').textContent()).toBe('Fuel');
    expect(h.app.ledger.get(ids['shell-friday']!)).toMatchObject({ merchant: 'Shell', category: 'Fuel', corrected: [] });

    // Only a category this time: the offer keeps the name as read.
    await correct(ids['cafe']!, { category: 'Meals' });
    await expect.poll(() => offer().locator('p').textContent()).toBe('Always file CORNER CAFE as Meals?');
    await offer().getByRole('button', { name: 'Always' }).click();
    await expect.poll(() => offer().locator('p').textContent()).toContain('Remembered');
    await offer().getByRole('button', { name: 'Done' }).click();
    await h.page.keyboard.press('Escape');
  });

  it('files the next scan of that shop by the rule as it is saved', async () => {
    const inbox = join(h.dir, 'inbox');
    const file = join(inbox, 'shell-sunday.png');
    mkdirSync(inbox);
    await writeReceiptImage(file, ['SHELL 0077', 'Date: 10/03/2024', 'Unleaded 40.00', 'TOTAL 40.00']);
    await h.drop([file]);
    const queued = h.page.locator('.queue-row').filter({ hasText: 'shell-sunday.png' });
    await expect.poll(() => queued.getAttribute('data-state'), { timeout: 150_000 }).toBe('saved');
    const saved = h.app.ledger.query({ text: 'shell-sunday.png' }).rows[0];
    expect(saved).toMatchObject({ merchant: 'Shell', category: 'Fuel', corrected: [] });
  });

  it('lists the rules and categories; categories are added, recoloured, renamed and merged', async () => {
    await tab('Rules').click();
    await expect.poll(() => ruleRows().count()).toBe(2);
    expect(await ruleRows().allInnerTexts()).toEqual([
      expect.stringMatching(/^CORNER CAFE\s+as read\s+Meals\s+1/),
      expect.stringMatching(/^SHELL 1234\s+Shell\s+Fuel\s+3/),
    ]);

    await h.page.getByLabel('New category name').fill('Parking');
    await h.page.getByLabel('New category colour').fill('#0f9d8a');
    await h.page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => h.page.locator('.category-row[data-category="Parking"]').count()).toBe(1);
    await h.page.getByLabel('Colour of Fuel').fill('#e8590c');
    await expect
      .poll(() =>
        h.page
          .locator('.rules-table .cat-dot')
          .last()
          .evaluate((e) => getComputedStyle(e).backgroundColor),
      )
      .toBe('rgb(232, 89, 12)');

    const name = h.page.getByLabel('Name of Meals');
    await name.fill('Meals & coffee');
    await name.press('Enter');
    await expect.poll(() => ruleRows().first().innerText()).toContain('Meals & coffee');
    expect(h.app.ledger.get(ids['cafe']!)?.category).toBe('Meals & coffee');

    await h.page.getByLabel('Merge Utilities into').selectOption({ label: 'Other' });
    await h.page.getByRole('button', { name: 'Merge into Other' }).click();
    await expect.poll(() => h.page.locator('.category-row[data-category="Utilities"]').count()).toBe(0);

    // A third rule, saved through its channel, then all rules previewed and applied to existing receipts.
    const saved = await h.app.dispatch('rules:save', { example: 'PARKWELL 12', merchant: 'Parkwell', category: 'Parking' });
    expect(saved.ok).toBe(true);
    await tab('Receipts').click();
    await tab('Rules').click();
    await expect.poll(() => ruleRows().count()).toBe(3);
    await h.page.getByRole('button', { name: 'Apply rules to existing receipts…' }).click();
    await expect
      .poll(() => h.page.locator('.rule-preview .rule-changes li').allInnerTexts())
      .toEqual([expect.stringMatching(/^parkwell\.png\s+2024-03-11\s+Merchant: PARKWELL 12 → Parkwell\s+Category: — → Parking$/)]);
    await h.page.getByRole('button', { name: 'Apply to 1 receipt' }).click();
    await expect.poll(() => h.app.ledger.get(ids['parkwell']!)?.category).toBe('Parking');
    await h.screenshot('rules');
  });

  it('edits and deletes a rule', async () => {
    await h.page.getByRole('button', { name: 'Edit rule for SHELL 1234' }).click();
    await h.page.getByLabel('File as').fill('Shell Fuel');
    await h.page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => ruleRows().nth(2).innerText()).toMatch(/^SHELL 1234\s+Shell Fuel\s+Fuel/);
    await h.page.getByRole('button', { name: 'Delete rule for CORNER CAFE' }).click();
    await expect.poll(() => ruleRows().count()).toBe(2);
    // Receipts filed by a deleted rule keep their values.
    expect(h.app.ledger.get(ids['cafe']!)?.category).toBe('Meals & coffee');
    expect(h.problems).toEqual([]);
  });
});
