// The money fields of a receipt: the amount actually paid, and the subtotal, tax and tip/service it is
// made of. A careful reader does not trust one label: the total is the value that the labels AND the
// arithmetic agree on (subtotal + tax (+ service/tip) = total, cash − change = total, total + rounding).
import { findAmounts, formatMinor } from './amounts';
import type { LabelKind } from './labels';
import { classifyLabel, labelText } from './labels';
import type { Row } from './layout';
import { typicalRowHeight } from './layout';

export interface LabeledAmount {
  kind: LabelKind;
  minor: number;
  rowIndex: number;
  /** The amount sat on the row below its label. */
  fromNextRow: boolean;
}

export interface MoneyPick {
  minor: number;
  confidence: number;
}

export interface Totals {
  total: MoneyPick | null;
  subtotal: MoneyPick | null;
  tax: MoneyPick | null;
  /** Tip and service charge together (what was paid on top of subtotal + tax). */
  tip: MoneyPick | null;
  warnings: string[];
}

/** Rows of a tax summary table ("GST SUMMARY  Amount  Tax") repeat totals that are not the bill's. */
function summaryRows(rows: Row[]): Set<number> {
  const out = new Set<number>();
  rows.forEach((row, i) => {
    const t = labelText(row.text);
    const header = /\bSUMMARY\b/.test(t) || (/\b(AMOUNT|AMT)\b/.test(t) && /\b(TAX|GST|VAT)\b/.test(t) && findAmounts(row).length === 0);
    if (header) for (let j = i; j < Math.min(rows.length, i + 5); j++) out.add(j);
  });
  return out;
}

/** Tip guides ("18% = 10.21", "Suggested gratuity") list tips nobody has paid yet. */
function tipSuggestionRows(rows: Row[]): Set<number> {
  const out = new Set<number>();
  rows.forEach((row, i) => {
    const t = labelText(row.text);
    if (/\b(SUGGESTED|SUGGESTION|GUIDE|GUIDELINE|CALCULATION)\b/.test(t) && /\b(TIP|TIPS|GRATUITY)\b/.test(t)) {
      for (let j = i; j < Math.min(rows.length, i + 5); j++) out.add(j);
    }
    if (/%/.test(row.text) && /\b(TIP|TIPS|GRATUITY)\b/.test(t)) out.add(i);
  });
  return out;
}

/** Each labelled row with the amount that belongs to its label (same row, or the row just below). */
export function labeledAmounts(rows: Row[]): LabeledAmount[] {
  const skip = new Set([...summaryRows(rows), ...tipSuggestionRows(rows)]);
  const rowH = typicalRowHeight(rows);
  const out: LabeledAmount[] = [];
  rows.forEach((row, i) => {
    if (skip.has(i)) return;
    const kind = classifyLabel(row.text);
    if (kind === 'none') return;
    const amounts = findAmounts(row);
    if (amounts.length > 0) {
      // The amount of a label is the one printed furthest right on its line.
      out.push({ kind, minor: amounts[amounts.length - 1].minor, rowIndex: row.index, fromNextRow: false });
      return;
    }
    const next = rows[i + 1];
    if (!next || skip.has(i + 1) || classifyLabel(next.text) !== 'none') return;
    if (!row.synthetic && next.box.y0 - row.box.y1 > rowH * 2) return;
    const below = findAmounts(next);
    if (below.length > 0) out.push({ kind, minor: below[below.length - 1].minor, rowIndex: row.index, fromNextRow: true });
  });
  return out;
}

const near = (a: number, b: number, slack = 1): boolean => Math.abs(a - b) <= slack;

function first(list: LabeledAmount[], kind: LabelKind): LabeledAmount | undefined {
  return list.find((l) => l.kind === kind && l.minor > 0);
}

export function pickTotals(rows: Row[]): Totals {
  const labeled = labeledAmounts(rows);
  const warnings: string[] = [];
  const of = (kind: LabelKind): LabeledAmount[] => labeled.filter((l) => l.kind === kind);

  const subtotal = first(labeled, 'subtotal');
  const taxes = of('tax').filter((l) => l.minor > 0);
  const service = first(labeled, 'service');
  const tipRow = first(labeled, 'tip');
  const rounding = of('rounding').find((l) => l.minor !== 0);
  const tenders = of('tender').filter((l) => l.minor > 0);
  const change = of('change').find((l) => l.minor >= 0);
  const extras = (service?.minor ?? 0) + (tipRow?.minor ?? 0);

  // Every value something on the receipt says could be the total, with how strongly it says so.
  const score = new Map<number, number>();
  const add = (minor: number, points: number): void => {
    if (minor > 0) score.set(minor, (score.get(minor) ?? 0) + points);
  };
  const labelPoints = new Map<number, number>();
  for (const l of labeled) {
    if (l.kind !== 'total' && l.kind !== 'grandTotal') continue;
    const p = l.kind === 'grandTotal' ? 3 : 2;
    labelPoints.set(l.minor, Math.max(labelPoints.get(l.minor) ?? 0, p));
  }
  for (const [minor, p] of labelPoints) add(minor, p);

  // A rounding line turns the printed total into the amount actually paid.
  if (rounding) {
    const before = labeled.filter((l) => (l.kind === 'total' || l.kind === 'grandTotal') && l.rowIndex < rounding.rowIndex);
    for (const minor of new Set(before.map((l) => l.minor))) {
      const rounded = minor + rounding.minor;
      const printed = rows.some((r) => r.index > rounding.rowIndex && findAmounts(r).some((a) => a.minor === rounded));
      add(rounded, printed ? 2.5 : 1.5);
    }
  }

  // subtotal + tax (+ service/tip) = total.
  const taxSum = distinctSum(taxes.map((t) => t.minor));
  if (subtotal) {
    const sums = new Set<number>([subtotal.minor + extras]);
    for (const t of taxes) sums.add(subtotal.minor + t.minor + extras);
    sums.add(subtotal.minor + taxSum + extras);
    for (const s of sums) if (s !== subtotal.minor || extras > 0) add(s, labelPoints.has(s) ? 2 : 1);
  }

  // cash − change = total; a card slip's amount is the total.
  for (const t of tenders) {
    if (change && change.minor < t.minor) add(t.minor - change.minor, 2);
    else if (!change && labelPoints.has(t.minor)) add(t.minor, 1);
  }

  // Nothing labelled: the largest amount that is not a tender is the best guess left.
  if (labelPoints.size === 0) {
    const tendered = new Set(tenders.map((t) => t.minor));
    const all = rows.flatMap((r) => findAmounts(r).map((a) => a.minor)).filter((m) => m > 0 && !tendered.has(m));
    if (all.length) add(Math.max(...all), 0.5);
  }

  let total: MoneyPick | null = null;
  if (score.size > 0) {
    const ranked = [...score.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    const [minor, points] = ranked[0];
    const margin = points - (ranked[1]?.[1] ?? 0);
    const confidence = Math.min(0.98, 0.3 + points * 0.1 + Math.min(margin, 3) * 0.07);
    total = { minor, confidence };
  }

  let tax: MoneyPick | null = null;
  if (taxes.length) {
    // Several tax lines may repeat one figure (GST 6% / TOTAL GST) or add up (state + city tax).
    const sumFits = total && subtotal && near(subtotal.minor + taxSum + extras, total.minor, 2);
    tax = { minor: sumFits ? taxSum : taxes[0].minor, confidence: sumFits ? 0.9 : 0.6 };
  }
  const tip = extras > 0 ? { minor: extras, confidence: 0.7 } : null;
  const sub = subtotal ? { minor: subtotal.minor, confidence: 0.8 } : null;

  if (!total) warnings.push('no total found');
  else if (sub && total) {
    const expected = sub.minor + (tax?.minor ?? 0) + extras;
    const withRounding = expected + (rounding?.minor ?? 0);
    if (!near(expected, total.minor, 2) && !near(withRounding, total.minor, 2) && !(tax === null && total.minor >= sub.minor)) {
      warnings.push(
        `subtotal ${formatMinor(sub.minor)} + tax ${formatMinor(tax?.minor ?? 0)}${extras ? ` + tip/service ${formatMinor(extras)}` : ''} does not equal total ${formatMinor(total.minor)}`,
      );
      total.confidence = Math.min(total.confidence, 0.6);
    }
  }
  return { total, subtotal: sub, tax, tip, warnings };
}

/** Sum of the distinct values: the same tax figure printed twice counts once. */
function distinctSum(values: number[]): number {
  return [...new Set(values)].reduce((s, v) => s + v, 0);
}
