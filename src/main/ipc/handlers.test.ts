// The duplicate-resolution channel through the real app: contract validation, handler, ledger, events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Events } from '../../shared/contract';
import { createApp, type App } from '../app';
import { newReceipt } from '../ledger/fixtures';

let dir: string;
let app: App;
let changed: Events['ledger:changed'][];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handlers-test-'));
  app = await createApp({ ledgerPath: join(dir, 'ledger.sqlite3'), ocrWorkers: 1 });
  changed = [];
  app.onEvent((event, payload) => {
    if (event === 'ledger:changed') changed.push(payload as Events['ledger:changed']);
  });
});

afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

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
