// The Settings view claims no more protection for the OCR.space key than the system gives: on Linux
// without a keyring (safeStorage's basic_text store) it says the key is not truly encrypted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ keyProtection: 'obfuscated' });
});

afterAll(async () => {
  await h?.close();
});

it('says plainly that a key kept in basic_text storage is not truly encrypted', async () => {
  await h.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Settings' }).click();
  const note = h.page.getByTestId('key-protection');
  await expect.poll(() => note.textContent()).toMatch(/^Not truly encrypted: /);
  expect(await h.page.getByText('Stored encrypted').count()).toBe(0);
  expect(h.problems).toEqual([]);
});
