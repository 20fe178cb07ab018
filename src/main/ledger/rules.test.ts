import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newReceipt } from './fixtures';
import { Ledger } from './ledger';
import { EditInputError } from './edit-errors';
import { listRules, merchantKey, planRuleChanges, saveRule, suggestRule, type RuleInput } from './rules';

let dir: string;
let ledger: Ledger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rules-test-'));
  ledger = Ledger.open(join(dir, 'ledger.db'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const save = (seed: string, merchant: string | null) => ledger.saveReceipt(newReceipt(seed, { merchant }));
const addRule = (input: RuleInput) => ledger.change((db) => ({ result: saveRule(db, input), changedIds: [] }));
const preview = (scope: { ruleId?: number } = {}) => ledger.read((db) => planRuleChanges(db, scope));
const shell = { example: 'SHELL 1234', merchant: 'Shell', category: 'Fuel' };

describe('merchantKey', () => {
  it('ignores case, accents, punctuation, numbers and spacing, as a person would', () => {
    for (const read of ['SHELL 1234', 'Shell #0042', '  shell  ', 'SHELL-0042.', 'Shell1234']) expect(merchantKey(read)).toBe('shell');
    expect(merchantKey("McDonald's 123")).toBe('mcdonalds');
    expect(merchantKey('MCDONALD’S')).toBe('mcdonalds');
    expect(merchantKey('Café  Rouge')).toBe('cafe rouge');
    expect(merchantKey('CAFE-ROUGE (Store 12)')).toBe('cafe rouge store');
    expect(merchantKey('Shell Select')).not.toBe(merchantKey('Shell'));
  });

  it('has nothing to match on without letters', () => {
    expect(merchantKey('1234')).toBeNull();
    expect(merchantKey(' #12 - ')).toBeNull();
    expect(merchantKey(null)).toBeNull();
  });
});

describe('rules at save', () => {
  it('files a new receipt whose merchant reads like the rule under its name and category', () => {
    addRule(shell);
    const saved = save('a', 'SHELL 0042');
    expect(saved).toMatchObject({ merchant: 'Shell', category: 'Fuel', corrected: [] });
    const other = save('b', 'Corner Cafe');
    expect(other).toMatchObject({ merchant: 'Corner Cafe', category: null });
    // What was read stays what rules match on, and search finds the receipt under its new values.
    expect(ledger.read((db) => db.prepare('SELECT merchant_read FROM receipts WHERE id = ?').pluck().get(saved.id))).toBe('SHELL 0042');
    expect(ledger.query({ text: 'Fuel' }).rows.map((r) => r.id)).toEqual([saved.id]);
    expect(ledger.query({ category: 'fuel' }).rows.map((r) => r.id)).toEqual([saved.id]);
  });

  it("keeps a person's corrections when a deleted receipt is scanned again, and files the rest by the rule", () => {
    const first = save('a', 'SHELL 1234');
    ledger.update(first.id, { category: 'Travel' });
    ledger.softDelete([first.id]);
    addRule(shell);
    const again = ledger.saveReceipt(newReceipt('a', { merchant: 'SHELL 1234' }));
    expect(again).toMatchObject({ id: first.id, merchant: 'Shell', category: 'Travel' });
  });

  it('leaves a receipt without a merchant alone', () => {
    addRule(shell);
    expect(save('a', null)).toMatchObject({ merchant: null, category: null });
  });
});

describe('rules on existing receipts', () => {
  it('previews each change old → new, then applies exactly the receipts previewed', () => {
    const a = save('a', 'SHELL 1234');
    const b = save('b', 'Shell #77');
    save('c', 'Corner Cafe');
    const ruleId = addRule(shell);
    const changes = preview({ ruleId });
    expect(changes).toEqual([
      {
        receiptId: a.id,
        ruleId,
        fileName: 'receipt-a.jpg',
        date: '2024-03-15',
        merchant: { from: 'SHELL 1234', to: 'Shell' },
        category: { from: null, to: 'Fuel' },
      },
      {
        receiptId: b.id,
        ruleId,
        fileName: 'receipt-b.jpg',
        date: '2024-03-15',
        merchant: { from: 'Shell #77', to: 'Shell' },
        category: { from: null, to: 'Fuel' },
      },
    ]);
    // Nothing changed by looking.
    expect(ledger.get(a.id)).toMatchObject({ merchant: 'SHELL 1234', category: null });

    // A receipt the person did not see in the preview is not changed by applying it.
    ledger.change((db) => {
      db.prepare("UPDATE receipts SET merchant_read = 'SHELL 9' WHERE merchant = 'Corner Cafe'").run();
      return { result: null, changedIds: [] };
    });
    const applied = ledger.applyRules({ ruleId, receiptIds: changes.map((c) => c.receiptId) });
    expect(applied).toHaveLength(2);
    for (const id of [a.id, b.id]) expect(ledger.get(id)).toMatchObject({ merchant: 'Shell', category: 'Fuel', corrected: [] });
    expect(ledger.query({ text: 'Corner Cafe' }).rows[0]).toMatchObject({ category: null });
    expect(preview({ ruleId }).map((c) => c.fileName)).toEqual(['receipt-c.jpg']);
    expect(ledger.read(listRules)).toEqual([
      {
        id: ruleId,
        example: 'SHELL 1234',
        matchKey: 'shell',
        merchant: 'Shell',
        category: 'Fuel',
        categoryColor: expect.any(String),
        matches: 3,
      },
    ]);
  });

  it('never overrides a merchant or category a person corrected on that receipt', () => {
    const named = save('a', 'SHELL 1234');
    ledger.update(named.id, { merchant: 'Shell Oil Co' });
    const filed = save('b', 'SHELL 5678');
    ledger.update(filed.id, { category: 'Travel' });
    const both = save('c', 'SHELL 9');
    ledger.update(both.id, { merchant: 'My Shell', category: 'Office' });
    const ruleId = addRule(shell);

    expect(preview({ ruleId })).toEqual([
      expect.objectContaining({ receiptId: named.id, category: { from: null, to: 'Fuel' } }),
      expect.objectContaining({ receiptId: filed.id, merchant: { from: 'SHELL 5678', to: 'Shell' } }),
    ]);
    expect(preview({ ruleId }).some((c) => c.receiptId === named.id && c.merchant)).toBe(false);
    ledger.applyRules({ ruleId, receiptIds: [named.id, filed.id, both.id] });
    expect(ledger.get(named.id)).toMatchObject({ merchant: 'Shell Oil Co', category: 'Fuel', corrected: ['merchant'] });
    expect(ledger.get(filed.id)).toMatchObject({ merchant: 'Shell', category: 'Travel', corrected: [] });
    expect(ledger.get(both.id)).toMatchObject({ merchant: 'My Shell', category: 'Office' });
    // Scanned after the rule, corrected before a second rule: still the person's.
    const later = save('d', 'SHELL 1');
    ledger.update(later.id, { category: 'Meals' });
    addRule({ ...shell, category: 'Travel' });
    expect(preview().find((c) => c.receiptId === later.id)?.category).toBeUndefined();
  });

  it('lets a later rule refile what an earlier rule chose', () => {
    const ruleId = addRule(shell);
    const a = save('a', 'SHELL 1234');
    expect(a.category).toBe('Fuel');
    expect(addRule({ id: ruleId, example: 'SHELL 1234', merchant: 'Shell', category: 'Travel' })).toBe(ruleId);
    expect(preview()).toEqual([expect.objectContaining({ receiptId: a.id, category: { from: 'Fuel', to: 'Travel' } })]);
    ledger.applyRules({ receiptIds: [a.id] });
    expect(ledger.get(a.id)?.category).toBe('Travel');
  });
});

describe('saving rules', () => {
  it('keeps one rule per merchant as read: saving another for it replaces the first', () => {
    const first = addRule(shell);
    const second = addRule({ example: 'Shell #9', merchant: null, category: 'Travel' });
    expect(second).toBe(first);
    expect(ledger.read(listRules)).toMatchObject([{ example: 'Shell #9', merchant: null, category: 'Travel' }]);
  });

  it('adds a category a rule names that is not listed yet', () => {
    addRule({ example: 'Parkwell 12', merchant: null, category: 'Parking' });
    expect(ledger.categories()).toContain('Parking');
  });

  it('refuses a rule with nothing to match or nothing to do, and an edit that collides with another rule', () => {
    expect(() => addRule({ example: '1234', merchant: 'Shell', category: null })).toThrow(
      new EditInputError('"1234" has no letters to match receipts on'),
    );
    expect(() => addRule({ example: 'Shell', merchant: ' ', category: null })).toThrow(/needs a merchant name or a category/);
    const cafe = addRule({ example: 'Corner Cafe', merchant: null, category: 'Meals' });
    addRule(shell);
    expect(() => addRule({ id: cafe, example: 'SHELL 5', merchant: null, category: 'Meals' })).toThrow(
      'there is already a rule for merchants reading like "SHELL 5"',
    );
    expect(() => addRule({ id: 999, example: 'Nowhere', merchant: 'X', category: null })).toThrow('rule 999 does not exist');
  });
});

describe('suggestions', () => {
  it('offers to remember a correction of merchant or category, until a rule says just that', () => {
    const a = save('a', 'SHELL 1234');
    expect(ledger.read((db) => suggestRule(db, a.id))).toBeNull();
    ledger.update(a.id, { merchant: 'Shell' });
    expect(ledger.read((db) => suggestRule(db, a.id))).toEqual({
      example: 'SHELL 1234',
      merchant: 'Shell',
      category: null,
      replacesRuleId: null,
    });
    ledger.update(a.id, { category: 'Fuel' });
    expect(ledger.read((db) => suggestRule(db, a.id))).toEqual({
      example: 'SHELL 1234',
      merchant: 'Shell',
      category: 'Fuel',
      replacesRuleId: null,
    });
    const ruleId = addRule(shell);
    expect(ledger.read((db) => suggestRule(db, a.id))).toBeNull();
    ledger.update(a.id, { category: 'Travel' });
    expect(ledger.read((db) => suggestRule(db, a.id))).toMatchObject({ category: 'Travel', replacesRuleId: ruleId });
  });

  it('has nothing to offer when the merchant as read has no letters', () => {
    const digits = save('a', '0042');
    ledger.update(digits.id, { category: 'Fuel' });
    expect(ledger.read((db) => suggestRule(db, digits.id))).toBeNull();
  });
});
