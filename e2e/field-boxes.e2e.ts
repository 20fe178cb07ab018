// Where each field was read, in the window: a generated receipt scanned by the real default engine, its
// detail showing the image with the fields' boxes, and the total set by clicking a figure on the image.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReceiptImage } from '../src/main/testing/receipt-image';
import { startHarness, type Harness } from './harness';

// Card total with a tip: the person files the bill before the tip.
const LINES = [
  'PARK CAFE',
  '21 Mill Lane',
  'Date: 14/03/2024',
  'Latte 4.50',
  'Muffin 3.20',
  'SUBTOTAL 7.70',
  'TAX 0.62',
  'TOTAL 8.32',
  'TIP 1.50',
  'CARD 9.82',
];

let h: Harness;
let receiptId: number;

const detail = () => h.page.locator('aside.detail');
const fieldBox = (field: string) => detail().locator(`.field-box[data-field="${field}"]`);
const totalInput = () => detail().getByLabel('Total', { exact: true });
/** A rect's place in page coordinates, as drawn. */
const rectOf = async (selector: string) =>
  detail()
    .locator(selector)
    .first()
    .evaluate((r) => ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a))));

beforeAll(async () => {
  h = await startHarness({
    settings: { dateOrder: 'DMY', defaultCurrency: 'USD', concurrency: 1 },
    viewport: { width: 1440, height: 900 },
  });
  const path = join(h.dir, 'park-cafe.png');
  await writeReceiptImage(path, LINES);
});

afterAll(async () => {
  await h?.close();
});

describe('field provenance in the detail view', () => {
  it('scans the receipt with the default engine', async () => {
    await h.drop([join(h.dir, 'park-cafe.png')]);
    await expect.poll(() => h.page.locator('.queue-row[data-state="saved"]').count(), { timeout: 150_000 }).toBe(1);
    receiptId = h.app.ledger.query({}).rows[0]!.id;
    expect(h.app.ledger.get(receiptId)!.provenance).not.toBeNull();
  });

  it('draws the boxes of merchant, date, total, subtotal and tax on the receipt, and highlights the hovered field', async () => {
    await h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Receipts' }).click();
    await h.page.locator('.table-row[data-receipt-id]').first().click();
    await detail().locator('.viewer img').waitFor({ timeout: 20_000 });
    for (const field of ['merchant', 'date', 'totalMinor', 'subtotalMinor', 'taxMinor', 'tipMinor']) await fieldBox(field).waitFor();
    expect(await totalInput().inputValue()).toBe('9.82');

    // The boxes sit where the words are: the name at the top, the paid total (the card line) at the bottom.
    const [, merchantY] = await rectOf('.field-box[data-field="merchant"] rect');
    const [, subtotalY] = await rectOf('.field-box[data-field="subtotalMinor"] rect');
    const [, totalY] = await rectOf('.field-box[data-field="totalMinor"] rect');
    expect(merchantY).toBeLessThan(subtotalY!);
    expect(subtotalY).toBeLessThan(totalY!);

    // Hovering a field makes its box stand out.
    await detail().locator('.field[data-field="taxMinor"]').hover();
    await expect.poll(() => fieldBox('taxMinor').getAttribute('class')).toContain('active');
    expect(await fieldBox('totalMinor').getAttribute('class')).not.toContain('active');
    await detail().locator('.field[data-field="totalMinor"]').hover();
    await expect.poll(() => fieldBox('totalMinor').getAttribute('class')).toContain('active');
    await h.screenshot('field-boxes');
  });

  it('zooms with the buttons, the keyboard and the wheel, pans by dragging, and fits again', async () => {
    const scale = () =>
      detail()
        .locator('.viewer-stage')
        .evaluate((el) => (el as HTMLElement).style.transform);
    const before = await scale();
    await detail().getByRole('button', { name: 'Zoom in' }).click();
    expect(await detail().locator('.zoom-level').textContent()).toBe('125%');
    expect(await scale()).not.toBe(before);
    await detail()
      .getByRole('group', { name: /Receipt image/ })
      .focus();
    await h.page.keyboard.press('+');
    expect(await detail().locator('.zoom-level').textContent()).toBe('156%');
    await h.page.keyboard.press('0');
    expect(await detail().locator('.zoom-level').textContent()).toBe('100%');
    expect(await scale()).toBe(before);

    // The wheel zooms around the pointer; a drag pans.
    const frame = detail().locator('.viewer-frame');
    const box = (await frame.boundingBox())!;
    await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await h.page.mouse.wheel(0, -100);
    await expect.poll(() => detail().locator('.zoom-level').textContent()).toBe('125%');
    const zoomed = await scale();
    await h.page.mouse.down();
    await h.page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2 - 60, { steps: 5 });
    await h.page.mouse.up();
    expect(await scale()).not.toBe(zoomed);
    expect(await scale()).toMatch(/scale\(/);
    await detail().getByRole('button', { name: 'Fit' }).click();
    expect(await scale()).toBe(before);
  });

  it('sets the total by clicking a figure on the image, marked corrected in the ledger', async () => {
    await totalInput().focus();
    // With the total focused, the amounts on the receipt can be picked.
    await detail().locator('.pick-target').first().waitFor();
    const amounts = await detail()
      .locator('.pick-target')
      .evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-value'))));
    expect(amounts).toEqual(expect.arrayContaining([450, 320, 770, 62, 832, 150, 982]));
    // The total's box is drawn on the figure it was read from.
    expect(await rectOf('.field-box[data-field="totalMinor"] rect')).toEqual(await rectOf('.pick-target[data-value="982"]'));

    await detail().locator('.pick-target[data-value="832"]').click();
    await h.page.getByText('Set from the receipt: 8.32').waitFor();
    await detail().locator('.field[data-field="totalMinor"]').locator('.badge', { hasText: 'corrected' }).waitFor();
    expect(await totalInput().inputValue()).toBe('8.32');
    // The total's box follows the correction to where 8.32 is printed.
    expect(await rectOf('.field-box[data-field="totalMinor"] rect')).toEqual(await rectOf('.pick-target[data-value="832"]'));
    // The field keeps the focus: the next pick needs no click back into it.
    expect(await totalInput().evaluate((el) => el === document.activeElement)).toBe(true);
    const saved = h.app.ledger.get(receiptId)!;
    expect(saved.totalMinor).toBe(832);
    expect(saved.corrected).toContain('total');
    await expect.poll(() => h.page.locator('.table-row[data-receipt-id] .col-total').first().textContent()).toBe('$8.32');
    await h.screenshot('field-click-correct');
  });

  it('steps a field through the amounts with Alt+Down / Alt+Up, and Enter saves', async () => {
    const tip = detail().getByLabel('Tip', { exact: true });
    await tip.focus();
    expect(await tip.inputValue()).toBe('1.50');
    await tip.press('Alt+ArrowDown');
    expect(await tip.inputValue()).toBe('9.82');
    expect(await detail().locator('.pick-target.current').getAttribute('data-value')).toBe('982');
    await tip.press('Alt+ArrowUp');
    await tip.press('Alt+ArrowUp');
    expect(await tip.inputValue()).toBe('8.32');
    // Tab still moves on to the next field.
    await tip.press('Alt+ArrowDown');
    expect(await tip.inputValue()).toBe('1.50');
    await tip.press('Tab');
    expect(
      await detail()
        .getByLabel('Payment')
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await detail().getByLabel('Tip', { exact: true }).focus();
    await tip.press('Alt+ArrowUp');
    await tip.press('Enter');
    await h.page.getByText('Corrections saved.').waitFor();
    expect(h.app.ledger.get(receiptId)!.tipMinor).toBe(832);
    expect(h.problems).toEqual([]);
  });
});
