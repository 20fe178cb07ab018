// The Rules screen: the rules learned from corrections (edit, delete, preview and apply to existing
// receipts) beside the categories people file receipts under.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Category, Rule } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';
import { CategoriesPanel, CategoryChip } from './CategoriesPanel';
import { ChangePreview } from './ChangePreview';
import { useRulePreview } from './use-rule-preview';
import './rules.css';

interface Props {
  version: number;
  /** Rules or categories changed receipts or the category list. */
  onChanged(): void;
}

export function RulesView({ version, onChanged }: Props) {
  const toasts = useToasts();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [categories, setCategories] = useState<Category[]>([]);
  const [editing, setEditing] = useState<number | null>(null);
  const [reload, setReload] = useState(0);
  const changed = useCallback(() => {
    setReload((n) => n + 1);
    onChanged();
  }, [onChanged]);
  const preview = useRulePreview(changed);

  useEffect(() => {
    let live = true;
    Promise.all([invoke('rules:list', {}), invoke('categories:list', {})]).then(
      ([r, c]) => {
        if (!live) return;
        setRules(r.rules);
        setCategories(c.categories);
      },
      (error) => toasts.push({ kind: 'error', message: `Could not load rules: ${errorMessage(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [version, reload, toasts]);

  const remove = async (rule: Rule) => {
    try {
      await invoke('rules:delete', { id: rule.id });
      toasts.push({ kind: 'info', message: `Rule for “${rule.example}” deleted. Receipts it filed keep their values.` });
      changed();
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not delete: ${errorMessage(error)}` });
    }
  };

  return (
    <section className="view rules-view" aria-labelledby="rules-heading">
      <div className="rules-main">
        <div className="view-header">
          <h2 id="rules-heading">Rules</h2>
          <button type="button" onClick={() => void preview.show()} disabled={!rules?.length}>
            Apply rules to existing receipts…
          </button>
        </div>
        <p className="muted rules-help">
          New receipts are filed by these rules as they are saved. A rule matches the merchant as the scanner read it, ignoring case,
          punctuation, numbers and spacing, and never changes a merchant or category you corrected yourself.
        </p>
        {preview.preview && (
          <ChangePreview
            changes={preview.preview.changes}
            applying={preview.applying}
            onApply={() => void preview.apply()}
            onCancel={preview.close}
          />
        )}
        {rules === null ? (
          <p className="muted">Loading…</p>
        ) : rules.length === 0 ? (
          <p className="table-empty">No rules yet. Correct a receipt's merchant or category and choose “Always” to remember it.</p>
        ) : (
          <table className="rules-table">
            <thead>
              <tr>
                <th scope="col">When the merchant reads</th>
                <th scope="col">File as</th>
                <th scope="col">Category</th>
                <th scope="col" className="num">
                  Receipts
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) =>
                editing === rule.id ? (
                  <RuleEditor
                    key={rule.id}
                    rule={rule}
                    categories={categories}
                    onDone={(saved) => {
                      setEditing(null);
                      if (saved) changed();
                    }}
                  />
                ) : (
                  <tr key={rule.id} data-rule-id={rule.id}>
                    <td>
                      <span className="rule-example">{rule.example}</span>
                    </td>
                    <td>{rule.merchant ?? <span className="muted">as read</span>}</td>
                    <td>
                      {rule.category ? (
                        <CategoryChip name={rule.category} color={rule.categoryColor} />
                      ) : (
                        <span className="muted">unchanged</span>
                      )}
                    </td>
                    <td className="num">{rule.matches.toLocaleString()}</td>
                    <td className="rule-actions">
                      <button type="button" className="link-button" onClick={() => void preview.show(rule.id)}>
                        Preview
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => setEditing(rule.id)}
                        aria-label={`Edit rule for ${rule.example}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="link-button danger-link"
                        onClick={() => void remove(rule)}
                        aria-label={`Delete rule for ${rule.example}`}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
      </div>
      <CategoriesPanel categories={categories} onChanged={changed} />
    </section>
  );
}

function RuleEditor({ rule, categories, onDone }: { rule: Rule; categories: Category[]; onDone(saved: boolean): void }) {
  const toasts = useToasts();
  const [example, setExample] = useState(rule.example);
  const [merchant, setMerchant] = useState(rule.merchant ?? '');
  const [category, setCategory] = useState(rule.category ?? '');

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await invoke('rules:save', { id: rule.id, example, merchant: merchant || null, category: category || null });
      onDone(true);
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not save the rule: ${errorMessage(error)}` });
    }
  };

  const form = `rule-form-${rule.id}`;
  return (
    <tr className="rule-editing" data-rule-id={rule.id}>
      <td>
        <form id={form} onSubmit={(e) => void save(e)} aria-label={`Edit rule for ${rule.example}`} />
        <input
          type="text"
          form={form}
          aria-label="Merchant as read"
          value={example}
          onChange={(e) => setExample(e.target.value)}
          required
        />
      </td>
      <td>
        <input
          type="text"
          form={form}
          aria-label="File as"
          placeholder="as read"
          value={merchant}
          onChange={(e) => setMerchant(e.target.value)}
        />
      </td>
      <td>
        <select form={form} aria-label="Category" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">unchanged</option>
          {categories.map((c) => (
            <option key={c.id} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </td>
      <td />
      <td className="rule-actions">
        <button type="submit" form={form} className="primary">
          Save
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </td>
    </tr>
  );
}
