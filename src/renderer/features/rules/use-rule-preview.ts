// Preview-then-apply for rules on existing receipts: the preview lists what would change, and applying
// touches exactly the receipts it listed (a receipt saved meanwhile is left for the next preview).
import { useCallback, useState } from 'react';
import type { RuleChange } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';

export function useRulePreview(onApplied: () => void) {
  const toasts = useToasts();
  const [preview, setPreview] = useState<{ ruleId?: number; changes: RuleChange[] } | null>(null);
  const [applying, setApplying] = useState(false);

  const show = useCallback(
    async (ruleId?: number) => {
      try {
        const { changes } = await invoke('rules:preview', ruleId === undefined ? {} : { ruleId });
        setPreview({ ruleId, changes });
      } catch (error) {
        toasts.push({ kind: 'error', message: `Could not preview: ${errorMessage(error)}` });
      }
    },
    [toasts],
  );

  const apply = useCallback(async () => {
    if (!preview || preview.changes.length === 0) return;
    setApplying(true);
    try {
      const receiptIds = preview.changes.map((c) => c.receiptId);
      const { changed } = await invoke(
        'rules:apply',
        preview.ruleId === undefined ? { receiptIds } : { ruleId: preview.ruleId, receiptIds },
      );
      toasts.push({ kind: 'success', message: `Rules applied to ${changed.toLocaleString()} receipt${changed === 1 ? '' : 's'}.` });
      setPreview(null);
      onApplied();
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not apply: ${errorMessage(error)}` });
    } finally {
      setApplying(false);
    }
  }, [preview, onApplied, toasts]);

  return { preview, applying, show, apply, close: useCallback(() => setPreview(null), []) };
}
