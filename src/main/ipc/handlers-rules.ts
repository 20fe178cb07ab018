// The rules and categories channels (contract's rules block), bound to the ledger's per-concern modules.
import type { RulesChannel } from '../../shared/contract';
import type { Ledger } from '../ledger/ledger';
import { addCategory, listCategories, mergeCategory, updateCategory } from '../ledger/categories';
import { deleteRule, getRule, listRules, planRuleChanges, saveRule, suggestRule } from '../ledger/rules';
import type { Handlers } from './dispatch';

export function createRulesHandlers(ctx: { ledger: Ledger; ledgerChanged(ids: number[]): void }): Pick<Handlers, RulesChannel> {
  const { ledger } = ctx;
  const category = (id: number) => ledger.read(listCategories).find((c) => c.id === id)!;
  /** A category change that refiled receipts tells every window. */
  const refiled = (ids: number[]) => {
    if (ids.length > 0) ctx.ledgerChanged(ids);
    return ids;
  };

  return {
    'rules:list': () => ({ rules: ledger.read(listRules) }),
    'rules:suggest': ({ receiptId }) => ({ suggestion: ledger.read((db) => suggestRule(db, receiptId)) }),
    'rules:save': (input) => {
      const id = ledger.change((db) => ({ result: saveRule(db, input), changedIds: [] }));
      return ledger.read((db) => getRule(db, id));
    },
    'rules:delete': ({ id }) => {
      ledger.change((db) => ({ result: deleteRule(db, id), changedIds: [] }));
      return { deleted: 1 };
    },
    'rules:preview': ({ ruleId }) => ({ changes: ledger.read((db) => planRuleChanges(db, { ruleId })) }),
    'rules:apply': ({ ruleId, receiptIds }) => {
      const changes = ledger.applyRules({ ruleId, receiptIds });
      refiled(changes.map((c) => c.receiptId));
      return { changed: changes.length };
    },
    'categories:list': () => ({ categories: ledger.read(listCategories) }),
    'categories:add': ({ name, color }) => ledger.change((db) => ({ result: addCategory(db, name, color ?? null), changedIds: [] })),
    'categories:update': ({ id, name, color }) => {
      refiled(
        ledger.change((db) => {
          const ids = updateCategory(db, id, { name, color });
          return { result: ids, changedIds: ids };
        }),
      );
      return category(id);
    },
    'categories:merge': ({ id, intoId }) => {
      const moved = refiled(
        ledger.change((db) => {
          const ids = mergeCategory(db, id, intoId);
          return { result: ids, changedIds: ids };
        }),
      );
      return { moved: moved.length };
    },
  };
}
