// PaddleOCR that cannot run on this computer (here: its detection model does not load, as onnxruntime's
// DLLs without the Visual C++ runtime would leave it on a clean Windows): receipts are still read, by
// tesseract, the receipt says so, and Settings says why.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelFiles } from '../src/main/ocr/paddle/models';
import { writeReceiptImage } from '../src/main/testing/receipt-image';
import { startHarness, type Harness } from './harness';

let h: Harness;
const section = (name: string) => h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });

beforeAll(async () => {
  h = await startHarness({
    settings: { dateOrder: 'DMY', defaultCurrency: 'EUR', concurrency: 1 },
    paddle: { threads: 1, models: { ...defaultModelFiles(), detection: '/nonexistent/det.onnx' } },
  });
});

afterAll(async () => {
  await h?.close();
});

describe('when PaddleOCR cannot run on this computer', () => {
  it('reads a dropped receipt with tesseract, and the receipt says why', async () => {
    const path = join(h.dir, 'cafe.png');
    await writeReceiptImage(path, ['CAFE LUMEN', 'Date: 14/03/2024', 'Latte 4.50', 'TOTAL 8.32']);
    await h.drop([path]);
    await expect.poll(() => h.page.locator('.queue-row[data-state="saved"]').count(), { timeout: 60_000 }).toBe(1);
    const receipt = h.app.ledger.query({}).rows[0]!;
    expect(receipt).toMatchObject({ merchant: 'CAFE LUMEN', totalMinor: 832 });

    await section('Receipts').click();
    await h.page.locator('.table-row[data-receipt-id]').first().click();
    await h.page
      .locator('aside.detail .ocr-notes')
      .getByText(/PaddleOCR could not start: its models did not load .*; read with tesseract instead/)
      .waitFor();
  });

  it('says in Settings why, and that tesseract reads meanwhile', async () => {
    await section('Settings').click();
    const warning = h.page.locator('.settings-view').getByRole('status').filter({ hasText: 'PaddleOCR could not start' });
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/its models did not load .*det\.onnx.*Receipts are read with Tesseract meanwhile/);
    await h.screenshot('engine-fallback-settings');
    expect(h.problems).toEqual([]);
  });
});
