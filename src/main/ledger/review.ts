// Decides how sure the ledger is about a receipt and whether a person should look at it.
import type { FieldName } from '../../shared/model';
import { REVIEW_CONFIDENCE_THRESHOLD } from '../extract/confidence';

/** The fields a receipt is useless without. */
export const KEY_FIELDS = ['merchant', 'date', 'total'] as const satisfies readonly FieldName[];

export interface ReviewInput {
  values: { merchant: string | null; date: string | null; totalMinor: number | null };
  confidence: Partial<Record<FieldName, number>>;
  warnings: readonly string[];
  corrected: readonly FieldName[];
  /** Flagged as a possible duplicate of another receipt, not yet resolved by a person. */
  possibleDuplicate: boolean;
}

/**
 * Overall confidence is the lowest key-field confidence: a missing field counts 0, a field a person
 * corrected counts 1. Extractor warnings flag the receipt until a person has corrected any field, since
 * a correction means they looked at it. A possible duplicate needs review until a person resolves it.
 */
export function assessReview({ values, confidence, warnings, corrected, possibleDuplicate }: ReviewInput): {
  confidence: number;
  needsReview: boolean;
} {
  const present = { merchant: values.merchant !== null, date: values.date !== null, total: values.totalMinor !== null };
  const overall = Math.min(
    ...KEY_FIELDS.map((field) => {
      if (corrected.includes(field)) return 1;
      if (!present[field]) return 0;
      const c = confidence[field];
      return typeof c === 'number' && Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0;
    }),
  );
  return {
    confidence: overall,
    needsReview: possibleDuplicate || overall < REVIEW_CONFIDENCE_THRESHOLD || (warnings.length > 0 && corrected.length === 0),
  };
}
