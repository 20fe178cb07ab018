// The money fields of a receipt: the amount actually paid, and the subtotal, tax and tip/service it is
// made of. A careful reader does not trust one label: the total is the value that the labels AND the
// arithmetic agree on (subtotal + tax (+ service/tip) = total, cash − change = total, total + rounding).
import type { CurrencyCode } from '../../shared/model';
import { formatMinor, minorDigits } from '../../shared/money';
import type { Amount } from './amounts';
import { amountReader } from './amounts';
import type { LabelKind } from './labels';
import { classifyLabel, isTableHeader, labelText } from './labels';
import type { Row } from './layout';
import { typicalRowHeight } from './layout';
import { slips } from './similarity';

export interface LabeledAmount {
  kind: LabelKind;
  minor: number;
  rowIndex: number;
  /** The row the amount was read from: the label's own, or the next one. */
  amountRowIndex: number;
  /** Read from a bare integer whose decimal point OCR lost ("3045" for 30.45): trust less. */
  weak: boolean;
  /** Read through OCR confusions ("S" for 5, "O" for 0): trust less. */
  repaired: boolean;
  /** 0..1: the least OCR confidence among the figure's words. */
  ocrConfidence: number;
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

/** How this receipt's figures are read: in its currency's minor units, with slack sized to them. */
export interface Reading {
  currency: CurrencyCode | null;
  amounts: (row: Row) => Amount[];
  /** One major unit (a dollar, a dinar, a yen) in minor units. */
  unit: number;
  /** What "adds up" forgives: two hundredths of a unit, at least one minor unit. */
  slack: number;
}

export function readingFor(currency: CurrencyCode | null): Reading {
  const digits = minorDigits(currency);
  const unit = 10 ** digits;
  return { currency, amounts: amountReader(digits), unit, slack: Math.max(1, (2 * unit) / 100) };
}

/**
 * Rows of a tax summary table ("GST SUMMARY  Amount  Tax", "Tax Code  %  Amt  Tax") repeat totals that
 * are not the bill's. Such a table follows the bill's total; "Description  Amount  Tax" above every
 * total heads the item table.
 */
function summaryRows(rows: Row[], m: Reading): Set<number> {
  const out = new Set<number>();
  let totalAbove = false;
  rows.forEach((row, i) => {
    const t = labelText(row.text);
    const columns = /\b(AMOUNT|AMT|TAXCODE)\b/.test(t) && /\b(TAX|GST|VAT)\b/.test(t) && m.amounts(row).length === 0;
    const header = /\bSUMMARY\b/.test(t) || (columns && totalAbove);
    const kind = classifyLabel(row.text);
    if (kind === 'total' || kind === 'grandTotal') totalAbove = true;
    if (header) for (let j = i; j < Math.min(rows.length, i + 5); j++) out.add(j);
  });
  return out;
}

/** Tip guides ("18% = 10.21", "Suggested gratuity") list tips nobody has paid yet. */
function tipSuggestionRows(rows: Row[], m: Reading): Set<number> {
  const out = new Set<number>();
  rows.forEach((row, i) => {
    const t = labelText(row.text);
    if (/\b(SUGGESTED|SUGGESTION|GUIDE|GUIDELINE|CALCULATION)\b/.test(t) && /\b(TIP|TIPS|GRATUITY)\b/.test(t)) {
      for (let j = i; j < Math.min(rows.length, i + 5); j++) out.add(j);
    }
    if (/%/.test(row.text) && /\b(TIP|TIPS|GRATUITY)\b/.test(t)) out.add(i);
    // "Tip not included" / "Gratuity:" over "18% 9.50", "20% 10.55": a table of suggestions.
    if (/\b(TIP|TIPS|GRATUITY)\b/.test(t) && m.amounts(row).length === 0 && /%/.test(rows[i + 1]?.text ?? '')) {
      out.add(i);
      for (let j = i + 1; j < rows.length && /%/.test(rows[j].text); j++) out.add(j);
    }
  });
  return out;
}

/** Each labelled row with the amount that belongs to its label (same row, or the row just below). */
export function labeledAmounts(rows: Row[], m: Reading = readingFor(null)): LabeledAmount[] {
  const skip = new Set([...summaryRows(rows, m), ...tipSuggestionRows(rows, m)]);
  const rowH = typicalRowHeight(rows);
  const dollars = dollarSigns(rows, m);
  const out: LabeledAmount[] = [];
  rows.forEach((row, i) => {
    if (skip.has(i)) return;
    const kind = classifyLabel(row.text);
    if (kind === 'none') return;
    const labeled = (amount: Amount, from: Row): LabeledAmount => {
      const signAsDigit =
        dollars !== 'none' && amount.sign === null ? dollarReadAsFive(from.text.slice(amount.start, amount.end), dollars === 'most') : null;
      return {
        kind,
        minor: signAsDigit ?? amount.minor,
        rowIndex: row.index,
        amountRowIndex: from.index,
        weak: false,
        repaired: amount.repaired || signAsDigit !== null,
        ocrConfidence: Math.min(...amount.words.map((w) => w.confidence)),
      };
    };
    const amounts = m.amounts(row);
    if (amounts.length > 0) {
      // The amount of a label is the one printed furthest right on its line.
      out.push(labeled(amounts[amounts.length - 1], row));
      return;
    }
    // Only a bare label ("TOTAL", "Amount Due:") hands its amount to the row below; a table header
    // ("ITEM QTY U/P AMOUNT", "QTY ITEM Amt") does not.
    const next = rows[i + 1];
    const bareLabel = row.words.length <= 3 && !isTableHeader(row.text);
    const nextUsable =
      bareLabel &&
      next &&
      !skip.has(i + 1) &&
      classifyLabel(next.text) === 'none' &&
      !namesOwnFigure(next.text) &&
      (row.synthetic || next.box.y0 - row.box.y1 <= rowH * 2);
    const below = nextUsable ? m.amounts(next) : [];
    if (below.length > 0) {
      out.push(labeled(below[below.length - 1], next));
      return;
    }
    const bare = LOST_POINT.exec(row.text);
    if (bare && WEAK_KINDS.has(kind)) {
      out.push({
        kind,
        minor: Number(bare[1]),
        rowIndex: row.index,
        amountRowIndex: row.index,
        weak: true,
        repaired: false,
        ocrConfidence: row.confidence,
      });
    }
  });
  return out;
}

/**
 * A row that names its own figure with a colon ("Even Split (4): 28.74"), which it does not lend to a
 * label above it; a currency before the colon ("RM: 9.00", "USD: 12.00") names nothing.
 */
function namesOwnFigure(text: string): boolean {
  const name = /^(.*?):\s*\S/.exec(text)?.[1] ?? '';
  return /\b(?![A-Z]{3}\b)[A-Za-z]{3,}/.test(name);
}

/** How the receipt prints "$" glued to its figures: on none, on some, or on most of them (at least three). */
function dollarSigns(rows: Row[], m: Reading): 'none' | 'some' | 'most' {
  const all = rows.flatMap((r) => m.amounts(r));
  const signed = all.filter((a) => a.sign === '$').length;
  if (signed === 0) return 'none';
  return signed >= 3 && signed * 2 >= all.length ? 'most' : 'some';
}

/**
 * On a receipt that prints "$", a figure starting with the letter S ("S8.20") is the "$" misread. On one
 * that prints it before most figures, so is a 5 with two or more digits after it ("Total: 593.58" for
 * $93.58); a 5 before a single digit may be the figure's own ("58.20").
 */
function dollarReadAsFive(figure: string, mostFiguresSigned: boolean): number | null {
  const m = /^([5S])\s?(\d[\d,]*)[.,](\d\d)-?$/.exec(figure.trim());
  const whole = m?.[2]?.replace(/,/g, '');
  return m && whole && (m[1] === 'S' || (mostFiguresSigned && whole.length >= 2)) ? Number(whole + m[3]) : null;
}

/** A label's figure with its decimal point lost: digits ending the row, cents implied ("Total: 3045"). */
const LOST_POINT = /(?<![\d.,:/#-])(\d{3,5})[^\w]*$/;
/** Labels whose lost-point figure is worth a guess (not "TAX INVOICE NO 223894"). */
const WEAK_KINDS = new Set<LabelKind>(['total', 'grandTotal', 'subtotal', 'change', 'tender']);

const near = (a: number, b: number, slack: number): boolean => Math.abs(a - b) <= slack;

function first(list: LabeledAmount[], kind: LabelKind): LabeledAmount | undefined {
  return list.find((l) => l.kind === kind && l.minor > 0);
}

/** The money lines of a receipt, sorted by what they are. */
interface Breakdown {
  labeled: LabeledAmount[];
  totalRows: LabeledAmount[];
  subtotal?: LabeledAmount;
  taxes: LabeledAmount[];
  /** The tax lines the bill adds to its subtotal: not those that say the tax is included ("INC 6% GST 1.62"). */
  addedTaxes: LabeledAmount[];
  service?: LabeledAmount;
  tip?: LabeledAmount;
  /** Tip and service charge together. */
  extras: number;
  /** A cash-rounding adjustment of a few cents. */
  rounding?: LabeledAmount;
  /** The rounding line's row even when its figure was not read. */
  roundingRow?: number;
  tenders: LabeledAmount[];
  change?: LabeledAmount;
  /**
   * What was handed over less the change given back: change comes from the largest tender ("Tendered
   * 20.00", not "Cash 17.99"). Undefined with no change, or "Change 0.00" (the tender alone says it).
   */
  handedLessChange?: number;
  /** A subtotal printed again, larger, after the first: it already includes the tax or charges. */
  runningSubtotals: LabeledAmount[];
  /** Coupons, discounts and refunds printed under the subtotal, summed as a negative figure; 0 when none. */
  credits: number;
}

function readBreakdown(rows: Row[], m: Reading): Breakdown {
  const labeled = labeledAmounts(rows, m);
  const of = (kind: LabelKind): LabeledAmount[] => labeled.filter((l) => l.kind === kind);
  // A rounding adjustment is a few cents. A "rounding" line with a figure close to an earlier total is
  // the rounded total ("Rounding ... 52.10" under "Total 52.08"); any other large figure is misread.
  // Cash rounding never moves a bill by a whole unit.
  for (const l of of('rounding')) {
    if (Math.abs(l.minor) < m.unit) continue;
    const roundsEarlier = labeled.some(
      (t) => (t.kind === 'total' || t.kind === 'grandTotal') && t.rowIndex < l.rowIndex && near(t.minor, l.minor, m.unit / 10),
    );
    l.kind = roundsEarlier ? 'grandTotal' : 'none';
  }
  netTotalAsSubtotal(labeled, m);
  const taxesOf = (subtotal: LabeledAmount | undefined): LabeledAmount[] => {
    // No tax is as large as what it is charged on: a "tax" line carrying the subtotal's figure is the
    // taxable amount column ("TAX AMT 43.40" under "SUBTOTAL 43.40").
    const all = of('tax').filter((l) => l.minor > 0 && (!subtotal || l.minor < subtotal.minor));
    // The bill's tax is printed under its subtotal; when some is, a "tax" above it is the item table's column.
    const below = all.filter((l) => subtotal && l.rowIndex > subtotal.rowIndex);
    return below.length > 0 ? below : all;
  };
  // A tax line that says the tax is included ("INC 6% GST 1.62") is in the subtotal already.
  const added = (taxes: LabeledAmount[]): LabeledAmount[] =>
    taxes.filter((t) => !saysTaxIncluded(rows.find((r) => r.index === t.rowIndex)?.text ?? ''));
  // Of several subtotals ("Sub Total 43.90" incl. tax, "Sub Total 41.42" before it), the bill's is the
  // one its tax adds up to a printed total with; else the first.
  const printedTotals = labeled.filter((l) => (l.kind === 'total' || l.kind === 'grandTotal') && !l.weak).map((l) => l.minor);
  const addsUp = (s: LabeledAmount): boolean => {
    const sum = s.minor + distinctSum(added(taxesOf(s)).map((t) => t.minor));
    return sum !== s.minor && printedTotals.some((t) => near(t, sum, m.slack));
  };
  const subtotal = of('subtotal').find((l) => l.minor > 0 && addsUp(l)) ?? first(labeled, 'subtotal');
  // Service and tip lines are charges only below the subtotal; above it they are items ("Services 1,150.00").
  const charge = (l: LabeledAmount): boolean => l.minor > 0 && (!subtotal || l.rowIndex > subtotal.rowIndex);
  const service = of('service').find(charge);
  const tip = of('tip').find(charge);
  const rounding = of('rounding').find((l) => l.minor !== 0);
  const taxes = taxesOf(subtotal);
  // "Sub Total 48.85 / Tax 3.91 / Sub Total 52.76": after the tax when one was read, else anywhere below.
  const runningSubtotals = subtotal
    ? of('subtotal').filter((l) => l.minor > subtotal.minor && l.rowIndex > (taxes[0]?.rowIndex ?? subtotal.rowIndex))
    : [];
  const totalRows = labeled.filter((l) => l.kind === 'total' || l.kind === 'grandTotal');
  // What was handed over is its size, whichever side's sign the till prints ("Card -59.00").
  const tenders = of('tender')
    .filter((l) => l.minor !== 0)
    .map((l) => ({ ...l, minor: Math.abs(l.minor) }));
  const change = of('change').find((l) => l.minor >= 0);
  const handed = tenders.length ? Math.max(...tenders.map((t) => t.minor)) : 0;
  // A refund, or a bill printed from the card's side ("Total / Card -59.00"), shows every total with a
  // minus sign: the money that changed hands is its size.
  if (totalRows.length > 0 && totalRows.every((l) => l.minor < 0)) for (const l of totalRows) l.minor = -l.minor;
  return {
    labeled,
    totalRows,
    subtotal,
    taxes,
    addedTaxes: added(taxes),
    service,
    tip,
    extras: (service?.minor ?? 0) + (tip?.minor ?? 0),
    rounding,
    roundingRow: rounding?.rowIndex ?? of('rounding')[0]?.rowIndex,
    tenders,
    change,
    handedLessChange: change && change.minor > 0 && change.minor < handed ? handed - change.minor : undefined,
    runningSubtotals,
    credits: subtotal ? creditsBelow(rows, subtotal.rowIndex, m) : 0,
  };
}

/**
 * What comes off the bill below `rowIndex`: negative figures that are not payments or change, and a
 * discount line's figure whatever its sign ("Coupon Discount : 17.40").
 */
function creditsBelow(rows: Row[], rowIndex: number, m: Reading): number {
  let sum = 0;
  for (const r of rows) {
    if (r.index <= rowIndex || ['tender', 'change', 'rounding'].includes(classifyLabel(r.text))) continue;
    const last = m.amounts(r).at(-1);
    if (last && last.minor < 0) sum += last.minor;
    else if (last && classifyLabel(r.text) === 'discount') sum -= last.minor;
  }
  return sum;
}

/**
 * "Net Total 145.00 / Tax 12.51 / TOTAL 157.51": with no subtotal line, a total that a tax line below
 * it and a later total add up to (to the cent, or but one misread digit) is the subtotal.
 */
function netTotalAsSubtotal(labeled: LabeledAmount[], m: Reading): void {
  if (labeled.some((l) => l.kind === 'subtotal')) return;
  const totals = labeled.filter((l) => (l.kind === 'total' || l.kind === 'grandTotal') && !l.weak);
  for (const t of totals) {
    const tax = labeled.find((l) => l.kind === 'tax' && l.minor > 0 && l.rowIndex > t.rowIndex);
    if (!tax) continue;
    const sum = t.minor + tax.minor;
    if (totals.some((u) => u.rowIndex > tax.rowIndex && (near(u.minor, sum, m.slack) || oneDigitApart(u.minor, sum)))) {
      t.kind = 'subtotal';
      return;
    }
  }
}

/**
 * Values printed as the total, with points: what the labels call the total (most of all a final one,
 * below the subtotal and tax, after the rounding line), a card charge, an exact cash payment.
 */
function printedCandidates(b: Breakdown, rows: Row[]): Map<number, number> {
  const printed = new Map<number, number>();
  const offer = (minor: number, points: number): void => {
    printed.set(minor, Math.max(printed.get(minor) ?? 0, points));
  };
  // The bill's total follows its subtotal and tax lines; a "total" above them belongs to the item table.
  const breakdownRows = b.labeled.filter((l) => l.kind === 'subtotal' || l.kind === 'tax').map((l) => l.rowIndex);
  const belowBreakdown = (row: number): boolean => breakdownRows.length > 0 && row > Math.max(...breakdownRows);
  for (const l of b.totalRows) {
    if (l.weak) offer(l.minor, 1);
    else {
      const afterRounding = b.roundingRow !== undefined && l.rowIndex > b.roundingRow;
      // A figure read through letter-for-digit confusions ("RMS 60") may be another figure.
      const points = (l.kind === 'grandTotal' ? 3 : 2) - (l.repaired ? 1 : 0);
      offer(l.minor, points + (afterRounding ? 0.5 : 0) + (belowBreakdown(l.rowIndex) ? 0.5 : 0));
    }
  }
  const subtotals = b.labeled.filter((l) => l.kind === 'subtotal');
  for (const l of b.runningSubtotals) offer(l.minor, 1.5);
  // Watsons-style: the figure after a rounding line is labelled SUBTOTAL but is what was paid.
  if (b.rounding) for (const l of subtotals) if (l.rowIndex > b.rounding.rowIndex) offer(l.minor, 1.5);
  // With no total line, a tax-inclusive bill's subtotal is what was paid: a weak candidate.
  if (b.subtotal && b.totalRows.length === 0) offer(b.subtotal.minor, 0.5);

  // A card is charged exactly the total, and so is a payment with "Change 0.00" printed under it; cash
  // with no change line is the total or a round note. These add up with a label's points: they are
  // separate evidence.
  const score = new Map(printed);
  // "Balance 0.00" under a payment: nothing was left to pay, so the payment was the bill.
  const settledBelow = (t: LabeledAmount): boolean => b.totalRows.some((l) => l.minor === 0 && l.rowIndex > t.amountRowIndex);
  for (const t of b.tenders) {
    const points = isCard(rows, t.rowIndex) || b.change?.minor === 0 || settledBelow(t) ? 1.5 : !b.change ? 0.5 : 0;
    score.set(t.minor, (score.get(t.minor) ?? 0) + points);
  }
  return score;
}

/** What the arithmetic on the receipt says was paid, by kind of check. */
function derivedCandidates(b: Breakdown, rows: Row[], m: Reading): Map<string, Set<number>> {
  const derived = new Map<string, Set<number>>();
  const derive = (kind: string, minor: number): void => {
    if (minor > 0) derived.set(kind, (derived.get(kind) ?? new Set()).add(minor));
  };
  // A subtotal whose point was guessed ("Subtotal 58665") may be a misread figure: it is checked
  // against the total, not added up into one.
  if (b.subtotal && !b.subtotal.weak) {
    // subtotal + tax (+ service/tip), with several tax lines taken one by one or together.
    const sums = new Set<number>([b.subtotal.minor + distinctSum(b.addedTaxes.map((t) => t.minor)) + b.extras]);
    for (const t of b.addedTaxes) sums.add(b.subtotal.minor + t.minor + b.extras);
    if (b.extras > 0 || b.addedTaxes.length === 0) sums.add(b.subtotal.minor + b.extras);
    // A credit printed under the subtotal ("Sub-total 164.00 / Coupon -12.00") comes off the bill.
    if (b.credits < 0) for (const sum of [...sums]) sums.add(sum + b.credits);
    for (const sum of sums) {
      // The subtotal alone is the bill of a tax-inclusive receipt (less sure: a tax line may have been
      // missed), not when a larger running subtotal follows it.
      if (sum !== b.subtotal.minor) derive('sum', sum);
      else if (b.runningSubtotals.length === 0) derive('subtotal', sum);
      if (b.rounding) derive('rounded', sum + b.rounding.minor);
    }
  }
  // A total printed before the rounding line, rounded.
  const rounding = b.rounding;
  if (rounding) for (const l of b.totalRows) if (l.rowIndex < rounding.rowIndex) derive('rounded', l.minor + rounding.minor);
  // A total before the tip or service line plus that line: "Total 43.20 / Tip 8.00 / Total 51.20".
  const firstExtra = [b.service, b.tip].filter((l) => l !== undefined).sort((x, y) => x.rowIndex - y.rowIndex)[0];
  if (firstExtra) for (const l of b.totalRows) if (l.rowIndex < firstExtra.rowIndex) derive('sum', l.minor + b.extras);
  for (const t of b.totalRows) if (sectionTotals(b, t)) derive('sum', t.minor);
  for (const minor of rowOffTotals(rows, m)) derive('sum', minor);
  if (b.handedLessChange !== undefined) derive('cash', b.handedLessChange);
  return derived;
}

/**
 * On a skewed photo the money block's figures can sit a row above their labels ("Subtotal 6.76 / Sales
 * tax 86.26 / Total" with 79.50 above the subtotal): the last label then has no figure beside it. When
 * the labels' own figures do not add up, each label's figure is read from the row above; if the
 * subtotals and taxes then add up to the final total to the cent, that total is what the arithmetic
 * says. (Figures a row below their labels leave a wrong figure beside the total's label, which
 * outweighs one sum, so they are not read that way.)
 */
function rowOffTotals(rows: Row[], m: Reading): number[] {
  const kinds = rows.map((r) => classifyLabel(r.text));
  const firstSubtotal = kinds.indexOf('subtotal');
  const at = (kind: LabelKind) => kinds.flatMap((k, i) => (k === kind && i >= firstSubtotal ? [i] : []));
  const finalTotal = kinds.findLastIndex((k, i) => (k === 'total' || k === 'grandTotal') && i > firstSubtotal);
  const [subtotals, taxes] = [at('subtotal'), at('tax')];
  if (firstSubtotal === -1 || finalTotal === -1 || taxes.length === 0) return [];
  const addsUp = (shift: number): number | null => {
    const figure = (i: number): number | undefined => {
      const row = rows[i + shift];
      return row && m.amounts(row).at(-1)?.minor;
    };
    const parts = [...subtotals, ...taxes].filter((i) => i < finalTotal).map(figure);
    const total = figure(finalTotal);
    if (total === undefined || total <= 0 || parts.some((p) => p === undefined || p < 0)) return null;
    return parts.reduce((sum: number, p) => sum + p!, 0) === total ? total : null;
  };
  if (addsUp(0) !== null) return [];
  const above = addsUp(-1);
  return above === null ? [] : [above];
}

/**
 * A bill in sections ("Total 0% supplies 7.61", "Total 6% supplies 25.44", "Total Payable 33.05"): the
 * different totals above `t` when they add up to it, else null.
 */
function sectionTotals(b: Breakdown, t: LabeledAmount): Set<number> | null {
  const above = new Set(b.totalRows.filter((l) => l.rowIndex < t.rowIndex && !l.weak && l.minor > 0).map((l) => l.minor));
  return above.size >= 2 && distinctSum([...above]) === t.minor ? above : null;
}

const DERIVED_WEIGHT: Record<string, number> = { sum: 1.5, subtotal: 1, rounded: 1.5, cash: 2 };

/** The largest line amount (not a rate, not a tender): the guess left when nothing is labelled. */
function largestLineAmount(b: Breakdown, rows: Row[], m: Reading): number | null {
  const tendered = new Set(b.tenders.map((t) => t.minor));
  // Each line's own amount is its rightmost; figures inside a line are unit prices ("(15.00/ea) 30.00").
  const all = rows
    .filter((r) => !r.text.includes('%') && ['none', 'total', 'grandTotal'].includes(classifyLabel(r.text)))
    .map((r) => m.amounts(r).at(-1)?.minor ?? 0)
    .filter((m) => m > 0 && !tendered.has(m));
  return all.length ? Math.max(...all) : null;
}

/** The total the printed and derived evidence agree on most. */
function chooseTotal(b: Breakdown, rows: Row[], m: Reading): MoneyPick | null {
  const score = printedCandidates(b, rows);
  const add = (minor: number, points: number): void => {
    if (minor > 0) score.set(minor, (score.get(minor) ?? 0) + points);
  };
  for (const minor of [...score.keys()]) if (minor <= 0) score.delete(minor);
  // Where each figure is last printed: a computed figure that is also printed is more than arithmetic.
  const printedAt = new Map<number, number>();
  for (const r of rows) for (const a of m.amounts(r)) printedAt.set(a.minor, r.index);
  const derived = derivedCandidates(b, rows, m);
  for (const [kind, values] of derived) for (const v of values) add(v, DERIVED_WEIGHT[kind]);
  for (const v of new Set([...derived.values()].flatMap((set) => [...set]))) if (printedAt.has(v)) add(v, 0.5);
  if (score.size === 0) {
    const guess = largestLineAmount(b, rows, m);
    if (guess !== null) add(guess, 0.5);
  }
  if (score.size === 0) return null;

  // Ties go to the figure printed later: the last total on a receipt is the one after discounts and rounding.
  const lastTotalRow = new Map<number, number>();
  for (const l of b.totalRows) lastTotalRow.set(l.minor, Math.max(lastTotalRow.get(l.minor) ?? -1, l.rowIndex));
  const row = (minor: number): number => lastTotalRow.get(minor) ?? printedAt.get(minor) ?? -1;
  const ranked = [...score.entries()].sort((x, y) => y[1] - x[1] || row(y[0]) - row(x[0]) || y[0] - x[0]);
  let [minor, points] = ranked[0];
  const margin = points - (ranked[1]?.[1] ?? 0);
  // A total printed before a rounding line is not what was paid: the rounded figure printed after it is.
  const rounding = b.rounding;
  if (rounding && b.totalRows.some((l) => l.minor === minor && l.rowIndex < rounding.rowIndex)) {
    const rounded = minor + rounding.minor;
    if (rows.some((r) => r.index > rounding.rowIndex && m.amounts(r).some((a) => a.minor === rounded))) {
      minor = rounded;
      points = Math.max(points, score.get(rounded) ?? 0);
    }
  }
  return { minor, confidence: Math.min(0.98, 0.3 + points * 0.1 + Math.min(margin, 3) * 0.07) };
}

/** The money fields of a receipt whose amounts are in `currency` (null: two decimals). */
export function pickTotals(rows: Row[], currency: CurrencyCode | null = null): Totals {
  const m = readingFor(currency);
  const b = readBreakdown(rows, m);
  const warnings: string[] = [];
  const money = (minor: number): string => formatMinor(minor, currency);
  let total = chooseTotal(b, rows, m);
  const corrected = total && misreadTotal(b, total.minor);
  if (total && corrected !== null) {
    warnings.push(
      `total printed as ${money(total.minor)} read as ${money(corrected)}, the sum of subtotal and tax (one digit was poorly read)`,
    );
    total = { minor: corrected, confidence: 0.6 };
  }

  let tax: MoneyPick | null = null;
  if (b.taxes.length) {
    // Several tax lines may repeat one figure (GST 6% / TOTAL GST) or add up (state + city tax).
    const taxSum = distinctSum(b.taxes.map((t) => t.minor));
    const sumFits = total && b.subtotal && near(b.subtotal.minor + taxSum + b.extras, total.minor, m.slack);
    tax = { minor: sumFits ? taxSum : b.taxes[0].minor, confidence: sumFits ? 0.9 : 0.6 };
  }
  const tip = b.extras > 0 ? { minor: b.extras, confidence: 0.7 } : null;
  const sub = b.subtotal ? { minor: b.subtotal.minor, confidence: 0.8 } : null;

  if (!total) warnings.push('no total found');
  else if (sub) {
    // A careful reader checks the sum; a tax-inclusive bill (no tax line) may exceed its subtotal.
    const expected = sub.minor + (b.addedTaxes.length > 0 ? (tax?.minor ?? 0) : 0) + b.extras;
    const adds = [expected, expected + (b.rounding?.minor ?? 0), expected + b.credits].some((v) => near(v, total.minor, m.slack));
    // In a bill in sections the subtotal and tax are one section's: they add up to its total.
    const addsToSection = !adds && b.totalRows.some((l) => l.minor === total.minor && sectionTotals(b, l)?.has(expected));
    // A receipt that says its prices include the tax adds nothing to the subtotal.
    const inclusive = taxIncluded(rows) && near(sub.minor, total.minor, m.slack);
    if (!adds && !addsToSection && !(tax === null && total.minor >= sub.minor) && !inclusive) {
      const extra = b.extras ? ` + tip/service ${money(b.extras)}` : '';
      warnings.push(`subtotal ${money(sub.minor)} + tax ${money(tax?.minor ?? 0)}${extra} does not equal total ${money(total.minor)}`);
      total.confidence = Math.min(total.confidence, 0.6);
    }
  }
  return { total, subtotal: sub, tax, tip, warnings };
}

/**
 * The sum of subtotal and tax when the printed total differs from it in one digit only and was read
 * less surely than every part ("OTAL 26.90" at 80% under "SUB-TOTAL 25.22", "Tax 1.74" at 91%+), or
 * when two different readings of the total are each one digit off it ("TOTAL 157.61", "Amount Due
 * 167.51" for 145.00 + 12.51): the total's digit is the misread one. Null when the total stands: the
 * printed rounding adjustment makes up the difference, or a payment (or cash less change) confirms it.
 */
function misreadTotal(b: Breakdown, chosen: number): number | null {
  if (!b.subtotal || b.addedTaxes.length === 0) return null;
  const printed = b.totalRows.filter((l) => l.minor === chosen && !l.weak);
  const paid = b.tenders.some((t) => t.minor === chosen) || b.handedLessChange === chosen;
  if (printed.length === 0 || paid) return null;
  const sum = b.subtotal.minor + distinctSum(b.addedTaxes.map((t) => t.minor)) + b.extras;
  // A total that is the sum rounded by the printed adjustment stands ("Rounding 0.02", 9.43 → 9.45).
  if (!oneDigitApart(sum, chosen) || (b.rounding && sum + b.rounding.minor === chosen)) return null;
  if (new Set(b.totalRows.filter((l) => !l.weak && oneDigitApart(sum, l.minor)).map((l) => l.minor)).size >= 2) return sum;
  const parts = [b.subtotal, ...b.addedTaxes, b.service, b.tip].filter((l) => l !== undefined);
  const totalSure = Math.max(...printed.map((l) => l.ocrConfidence));
  return totalSure < Math.min(...parts.map((l) => l.ocrConfidence)) ? sum : null;
}

/** "Price Inclusive Of GST", "GST included", "incl. VAT": the tax lines tell what part of the total is tax. */
function taxIncluded(rows: Row[]): boolean {
  return rows.some((r) => saysTaxIncluded(r.text));
}

/** A line that says the tax is in the prices, not added to them ("INC 6% GST 1.62"). */
function saysTaxIncluded(text: string): boolean {
  const t = labelText(text);
  return /\b(INCLUSIVE|INCLUDED|INCL|INC)\b/.test(t) && /\b(TAX|GST|VAT|SST)\b/.test(t);
}

/** Same number of digits, exactly one of them different. */
function oneDigitApart(a: number, b: number): boolean {
  return slips(String(a), String(b)) === 1;
}

const CARD = /\b(VISA|MASTER\s?CARD|MASTER|AMEX|AMERICAN EXPRESS|DEBIT|CREDIT|CARD|DISCOVER|EFTPOS)\b/;

function isCard(rows: Row[], rowIndex: number): boolean {
  return CARD.test((rows.find((r) => r.index === rowIndex)?.text ?? '').toUpperCase());
}

/** Sum of the distinct values: the same tax figure printed twice counts once. */
function distinctSum(values: number[]): number {
  return [...new Set(values)].reduce((s, v) => s + v, 0);
}
