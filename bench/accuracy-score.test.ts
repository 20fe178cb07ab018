import { describe, expect, it } from 'vitest';
import type { ExtractedFields } from '../src/shared/model';
import { formatItemsAddUp, halfOf, inHalf } from './accuracy-score';

describe('halfOf', () => {
  it('puts each receipt in a half by its own name alone, about half in each', () => {
    const stems = Array.from({ length: 400 }, (_, i) => `X${51005000000 + i * 7919}`);
    const tune = stems.filter((s) => halfOf(s) === 'tune');
    expect(tune.length).toBeGreaterThan(160);
    expect(tune.length).toBeLessThan(240);
    // Adding receipts to the set moves none: the half depends on nothing else.
    expect(stems.map(halfOf)).toEqual([...stems].reverse().map(halfOf).reverse());
    expect(stems.filter((s) => inHalf(s, 'report'))).toEqual(stems.filter((s) => !tune.includes(s)));
    expect(stems.every((s) => inHalf(s, 'all'))).toBe(true);
  });
});

describe('formatItemsAddUp', () => {
  const receipt = (items: number[], subtotalMinor: number | null, totalMinor: number | null): ExtractedFields =>
    ({ items: items.map((amountMinor) => ({ description: 'x', amountMinor })), subtotalMinor, totalMinor }) as ExtractedFields;

  it('counts receipts whose items add up to the subtotal or the total', () => {
    const line = formatItemsAddUp([
      receipt([300, 4590], 4890, 5324),
      receipt([300, 4590], null, 4890),
      receipt([5000, 324], 4890, 5324),
      receipt([300], 4890, 5324),
      receipt([], 4890, 5324),
      receipt([300], null, null),
    ]);
    expect(line).toBe('  line items add up to the subtotal or the total: 3/5 receipts');
  });
});
