// The duplicate-resolution channel through the real app: contract validation, handler, ledger, events.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Events } from '../../shared/contract';
import type { App } from '../app';
import { startTestApp, type TestApp } from '../testing/test-app';
import { extractFields } from '../extract/extract';
import { ocrFromLines } from '../extract/ocr-fixture';
import { newReceipt, shaOf } from '../ledger/fixtures';
import { writeReceiptImage } from '../testing/receipt-image';

let t: TestApp;
let app: App;
let dir: string;
let changed: Events['ledger:changed'][];

beforeEach(async () => {
  t = await startTestApp('handlers-test-');
  ({ app, dir, changed } = t);
});

afterEach(() => t.close());

describe('ledger:resolve-duplicate', () => {
  it('shows the pair on both receipts, merges it into one and tells the windows', async () => {
    const first = app.ledger.saveReceipt(newReceipt(1));
    const second = app.ledger.saveReceipt(newReceipt(2));
    expect(await app.dispatch('ledger:get', { id: second.id })).toMatchObject({
      ok: true,
      value: { needsReview: true, duplicates: [{ thisFlagged: true, receipt: { id: first.id } }] },
    });
    expect(await app.dispatch('ledger:query', { possibleDuplicates: true })).toMatchObject({ ok: true, value: { total: 2 } });

    const merged = await app.dispatch('ledger:resolve-duplicate', { id: first.id, otherId: second.id, action: 'merge' });
    expect(merged).toMatchObject({ ok: true, value: { id: first.id, possibleDuplicates: [] } });
    expect(changed).toEqual([{ ids: [first.id, second.id] }]);
    expect(await app.dispatch('ledger:query', {})).toMatchObject({ ok: true, value: { total: 1 } });
    expect(await app.dispatch('ledger:get', { id: second.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('keeps both', async () => {
    const first = app.ledger.saveReceipt(newReceipt(1));
    const second = app.ledger.saveReceipt(newReceipt(2));
    const kept = await app.dispatch('ledger:resolve-duplicate', { id: second.id, otherId: first.id, action: 'keep-both' });
    expect(kept).toMatchObject({ ok: true, value: { id: second.id, needsReview: false, possibleDuplicates: [] } });
    expect(await app.dispatch('ledger:query', { possibleDuplicates: false })).toMatchObject({ ok: true, value: { total: 2 } });
  });

  it('answers bad requests with a specific error and changes nothing', async () => {
    const first = app.ledger.saveReceipt(newReceipt(1));
    const other = app.ledger.saveReceipt(newReceipt(2, { totalMinor: 5 }));
    const cases: [unknown, string, RegExp][] = [
      [{ id: first.id, otherId: first.id, action: 'merge' }, 'invalid_request', /cannot be a duplicate of itself/],
      [{ id: first.id, otherId: other.id, action: 'delete' }, 'invalid_request', /action/],
      [{ id: first.id, otherId: other.id, action: 'merge', extra: 1 }, 'invalid_request', /extra/],
      [{ id: first.id, otherId: other.id, action: 'merge' }, 'invalid_request', /not marked as possible duplicates/],
      [{ id: first.id, otherId: 999, action: 'keep-both' }, 'not_found', /receipt 999 does not exist/],
    ];
    for (const [request, code, message] of cases) {
      const result = await app.dispatch('ledger:resolve-duplicate', request);
      expect(result).toMatchObject({ ok: false, error: { code } });
      expect((result as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(changed).toEqual([]);
    expect(await app.dispatch('ledger:query', {})).toMatchObject({ ok: true, value: { total: 2 } });
  });
});

describe('ledger:thumbnail of a merged receipt', () => {
  it("shows the survivor's own image and, by sha-256, the merged-in file's", async () => {
    const saveImage = async (seed: number, width: number) => {
      const path = join(dir, `receipt-${seed}.png`);
      await writeReceiptImage(path, ['CORNER CAFE', 'TOTAL 33.90'], { width });
      const input = newReceipt(seed);
      return app.ledger.saveReceipt({ ...input, file: { ...input.file, mime: 'image/png', sourcePath: path } });
    };
    const first = await saveImage(1, 640);
    const second = await saveImage(2, 320);
    await app.dispatch('ledger:resolve-duplicate', { id: first.id, otherId: second.id, action: 'merge' });

    const width = async (request: object) => {
      const result = await app.dispatch('ledger:thumbnail', { id: first.id, maxSize: 2000, ...request });
      return (result as { value: { width: number } }).value.width;
    };
    expect(await width({})).toBe(640);
    expect(await width({ file: shaOf(2) })).toBe(320);
    expect(await app.dispatch('ledger:thumbnail', { id: first.id, file: shaOf(3) })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: `receipt ${first.id} has no merged file ${shaOf(3)}` },
    });
    expect(await app.dispatch('ledger:thumbnail', { id: first.id, file: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });
});

describe('ledger:thumbnail of a receipt OCR read turned', () => {
  it('shows the page the way OCR read it', async () => {
    const path = join(dir, 'sideways.png');
    // Photographed turned anticlockwise: OCR read it turned 90° clockwise.
    await writeReceiptImage(path, ['CORNER CAFE', 'Date: 15/03/2024', 'TOTAL 33.90'], { width: 640, rotate: 270 });
    const input = newReceipt(7, {}, { pageTurns: [90] });
    const receipt = app.ledger.saveReceipt({ ...input, file: { ...input.file, mime: 'image/png', sourcePath: path } });
    const result = await app.dispatch('ledger:thumbnail', { id: receipt.id, maxSize: 2000 });
    expect(result).toMatchObject({ ok: true, value: { width: 640 } });
  });
});

describe('ledger:get with field provenance', () => {
  it('returns the boxes each field was read from and the recognised targets', async () => {
    const fields = extractFields(ocrFromLines(['CORNER CAFE', 'Date: 15/03/2024', 'Lunch 30.00', 'TOTAL 33.90']), {
      dateOrder: 'DMY',
      defaultCurrency: 'USD',
    });
    const receipt = app.ledger.saveReceipt(newReceipt(1, fields));
    const result = await app.dispatch('ledger:get', { id: receipt.id });
    expect(result).toMatchObject({
      ok: true,
      value: {
        totalMinor: 3390,
        provenance: {
          pages: [{ width: 576, height: 120 }],
          fields: {
            merchant: [{ page: 0, x0: 0, y0: 0, x1: 132, y1: 22 }],
            date: [{ page: 0, x0: 72, y0: 30, x1: 192, y1: 52 }],
            total: [{ page: 0, x0: 72, y0: 90, x1: 132, y1: 112 }],
          },
          items: [[{ page: 0, x0: 0, y0: 60, x1: 132, y1: 82 }]],
          targets: expect.arrayContaining([
            { kind: 'amount', text: '33.90', value: 3390, box: { page: 0, x0: 72, y0: 90, x1: 132, y1: 112 } },
          ]),
        },
      },
    });
    // A receipt saved without geometry has none.
    const plain = app.ledger.saveReceipt(newReceipt(2));
    expect(await app.dispatch('ledger:get', { id: plain.id })).toMatchObject({ ok: true, value: { provenance: null } });
  });
});
