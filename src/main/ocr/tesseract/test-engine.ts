// Shared by tesseract's tests on generated receipts: one engine and a scratch folder per test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { extractFields } from '../../extract/extract';
import type { OcrResult } from '../engine';
import { createTesseractEngine } from './tesseract';

/** The receipt the tests print: a total that the items and the change both check. */
export const CAFE_LINES = ['CORNER CAFE', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.82', 'TOTAL 8.32', 'CASH 10.00', 'CHANGE 1.68'];

/** Extraction as the app does it for a day-first locale, on a fixed day so dates never turn "future". */
export const extractForTests = (ocr: OcrResult) =>
  extractFields(ocr, { dateOrder: 'DMY', defaultCurrency: 'USD', today: new Date('2024-06-01') });

/** A one-worker engine and a scratch folder (`path(name)`), both removed after the file's tests. */
export function tesseractForTests(prefix: string) {
  const engine = createTesseractEngine({ workers: 1 });
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { engine, path: (name: string) => join(dir, name) };
}
