// Categories people file receipts under: add, rename, recolour, merge one into another. A rename or
// merge refiles the receipts (the person's own act: a category they chose stays theirs under the new name).
import { useState, type FormEvent } from 'react';
import type { Category } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';

/** Shown for a category without a colour of its own. */
const NO_COLOR = '#b3bac4';

export function CategoryChip({ name, color }: { name: string; color: string | null }) {
  return (
    <span className="cat-chip">
      <span className="cat-dot" style={{ background: color ?? NO_COLOR }} aria-hidden="true" />
      {name}
    </span>
  );
}

export function CategoriesPanel({ categories, onChanged }: { categories: Category[]; onChanged(): void }) {
  const toasts = useToasts();
  const [name, setName] = useState('');
  const [color, setColor] = useState('#5a6fd6');

  const run = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      onChanged();
      return true;
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not ${what}: ${errorMessage(error)}` });
      return false;
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await run('add the category', () => invoke('categories:add', { name, color }))) setName('');
  };

  return (
    <aside className="categories-panel" aria-labelledby="categories-heading">
      <h2 id="categories-heading">Categories</h2>
      <ul className="category-list">
        {categories.map((c) => (
          <CategoryRow key={`${c.id}:${c.name}:${c.color}`} category={c} others={categories.filter((o) => o.id !== c.id)} run={run} />
        ))}
      </ul>
      <form className="category-add" onSubmit={(e) => void add(e)} aria-label="Add a category">
        <input type="color" aria-label="New category colour" value={color} onChange={(e) => setColor(e.target.value)} />
        <input
          type="text"
          aria-label="New category name"
          placeholder="New category"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <button type="submit">Add</button>
      </form>
    </aside>
  );
}

interface RowProps {
  category: Category;
  others: Category[];
  run(what: string, fn: () => Promise<unknown>): Promise<boolean>;
}

function CategoryRow({ category, others, run }: RowProps) {
  const [name, setName] = useState(category.name);
  const [mergeInto, setMergeInto] = useState('');
  const target = others.find((o) => String(o.id) === mergeInto);

  const rename = () => {
    if (name.trim() === category.name) return;
    void run('rename the category', () => invoke('categories:update', { id: category.id, name })).then(
      (ok) => ok || setName(category.name),
    );
  };

  return (
    <li className="category-row" data-category={category.name}>
      <input
        type="color"
        aria-label={`Colour of ${category.name}`}
        value={category.color ?? NO_COLOR}
        onChange={(e) => void run('recolour the category', () => invoke('categories:update', { id: category.id, color: e.target.value }))}
      />
      <input
        type="text"
        className="category-name"
        aria-label={`Name of ${category.name}`}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={rename}
        onKeyDown={(e) => e.key === 'Enter' && rename()}
      />
      <span className="muted category-count" title="Receipts filed under it">
        {category.receipts.toLocaleString()}
      </span>
      {target ? (
        <span className="category-merge">
          <button
            type="button"
            className="danger"
            onClick={() => void run('merge the categories', () => invoke('categories:merge', { id: category.id, intoId: target.id }))}
          >
            Merge into {target.name}
          </button>
          <button type="button" onClick={() => setMergeInto('')}>
            Cancel
          </button>
        </span>
      ) : (
        <select aria-label={`Merge ${category.name} into`} value="" onChange={(e) => setMergeInto(e.target.value)}>
          <option value="">Merge…</option>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      )}
    </li>
  );
}
