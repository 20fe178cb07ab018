import { describe, expect, it } from 'vitest';
import { buildFilter, emptyFilterInputs, isFiltered } from './filters';

describe('buildFilter', () => {
  it('leaves out what is empty', () => {
    const { filter, problems } = buildFilter(emptyFilterInputs, 'USD');
    expect(filter).toEqual({});
    expect(problems).toEqual({});
    expect(isFiltered(filter)).toBe(false);
  });

  it('turns amounts into minor units of the default currency and keeps the rest', () => {
    const { filter } = buildFilter(
      {
        text: '  coffee ',
        dateFrom: '2024-01-01',
        dateTo: '2024-03-31',
        minAmount: '10',
        maxAmount: '1,250.5',
        category: 'Meals',
        needsReview: true,
        possibleDuplicates: true,
      },
      'USD',
    );
    expect(filter).toEqual({
      text: 'coffee',
      dateFrom: '2024-01-01',
      dateTo: '2024-03-31',
      minTotalMinor: 1000,
      maxTotalMinor: 125050,
      category: 'Meals',
      needsReview: true,
      possibleDuplicates: true,
    });
    expect(buildFilter({ ...emptyFilterInputs, minAmount: '1500' }, 'JPY').filter).toEqual({ minTotalMinor: 1500 });
  });

  it('reports bad bounds by field', () => {
    const { filter, problems } = buildFilter(
      { ...emptyFilterInputs, minAmount: 'ten', maxAmount: '5', dateFrom: '2024-05-01', dateTo: '2024-04-01' },
      'USD',
    );
    expect(filter).toEqual({ maxTotalMinor: 500, dateFrom: '2024-05-01', dateTo: '2024-04-01' });
    expect(problems.minAmount).toBe('"ten" is not an amount');
    expect(problems.dateTo).toBe('ends before it starts');
    expect(buildFilter({ ...emptyFilterInputs, minAmount: '9', maxAmount: '5' }, 'USD').problems.maxAmount).toBe('is below the minimum');
  });
});
