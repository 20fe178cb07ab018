// What the person typed in the filter bar, turned into the contract's LedgerFilter. Amount bounds are
// decimal text read in the default currency's minor units; bad input is reported, not guessed at.
import type { CurrencyCode, LedgerFilter, SortKey } from '../../../shared/model';
import { parseAmount } from '../../lib/money';

export interface FilterInputs {
  text: string;
  dateFrom: string;
  dateTo: string;
  minAmount: string;
  maxAmount: string;
  category: string;
  needsReview: boolean;
  possibleDuplicates: boolean;
}

export const emptyFilterInputs: FilterInputs = {
  text: '',
  dateFrom: '',
  dateTo: '',
  minAmount: '',
  maxAmount: '',
  category: '',
  needsReview: false,
  possibleDuplicates: false,
};

export interface Sort {
  key: SortKey;
  direction: 'asc' | 'desc';
}

export const defaultSort: Sort = { key: 'date', direction: 'desc' };

export interface BuiltFilter {
  filter: LedgerFilter;
  /** Problems by input name; the filter leaves those bounds out. */
  problems: Partial<Record<keyof FilterInputs, string>>;
}

export function buildFilter(inputs: FilterInputs, currency: CurrencyCode): BuiltFilter {
  const filter: LedgerFilter = {};
  const problems: BuiltFilter['problems'] = {};
  const text = inputs.text.trim().slice(0, 500);
  if (text) filter.text = text;
  if (inputs.dateFrom) filter.dateFrom = inputs.dateFrom;
  if (inputs.dateTo) filter.dateTo = inputs.dateTo;
  if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) problems.dateTo = 'ends before it starts';
  for (const [name, key] of [
    ['minAmount', 'minTotalMinor'],
    ['maxAmount', 'maxTotalMinor'],
  ] as const) {
    const parsed = parseAmount(inputs[name], currency);
    if (!parsed.ok) problems[name] = parsed.message;
    else if (parsed.minor !== null) filter[key] = parsed.minor;
  }
  if (filter.minTotalMinor !== undefined && filter.maxTotalMinor !== undefined && filter.minTotalMinor > filter.maxTotalMinor) {
    problems.maxAmount = 'is below the minimum';
  }
  if (inputs.category) filter.category = inputs.category;
  if (inputs.needsReview) filter.needsReview = true;
  if (inputs.possibleDuplicates) filter.possibleDuplicates = true;
  return { filter, problems };
}

export const isFiltered = (filter: LedgerFilter): boolean => Object.keys(filter).length > 0;
