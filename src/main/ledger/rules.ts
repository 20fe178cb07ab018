// Rules learned from corrections: "file receipts whose merchant reads SHELL 1234 as Shell · Fuel". Plain
// functions over the ledger's connection; the Ledger facade writes the changes they plan (so values,
// review state, duplicate checks and search stay one code path). A rule matches on the merchant as read
// (receipts.merchant_read), never on a corrected name, and never overrides what a person chose.
import type Database from 'better-sqlite3';
import type { FieldName, Rule, RuleChange, RuleSuggestion } from '../../shared/model';
import { categoryIdFor } from './categories';
import { EditInputError, EditNotFoundError } from './edit-errors';

/**
 * The merchant as a person would say a rule should match it: case, accents, punctuation, numbers (store
 * and branch numbers, "#0042") and spacing do not count. "SHELL 1234" and "Shell #0042" are both "shell";
 * "McDonald's 123" is "mcdonalds". null when nothing is left to match on.
 */
export function merchantKey(merchant: string | null): string | null {
  if (merchant === null) return null;
  const key = merchant
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/\p{N}/gu, ' ')
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
  return key === '' ? null : key;
}

/** Stores the merchant as the scanner read it (at save, and again when a deleted receipt is scanned anew). */
export function recordMerchantRead(db: Database.Database, receiptId: number, merchant: string | null): void {
  db.prepare('UPDATE receipts SET merchant_read = ? WHERE id = ?').run(merchant, receiptId);
}

/** A person chose this receipt's category (or cleared it): rules leave it alone from now on. */
export function markCategoryByPerson(db: Database.Database, receiptId: number): void {
  db.prepare('UPDATE receipts SET category_by_rule = 0 WHERE id = ?').run(receiptId);
}

export function markCategoryByRule(db: Database.Database, receiptId: number): void {
  db.prepare('UPDATE receipts SET category_by_rule = 1 WHERE id = ?').run(receiptId);
}

interface RuleRow {
  id: number;
  match_key: string;
  example: string;
  merchant: string | null;
  category: string | null;
  color: string | null;
}

const RULES_SQL = `SELECT r.id, r.match_key, r.example, r.merchant, c.name AS category, c.color
  FROM rules r LEFT JOIN categories c ON c.id = r.category_id`;

/** Every rule, by the merchant it matches, with how many live receipts it matches. */
export function listRules(db: Database.Database): Rule[] {
  const rows = db.prepare(`${RULES_SQL} ORDER BY r.match_key`).all() as RuleRow[];
  const counts = new Map<string, number>();
  for (const read of db
    .prepare('SELECT merchant_read FROM receipts WHERE deleted_at IS NULL AND merchant_read IS NOT NULL')
    .pluck()
    .iterate() as IterableIterator<string>) {
    const key = merchantKey(read);
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return rows.map((row) => toRule(row, counts.get(row.match_key) ?? 0));
}

export function getRule(db: Database.Database, id: number): Rule {
  const rule = listRules(db).find((r) => r.id === id);
  if (!rule) throw ruleNotFound(id);
  return rule;
}

function toRule(row: RuleRow, matches: number): Rule {
  return {
    id: row.id,
    example: row.example,
    matchKey: row.match_key,
    merchant: row.merchant,
    category: row.category,
    categoryColor: row.color,
    matches,
  };
}

export interface RuleInput {
  /** Edits this rule; without it, saves the rule for `example`'s merchant (replacing one that exists). */
  id?: number;
  example: string;
  merchant: string | null;
  category: string | null;
}

/** Creates or changes a rule; a category it names that does not exist yet is added. Returns its id. */
export function saveRule(db: Database.Database, input: RuleInput): number {
  const example = input.example.trim();
  const key = merchantKey(example);
  if (key === null) throw new EditInputError(`"${example}" has no letters to match receipts on`);
  const merchant = input.merchant?.trim() || null;
  const category = input.category?.trim() || null;
  if (merchant === null && category === null) throw new EditInputError('a rule needs a merchant name or a category to file receipts under');
  const categoryId = category === null ? null : categoryIdFor(db, category);
  const now = new Date().toISOString();
  const sameKey = db.prepare('SELECT id FROM rules WHERE match_key = ?').pluck().get(key) as number | undefined;
  if (input.id === undefined) {
    return db
      .prepare(
        `INSERT INTO rules (match_key, example, merchant, category_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (match_key) DO UPDATE SET example = excluded.example, merchant = excluded.merchant,
           category_id = excluded.category_id, updated_at = excluded.updated_at
         RETURNING id`,
      )
      .pluck()
      .get(key, example, merchant, categoryId, now, now) as number;
  }
  if (sameKey !== undefined && sameKey !== input.id) {
    throw new EditInputError(`there is already a rule for merchants reading like "${example}"`);
  }
  const changed = db
    .prepare('UPDATE rules SET match_key = ?, example = ?, merchant = ?, category_id = ?, updated_at = ? WHERE id = ?')
    .run(key, example, merchant, categoryId, now, input.id).changes;
  if (changed === 0) throw ruleNotFound(input.id);
  return input.id;
}

export function deleteRule(db: Database.Database, id: number): void {
  if (db.prepare('DELETE FROM rules WHERE id = ?').run(id).changes === 0) throw ruleNotFound(id);
}

function ruleNotFound(id: number): EditNotFoundError {
  return new EditNotFoundError(`rule ${id} does not exist (it may have been deleted)`);
}

interface Candidate {
  id: number;
  file_name: string;
  date: string | null;
  merchant: string | null;
  merchant_read: string;
  category: string | null;
  category_by_rule: number;
  corrected: string;
}

/**
 * What rules would change on live receipts: all rules, or only `ruleId`; all receipts, or only
 * `receiptIds`. A merchant a person corrected and a category a person chose are never changed.
 */
export function planRuleChanges(db: Database.Database, scope: { ruleId?: number; receiptIds?: readonly number[] } = {}): RuleChange[] {
  const rules = (
    scope.ruleId === undefined ? db.prepare(RULES_SQL).all() : db.prepare(`${RULES_SQL} WHERE r.id = ?`).all(scope.ruleId)
  ) as RuleRow[];
  if (scope.ruleId !== undefined && rules.length === 0) throw ruleNotFound(scope.ruleId);
  const byKey = new Map(rules.map((rule) => [rule.match_key, rule]));
  if (byKey.size === 0) return [];
  const select = `SELECT r.id, f.file_name, r.date, r.merchant, r.merchant_read, r.category, r.category_by_rule, r.corrected
    FROM receipts r JOIN files f ON f.id = r.file_id
    WHERE r.deleted_at IS NULL AND r.merchant_read IS NOT NULL`;
  const candidates = (
    scope.receiptIds === undefined
      ? db.prepare(`${select} ORDER BY r.date, r.id`).iterate()
      : db.prepare(`${select} AND r.id IN (SELECT value FROM json_each(?)) ORDER BY r.date, r.id`).iterate(JSON.stringify(scope.receiptIds))
  ) as IterableIterator<Candidate>;
  const changes: RuleChange[] = [];
  for (const receipt of candidates) {
    const key = merchantKey(receipt.merchant_read);
    const rule = key === null ? undefined : byKey.get(key);
    if (!rule) continue;
    const change: RuleChange = { receiptId: receipt.id, ruleId: rule.id, fileName: receipt.file_name, date: receipt.date };
    const corrected = JSON.parse(receipt.corrected) as FieldName[];
    if (rule.merchant !== null && receipt.merchant !== rule.merchant && !corrected.includes('merchant')) {
      change.merchant = { from: receipt.merchant, to: rule.merchant };
    }
    const personChose = receipt.category !== null && receipt.category_by_rule === 0;
    if (rule.category !== null && receipt.category !== rule.category && !personChose) {
      change.category = { from: receipt.category, to: rule.category };
    }
    if (change.merchant || change.category) changes.push(change);
  }
  return changes;
}

/**
 * The rule a person's correction of this receipt suggests: its merchant as read → the name and category
 * it has now (whichever differ from what was read / are set). null when there is nothing to remember:
 * no merchant as read, nothing chosen, or a rule that already says exactly this.
 */
export function suggestRule(db: Database.Database, receiptId: number): RuleSuggestion | null {
  const row = db.prepare('SELECT merchant, merchant_read, category FROM receipts WHERE id = ? AND deleted_at IS NULL').get(receiptId) as
    { merchant: string | null; merchant_read: string | null; category: string | null } | undefined;
  const key = merchantKey(row?.merchant_read ?? null);
  if (!row || key === null) return null;
  const merchant = row.merchant !== null && row.merchant.trim() !== '' && row.merchant !== row.merchant_read ? row.merchant : null;
  const category = row.category?.trim() || null;
  if (merchant === null && category === null) return null;
  const existing = db.prepare(`${RULES_SQL} WHERE r.match_key = ?`).get(key) as RuleRow | undefined;
  if (existing && existing.merchant === merchant && existing.category?.toLowerCase() === category?.toLowerCase()) return null;
  return { example: row.merchant_read!, merchant, category, replacesRuleId: existing?.id ?? null };
}
