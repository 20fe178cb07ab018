// Settling a possible duplicate pair: keep both, or merge one receipt into the other.
import { FIELD_NAMES, type DuplicateAction, type Receipt } from '../../shared/model';
import { now, type Connection } from './connection';
import { LedgerInputError, ReceiptNotFoundError } from './errors';
import { repointJobs } from './jobs';
import { refreshReview, reindex, storedReceipt, unindex, writeValues, type Stored } from './receipts';
import { VALUE_KEYS, VALUE_SPEC, valuesOf } from './validation';

const WRITE_EXTRACTION = 'UPDATE receipts SET field_confidence = @fieldConfidence, items = @items WHERE id = @id';
const MERGE_AWAY = 'UPDATE receipts SET merged_into = @into, deleted_at = @now, updated_at = @now, match_key = NULL WHERE id = @id';
const REPOINT_MERGED = 'UPDATE receipts SET merged_into = @to, updated_at = @now WHERE merged_into = @from';

/**
 * Settles a possible duplicate pair, in one transaction. 'keep-both': both stay, the pair is never
 * flagged again. 'merge': `id` stays and `otherId` is folded into it (see mergeValues); the other's file,
 * OCR text and queue jobs now lead to `id`. Returns receipt `id` as it is afterwards.
 */
export function resolveDuplicate(c: Connection, id: number, otherId: number, action: DuplicateAction): Receipt {
  return c.write(() => {
    const keep = storedReceipt(c, id);
    const other = storedReceipt(c, otherId);
    if (!keep || keep.deleted) throw new ReceiptNotFoundError(id);
    if (!other || other.deleted) throw new ReceiptNotFoundError(otherId);
    if (!c.dups.isOpenPair(id, otherId)) {
      throw new LedgerInputError(`receipts ${id} and ${otherId} are not marked as possible duplicates of each other`);
    }
    if (action === 'keep-both') {
      c.dups.keepBoth(id, otherId);
      refreshReview(c, [id, otherId]);
      return storedReceipt(c, id)!.receipt;
    }
    const merged = mergeValues(keep, other);
    writeValues(c, id, merged.values, merged.corrected, { ...keep, fieldConfidence: merged.confidence });
    c.prepare(WRITE_EXTRACTION).run({ id, fieldConfidence: JSON.stringify(merged.confidence), items: JSON.stringify(merged.items) });
    const at = now();
    c.prepare(MERGE_AWAY).run({ id: otherId, into: id, now: at });
    c.prepare(REPOINT_MERGED).run({ from: otherId, to: id, now: at });
    repointJobs(c, otherId, id, at);
    unindex(c, otherId);
    refreshReview(c, [...c.dups.forget(otherId), ...c.dups.recheck(id), id]);
    reindex(c, id);
    return storedReceipt(c, id)!.receipt;
  });
}

/**
 * How a merge settles each value: the survivor keeps what a person corrected on it; a value corrected
 * only on the merged-away receipt comes over and stays marked corrected; a value the survivor lacks is
 * taken from the other (with its confidence); otherwise the survivor's own reading stands. Line items:
 * the survivor's, or the other's when it has none.
 */
function mergeValues(keep: Stored, other: Stored) {
  const values = valuesOf(keep.receipt);
  const theirs = valuesOf(other.receipt);
  const corrected = new Set(keep.receipt.corrected);
  const confidence = { ...keep.fieldConfidence };
  for (const key of VALUE_KEYS) {
    const field = VALUE_SPEC[key].field;
    const oursByHand = field !== null && keep.receipt.corrected.includes(field);
    const theirsByHand = field !== null && other.receipt.corrected.includes(field);
    if (oursByHand || !(theirsByHand || (values[key] === null && theirs[key] !== null))) continue;
    Object.assign(values, { [key]: theirs[key] });
    if (field === null) continue;
    if (theirsByHand) corrected.add(field);
    const c = other.fieldConfidence[field];
    if (c === undefined) delete confidence[field];
    else confidence[field] = c;
  }
  return {
    values,
    corrected: FIELD_NAMES.filter((f) => corrected.has(f)),
    confidence,
    items: keep.receipt.items.length > 0 ? keep.receipt.items : other.receipt.items,
  };
}
