import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newReceipt } from './fixtures';
import { Ledger } from './ledger';
import { addCategory, listCategories, mergeCategory, updateCategory } from './categories';
import { listRules, saveRule } from './rules';

let dir: string;
let ledger: Ledger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'categories-test-'));
  ledger = Ledger.open(join(dir, 'ledger.db'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const refile = (fn: (db: Database.Database) => number[]) =>
  ledger.change((db) => {
    const ids = fn(db);
    return { result: ids, changedIds: ids };
  });
const byName = (name: string) => ledger.read(listCategories).find((c) => c.name === name)!;
const categorySource = (id: number) =>
  ledger.read((db) => db.prepare('SELECT category_by_rule FROM receipts WHERE id = ?').pluck().get(id));

describe('categories', () => {
  it('adds a category with a colour, refusing a name already taken in any case', () => {
    const added = ledger.change((db) => ({ result: addCategory(db, '  Parking ', '#112233'), changedIds: [] }));
    expect(added).toEqual({ id: expect.any(Number), name: 'Parking', color: '#112233', receipts: 0 });
    expect(() => ledger.change((db) => ({ result: addCategory(db, 'fuel', null), changedIds: [] }))).toThrow(
      'there is already a category "Fuel"',
    );
    expect(ledger.categories().at(-1)).toBe('Parking');
  });

  it("renames: receipts and rules follow, a person's choice stays theirs and a rule's stays the rule's", () => {
    const byPerson = ledger.saveReceipt(newReceipt('a', { merchant: 'Corner Cafe' }));
    ledger.update(byPerson.id, { category: 'meals' });
    ledger.change((db) => ({ result: saveRule(db, { example: 'Pizza Place', merchant: null, category: 'Meals' }), changedIds: [] }));
    const byRule = ledger.saveReceipt(newReceipt('b', { merchant: 'PIZZA PLACE 2' }));
    expect(byRule.category).toBe('Meals');
    const meals = byName('Meals');
    expect(meals.receipts).toBe(2);

    expect(refile((db) => updateCategory(db, meals.id, { name: 'Food & drink', color: '#aa0000' })).sort()).toEqual([
      byPerson.id,
      byRule.id,
    ]);
    expect([ledger.get(byPerson.id)?.category, ledger.get(byRule.id)?.category]).toEqual(['Food & drink', 'Food & drink']);
    expect([categorySource(byPerson.id), categorySource(byRule.id)]).toEqual([0, 1]);
    expect(byName('Food & drink')).toEqual({ id: meals.id, name: 'Food & drink', color: '#aa0000', receipts: 2 });
    expect(ledger.read(listRules)[0]?.category).toBe('Food & drink');
    expect(ledger.query({ text: 'food & drink' }).total).toBe(2);
    expect(ledger.query({ text: 'meals' }).total).toBe(0);
    expect(ledger.summary({}).map((r) => r.category)).toEqual(['Food & drink']);
    // Changing only the case of the name is a rename too.
    refile((db) => updateCategory(db, meals.id, { name: 'FOOD & DRINK' }));
    expect(ledger.get(byPerson.id)?.category).toBe('FOOD & DRINK');
  });

  it("refuses a rename onto another category's name and points to merging", () => {
    expect(() => refile((db) => updateCategory(db, byName('Fuel').id, { name: 'travel' }))).toThrow(
      'there is already a category "Travel": merge "Fuel" into it instead',
    );
    expect(() => refile((db) => updateCategory(db, 999, { color: null }))).toThrow('category 999 does not exist');
  });

  it('merges: receipts (deleted ones too) and rules of one category move to the other, which remains', () => {
    const live = ledger.saveReceipt(newReceipt('a'));
    ledger.update(live.id, { category: 'Lodging' });
    const deleted = ledger.saveReceipt(newReceipt('b', { merchant: 'Inn' }));
    ledger.update(deleted.id, { category: 'lodging' });
    ledger.softDelete([deleted.id]);
    ledger.change((db) => ({ result: saveRule(db, { example: 'Grand Hotel', merchant: null, category: 'Lodging' }), changedIds: [] }));
    const [lodging, travel] = [byName('Lodging'), byName('Travel')];

    expect(refile((db) => mergeCategory(db, lodging.id, travel.id)).sort()).toEqual([live.id, deleted.id]);
    expect(ledger.categories()).not.toContain('Lodging');
    expect(ledger.get(live.id)?.category).toBe('Travel');
    ledger.restore([deleted.id]);
    expect(ledger.get(deleted.id)?.category).toBe('Travel');
    expect(ledger.read(listRules)[0]?.category).toBe('Travel');
    expect(byName('Travel').receipts).toBe(2);
    expect(() => refile((db) => mergeCategory(db, travel.id, travel.id))).toThrow('cannot be merged into itself');
  });
});
