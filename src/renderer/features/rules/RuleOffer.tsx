// Shown in a receipt's detail after a person corrects its merchant or category: "Always file SHELL 1234
// as Shell · Fuel?". Accepting saves the rule (later scans arrive filed so), then offers to preview and
// apply it to earlier receipts that read the same.
import { useEffect, useState } from 'react';
import type { Rule, RuleSuggestion } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';
import { ChangePreview } from './ChangePreview';
import { useRulePreview } from './use-rule-preview';
import './rules.css';

export function RuleOffer({ receiptId, onChanged }: { receiptId: number; onChanged(): void }) {
  const toasts = useToasts();
  const [suggestion, setSuggestion] = useState<RuleSuggestion | null>(null);
  const [rule, setRule] = useState<Rule | null>(null);
  const [closed, setClosed] = useState(false);
  const preview = useRulePreview(() => {
    setClosed(true);
    onChanged();
  });

  useEffect(() => {
    let live = true;
    invoke('rules:suggest', { receiptId }).then(
      ({ suggestion }) => live && setSuggestion(suggestion),
      () => {}, // nothing to offer is no news
    );
    return () => {
      live = false;
    };
  }, [receiptId]);

  if (closed || !suggestion) return null;

  const accept = async () => {
    try {
      const saved = await invoke('rules:save', {
        example: suggestion.example,
        merchant: suggestion.merchant,
        category: suggestion.category,
      });
      setRule(saved);
      onChanged();
    } catch (error) {
      toasts.push({ kind: 'error', message: `Could not save the rule: ${errorMessage(error)}` });
    }
  };

  const target = [suggestion.merchant, suggestion.category].filter(Boolean).join(' · ');
  // Other receipts this rule matches (this one already reads as corrected).
  const others = rule ? rule.matches - 1 : 0;

  return (
    <div className="rule-offer" role="region" aria-label="Remember this correction">
      {!rule ? (
        <>
          <p>
            Always file <strong className="rule-example">{suggestion.example}</strong> as <strong>{target}</strong>?
            {suggestion.replacesRuleId !== null && <span className="muted"> (replaces the current rule for it)</span>}
          </p>
          <div className="form-actions">
            <button type="button" className="primary" onClick={() => void accept()}>
              Always
            </button>
            <button type="button" onClick={() => setClosed(true)}>
              Not now
            </button>
          </div>
        </>
      ) : preview.preview ? (
        <ChangePreview
          changes={preview.preview.changes}
          applying={preview.applying}
          onApply={() => void preview.apply()}
          onCancel={() => setClosed(true)}
        />
      ) : (
        <>
          <p>
            Remembered: receipts reading like <strong>{rule.example}</strong> will be filed as <strong>{target}</strong>.
            {others > 0 && ` ${others.toLocaleString()} earlier receipt${others === 1 ? '' : 's'} read${others === 1 ? 's' : ''} the same.`}
          </p>
          <div className="form-actions">
            {others > 0 && (
              <button type="button" onClick={() => void preview.show(rule.id)}>
                Preview changes…
              </button>
            )}
            <button type="button" onClick={() => setClosed(true)}>
              Done
            </button>
          </div>
        </>
      )}
    </div>
  );
}
