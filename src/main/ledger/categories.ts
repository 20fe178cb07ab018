// Editable categories: add, rename, merge, colour. Receipts keep their category as text, so a rename or
// merge rewrites the receipts filed under it (deleted ones too, so a restored receipt finds its category)
// and returns their ids for the facade to re-index. Names compare ignoring case, as filters do.
// A rename or merge is the person's own act: a category a person chose stays theirs under its new name,
// and one a rule chose stays the rule's; rules follow the category by id.
import type Database from 'better-sqlite3';
import type { Category } from '../../shared/model';
import { EditInputError, EditNotFoundError } from './edit-errors';

interface CategoryRow {
  id: number;
  name: string;
  color: string | null;
}

/** Category names in the order people added them (the defaults first). */
export function categoryNames(db: Database.Database): string[] {
  return db.prepare('SELECT name FROM categories ORDER BY id').pluck().all() as string[];
}

/** Every category with its colour and how many live receipts are filed under it. */
export function listCategories(db: Database.Database): Category[] {
  return db
    .prepare(
      `SELECT c.id, c.name, c.color,
         (SELECT count(*) FROM receipts r WHERE r.deleted_at IS NULL AND r.category = c.name COLLATE NOCASE) AS receipts
       FROM categories c ORDER BY c.id`,
    )
    .all() as Category[];
}

/** The id of the category called `name` (ignoring case), adding it when there is none. */
export function categoryIdFor(db: Database.Database, name: string): number {
  const clean = checkName(name);
  db.prepare('INSERT OR IGNORE INTO categories (name) VALUES (?)').run(clean);
  return findByName(db, clean)!.id;
}

export function addCategory(db: Database.Database, name: string, color: string | null): Category {
  const clean = checkName(name);
  const taken = findByName(db, clean);
  if (taken) throw new EditInputError(`there is already a category "${taken.name}"`);
  const id = Number(db.prepare('INSERT INTO categories (name, color) VALUES (?, ?)').run(clean, color).lastInsertRowid);
  return { id, name: clean, color, receipts: 0 };
}

/** Renames and/or recolours a category; returns the receipts whose category text changed. */
export function updateCategory(db: Database.Database, id: number, change: { name?: string; color?: string | null }): number[] {
  const current = mustFind(db, id);
  if (change.color !== undefined) db.prepare('UPDATE categories SET color = ? WHERE id = ?').run(change.color, id);
  if (change.name === undefined) return [];
  const name = checkName(change.name);
  if (name === current.name) return [];
  const taken = findByName(db, name);
  if (taken && taken.id !== id) {
    throw new EditInputError(`there is already a category "${taken.name}": merge "${current.name}" into it instead`);
  }
  db.prepare('UPDATE categories SET name = ? WHERE id = ?').run(name, id);
  return moveReceipts(db, current.name, name);
}

/** Files every receipt and rule of category `fromId` under `intoId`, and removes `fromId`. */
export function mergeCategory(db: Database.Database, fromId: number, intoId: number): number[] {
  if (fromId === intoId) throw new EditInputError('a category cannot be merged into itself');
  const from = mustFind(db, fromId);
  const into = mustFind(db, intoId);
  const moved = moveReceipts(db, from.name, into.name);
  db.prepare('UPDATE rules SET category_id = ? WHERE category_id = ?').run(intoId, fromId);
  db.prepare('DELETE FROM categories WHERE id = ?').run(fromId);
  return moved;
}

function moveReceipts(db: Database.Database, from: string, to: string): number[] {
  return db
    .prepare('UPDATE receipts SET category = ?, updated_at = ? WHERE category = ? COLLATE NOCASE RETURNING id')
    .pluck()
    .all(to, new Date().toISOString(), from) as number[];
}

function checkName(name: string): string {
  const clean = name.trim();
  if (clean === '') throw new EditInputError('a category needs a name');
  return clean;
}

function findByName(db: Database.Database, name: string): CategoryRow | undefined {
  return db.prepare('SELECT id, name, color FROM categories WHERE name = ?').get(name) as CategoryRow | undefined;
}

function mustFind(db: Database.Database, id: number): CategoryRow {
  const row = db.prepare('SELECT id, name, color FROM categories WHERE id = ?').get(id) as CategoryRow | undefined;
  if (!row) throw new EditNotFoundError(`category ${id} does not exist (it may have been merged away)`);
  return row;
}
