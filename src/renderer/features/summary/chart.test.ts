import { describe, expect, it } from 'vitest';
import type { SummaryRow } from '../../../shared/model';
import { niceScale, summarise } from './chart';

const row = (month: string, category: string, totalMinor: number, currency = 'USD', count = 1): SummaryRow => ({
  month,
  category,
  currency,
  totalMinor,
  count,
});

describe('summarise', () => {
  it('groups per currency, fills empty months and stacks categories largest first', () => {
    const [usd, eur] = summarise([
      row('2024-01', 'Meals', 1200),
      row('2024-03', 'Travel', 5000, 'USD', 2),
      row('2024-03', 'Meals', 800),
      row('2024-02', '', 300, 'EUR'),
    ]);
    expect(usd.currency).toBe('USD');
    expect(usd.total).toBe(7000);
    expect(usd.count).toBe(4);
    expect(usd.months.map((m) => [m.month, m.total])).toEqual([
      ['2024-01', 1200],
      ['2024-02', 0],
      ['2024-03', 5800],
    ]);
    expect(usd.months[2].parts.map((p) => p.category)).toEqual(['Travel', 'Meals']);
    expect(usd.categories).toEqual([
      { category: 'Travel', minor: 5000, count: 2 },
      { category: 'Meals', minor: 2000, count: 2 },
    ]);
    expect(eur.categories[0].category).toBe('Uncategorised');
  });

  it('crosses year ends and keeps the latest two years of months', () => {
    const [usd] = summarise([row('2019-11', 'Fuel', 100), row('2024-02', 'Fuel', 100)]);
    expect(usd.months).toHaveLength(24);
    expect(usd.months[0].month).toBe('2022-03');
    expect(usd.months[23].month).toBe('2024-02');
    expect(usd.categories[0].minor).toBe(200);
    const [short] = summarise([row('2023-12', 'Fuel', 100), row('2024-01', 'Fuel', 100)]);
    expect(short.months.map((m) => m.month)).toEqual(['2023-12', '2024-01']);
  });

  it('returns nothing for an empty ledger', () => {
    expect(summarise([])).toEqual([]);
  });
});

describe('niceScale', () => {
  it('rounds the top up to a 1-2-5 step', () => {
    expect(niceScale(5800)).toEqual({ top: 6000, ticks: [0, 2000, 4000, 6000] });
    expect(niceScale(123456)).toEqual({ top: 150000, ticks: [0, 50000, 100000, 150000] });
    expect(niceScale(0).top).toBeGreaterThan(0);
  });
});
