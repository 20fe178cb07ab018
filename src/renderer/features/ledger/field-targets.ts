// Which boxes on the receipt belong to which form field, and what a person can pick for a field:
// amounts for money, dates for the date, printed lines for the merchant. Pure, so it is tested alone.
import type { CurrencyCode, FieldName, PageBox, Provenance, ReadTarget, Receipt } from '../../../shared/model';
import { minorToEditText } from '../../lib/money';
import type { FormField } from './receipt-form';

/** The fields whose boxes are drawn on the image, with the ledger's name for each. */
export const BOXED_FIELDS = [
  ['merchant', 'merchant'],
  ['date', 'date'],
  ['totalMinor', 'total'],
  ['subtotalMinor', 'subtotal'],
  ['taxMinor', 'tax'],
  ['tipMinor', 'tip'],
] as const satisfies readonly (readonly [FormField, FieldName])[];

export type BoxedField = (typeof BOXED_FIELDS)[number][0];

/** What kind of recognised thing can be picked for a field; absent: nothing on the image fits it. */
export const PICK_KIND: Partial<Record<FormField, ReadTarget['kind']>> = {
  merchant: 'line',
  date: 'date',
  totalMinor: 'amount',
  subtotalMinor: 'amount',
  taxMinor: 'amount',
  tipMinor: 'amount',
};

/**
 * The boxes drawn for each field: where it was read, or for a field a person corrected, where its value
 * is printed (the last place: a total is printed last), and none when it is printed nowhere.
 */
export function shownBoxes(provenance: Provenance, receipt: Receipt): Partial<Record<BoxedField, PageBox[]>> {
  const out: Partial<Record<BoxedField, PageBox[]>> = {};
  for (const [field, name] of BOXED_FIELDS) {
    if (!receipt.corrected.includes(name)) {
      if (provenance.fields[name]) out[field] = provenance.fields[name];
      continue;
    }
    const printed = candidatesFor(provenance, field).findLast((t) => t.value === receipt[field]);
    if (printed) out[field] = [printed.box];
  }
  return out;
}

/** The recognised things a person can pick for `field`, in reading order. */
export function candidatesFor(provenance: Provenance, field: FormField): ReadTarget[] {
  const kind = PICK_KIND[field];
  return kind ? provenance.targets.filter((t) => t.kind === kind) : [];
}

/** The text a picked target puts in the form field. */
export function pickedText(target: ReadTarget, currency: CurrencyCode | null): string {
  return target.kind === 'amount' ? minorToEditText(target.value, currency) : target.value;
}

/**
 * The candidate after (step 1) or before (step −1) the current one, wrapping around. With none current
 * yet, the one whose value the field holds, so the first step moves away from what was read.
 */
export function stepCandidate(
  candidates: ReadTarget[],
  current: number | null,
  fieldText: string,
  currency: CurrencyCode | null,
  step: 1 | -1,
): number | null {
  if (candidates.length === 0) return null;
  const from = current ?? candidates.findIndex((c) => pickedText(c, currency) === fieldText);
  if (from === -1) return step === 1 ? 0 : candidates.length - 1;
  return (from + step + candidates.length) % candidates.length;
}

/** Share by which the image's shape may differ from the page's before its boxes would be misplaced. */
const SHAPE_SLACK = 0.02;

/** Whether boxes of page `shown` can be drawn on an image of this size: it is that page (the same shape). */
export function imageFitsPage(provenance: Provenance, shown: number, width: number, height: number): boolean {
  const page = provenance.pages[shown];
  if (!page || width <= 0 || height <= 0) return false;
  return Math.abs(width / height / (page.width / page.height) - 1) <= SHAPE_SLACK;
}

/** The page to show for a field: where its boxes are, when none is on the page shown; null to stay. */
export function pageOfBoxes(boxes: readonly PageBox[] | undefined, shown: number): number | null {
  if (!boxes?.length || boxes.some((b) => b.page === shown)) return null;
  return boxes[0]!.page;
}
