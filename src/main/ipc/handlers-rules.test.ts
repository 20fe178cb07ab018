// The rules and categories channels through the real app: contract validation, handlers, ledger, events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Events } from '../../shared/contract';
import type { Category, Rule } from '../../shared/model';
import type { App } from '../app';
import { startTestApp, type TestApp } from '../testing/test-app';
import { newReceipt } from '../ledger/fixtures';

let t: TestApp;
let app: App;
let changed: Events['ledger:changed'][];

beforeEach(async () => {
  t = await startTestApp('handlers-rules-test-');
  ({ app, changed } = t);
});

afterEach(() => t.close());

async function ok<T>(channel: string, request: unknown): Promise<T> {
  const result = await app.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

describe('rules channels', () => {
  it('remembers a correction, previews it on other receipts, applies it and files the next scan by it', async () => {
    const corrected = app.ledger.saveReceipt(newReceipt('a', { merchant: 'SHELL 1234' }));
    const other = app.ledger.saveReceipt(newReceipt('b', { merchant: 'Shell #0042', totalMinor: 5000 }));
    await ok('ledger:update', { id: corrected.id, patch: { merchant: 'Shell', category: 'Fuel' } });
    const { suggestion } = await ok<{ suggestion: unknown }>('rules:suggest', { receiptId: corrected.id });
    expect(suggestion).toEqual({ example: 'SHELL 1234', merchant: 'Shell', category: 'Fuel', replacesRuleId: null });

    const rule = await ok<Rule>('rules:save', { example: 'SHELL 1234', merchant: 'Shell', category: 'Fuel' });
    expect(rule).toMatchObject({ example: 'SHELL 1234', matchKey: 'shell', merchant: 'Shell', category: 'Fuel', matches: 2 });
    expect(await ok('rules:suggest', { receiptId: corrected.id })).toEqual({ suggestion: null });

    const { changes } = await ok<{ changes: { receiptId: number }[] }>('rules:preview', { ruleId: rule.id });
    expect(changes).toEqual([
      expect.objectContaining({
        receiptId: other.id,
        merchant: { from: 'Shell #0042', to: 'Shell' },
        category: { from: null, to: 'Fuel' },
      }),
    ]);
    changed.length = 0;
    expect(await ok('rules:apply', { ruleId: rule.id, receiptIds: [other.id] })).toEqual({ changed: 1 });
    expect(changed).toEqual([{ ids: [other.id] }]);
    expect(await ok('ledger:get', { id: other.id })).toMatchObject({ merchant: 'Shell', category: 'Fuel', corrected: [] });

    const next = app.ledger.saveReceipt(newReceipt('c', { merchant: 'SHELL 9', totalMinor: 100 }));
    expect(next).toMatchObject({ merchant: 'Shell', category: 'Fuel' });
    expect(await ok<{ rules: Rule[] }>('rules:list', {})).toMatchObject({ rules: [{ id: rule.id, matches: 3 }] });
    expect(await ok('rules:delete', { id: rule.id })).toEqual({ deleted: 1 });
    expect(await ok('rules:list', {})).toEqual({ rules: [] });
  });

  it('answers bad requests with one readable line', async () => {
    expect(await app.dispatch('rules:save', { example: '0042', merchant: 'Shell', category: null })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: '"0042" has no letters to match receipts on' },
    });
    expect(await app.dispatch('rules:delete', { id: 7 })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'rule 7 does not exist (it may have been deleted)' },
    });
    const noReceipts = await app.dispatch('rules:apply', { receiptIds: [] });
    expect(noReceipts).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await app.dispatch('rules:preview', { ruleId: 3 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('categories channels', () => {
  it('adds, recolours, renames and merges, refiling receipts and telling the windows', async () => {
    const receipt = app.ledger.saveReceipt(newReceipt('a'));
    await ok('ledger:update', { id: receipt.id, patch: { category: 'Office' } });
    const added = await ok<Category>('categories:add', { name: 'Software', color: '#336699' });
    expect(added).toMatchObject({ name: 'Software', color: '#336699', receipts: 0 });
    expect(await ok('ledger:categories', {})).toEqual({ categories: expect.arrayContaining(['Software']) });

    const office = (await ok<{ categories: Category[] }>('categories:list', {})).categories.find((c) => c.name === 'Office')!;
    changed.length = 0;
    expect(await ok('categories:update', { id: office.id, name: 'Office supplies', color: null })).toEqual({
      id: office.id,
      name: 'Office supplies',
      color: null,
      receipts: 1,
    });
    expect(changed).toEqual([{ ids: [receipt.id] }]);
    expect(await ok('categories:merge', { id: office.id, intoId: added.id })).toEqual({ moved: 1 });
    expect(await ok('ledger:get', { id: receipt.id })).toMatchObject({ category: 'Software' });
    expect(await app.dispatch('categories:update', { id: office.id, color: '#000000' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('refuses a taken name, a blank name, a colour that is not #rrggbb and a merge into itself', async () => {
    expect(await app.dispatch('categories:add', { name: 'FUEL' })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'there is already a category "Fuel"' },
    });
    const bad = await Promise.all([
      app.dispatch('categories:add', { name: '   ' }),
      app.dispatch('categories:add', { name: 'Pets', color: 'red' }),
      app.dispatch('categories:merge', { id: 2, intoId: 2 }),
    ]);
    expect(bad.map((r) => (r.ok ? 'ok' : r.error.message))).toEqual([
      expect.stringContaining('a category needs a name'),
      expect.stringContaining('expected a colour as #rrggbb'),
      expect.stringContaining('a category cannot be merged into itself'),
    ]);
  });
});
