// Layout of the spending chart, kept apart from drawing: months on a continuous axis (gaps show as
// empty months), categories stacked within each month, and a y scale with round steps.
import type { SummaryRow } from '../../../shared/model';

export const UNCATEGORISED = 'Uncategorised';

export interface MonthStack {
  month: string;
  total: number;
  parts: { category: string; minor: number }[];
}

export interface CurrencySummary {
  currency: string;
  total: number;
  count: number;
  months: MonthStack[];
  /** Categories by total, largest first. */
  categories: { category: string; minor: number; count: number }[];
}

const MAX_MONTHS = 24;

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Spending per currency (largest first), each with its months and categories. */
export function summarise(rows: readonly SummaryRow[]): CurrencySummary[] {
  const byCurrency = new Map<string, SummaryRow[]>();
  for (const row of rows) {
    if (!/^\d{4}-\d{2}$/.test(row.month)) continue; // receipts without a date have no month to sit in
    const list = byCurrency.get(row.currency) ?? [];
    list.push(row);
    byCurrency.set(row.currency, list);
  }
  const result: CurrencySummary[] = [];
  for (const [currency, list] of byCurrency) {
    const categoryTotals = new Map<string, { minor: number; count: number }>();
    const monthParts = new Map<string, Map<string, number>>();
    let total = 0;
    let count = 0;
    for (const row of list) {
      const category = row.category || UNCATEGORISED;
      const c = categoryTotals.get(category) ?? { minor: 0, count: 0 };
      c.minor += row.totalMinor;
      c.count += row.count;
      categoryTotals.set(category, c);
      const parts = monthParts.get(row.month) ?? new Map<string, number>();
      parts.set(category, (parts.get(category) ?? 0) + row.totalMinor);
      monthParts.set(row.month, parts);
      total += row.totalMinor;
      count += row.count;
    }
    const categories = [...categoryTotals]
      .map(([category, v]) => ({ category, ...v }))
      .sort((a, b) => b.minor - a.minor || a.category.localeCompare(b.category));
    const order = new Map(categories.map((c, i) => [c.category, i]));
    const sortedMonths = [...monthParts.keys()].sort();
    const last = sortedMonths[sortedMonths.length - 1];
    // A long history shows its most recent two years; older months are still in the category totals.
    const all: string[] = [];
    for (let m = sortedMonths[0]; m <= last; m = nextMonth(m)) all.push(m);
    const shown = all.slice(-MAX_MONTHS);
    const months = shown.map((month) => {
      const parts = [...(monthParts.get(month) ?? new Map<string, number>())]
        .map(([category, minor]) => ({ category, minor }))
        .sort((a, b) => (order.get(a.category) ?? 0) - (order.get(b.category) ?? 0));
      return { month, total: parts.reduce((s, p) => s + p.minor, 0), parts };
    });
    result.push({ currency, total, count, months, categories });
  }
  return result.sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
}

/** A y axis from 0 with 1-2-5 steps over `max` (minor units), about `target` steps tall. */
export function niceScale(max: number, target = 4): { top: number; ticks: number[] } {
  if (max <= 0) return { top: 100, ticks: [0, 50, 100] };
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Math.round(t));
  return { top, ticks };
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortMonthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });

export function monthLabel(month: string, withYear = true): string {
  const [y, m] = month.split('-').map(Number);
  return (withYear ? monthFormat : shortMonthFormat).format(new Date(Date.UTC(y, m - 1, 1)));
}
