import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../../shared/model';
import { buildPatch, formValues } from './receipt-form';

const receipt: Receipt = {
  id: 1,
  sha256: 'ab',
  fileName: 'a.jpg',
  sourcePath: '/r/a.jpg',
  mime: 'image/jpeg',
  merchant: 'Corner Cafe',
  date: '2024-03-05',
  totalMinor: 1250,
  subtotalMinor: 1150,
  taxMinor: 100,
  tipMinor: null,
  currency: 'USD',
  paymentMethod: null,
  category: 'Meals',
  items: [],
  confidence: 0.9,
  needsReview: false,
  warnings: [],
  corrected: [],
  scannedAt: '2024-03-06T10:00:00Z',
  updatedAt: '2024-03-06T10:00:00Z',
  possibleDuplicates: [],
};

describe('receipt form', () => {
  it('shows amounts as plain decimals and sends nothing when nothing changed', () => {
    const values = formValues(receipt);
    expect(values).toMatchObject({ totalMinor: '12.50', tipMinor: '', currency: 'USD', category: 'Meals' });
    expect(buildPatch(receipt, values, 'USD')).toEqual({ patch: {}, problems: {} });
  });

  it('sends only the corrected fields, amounts in minor units', () => {
    const values = { ...formValues(receipt), totalMinor: '13.05', merchant: ' Corner Café ', tipMinor: '2' };
    expect(buildPatch(receipt, values, 'USD').patch).toEqual({ totalMinor: 1305, merchant: 'Corner Café', tipMinor: 200 });
  });

  it('clears fields that were emptied and reads amounts in a corrected currency', () => {
    const values = { ...formValues(receipt), merchant: '', currency: 'jpy', totalMinor: '1300', subtotalMinor: '1200', taxMinor: '100' };
    expect(buildPatch(receipt, values, 'USD')).toEqual({
      patch: { merchant: null, currency: 'JPY', totalMinor: 1300, subtotalMinor: 1200 },
      problems: {},
    });
    const yen = { ...formValues(receipt), currency: 'JPY', totalMinor: '1250', subtotalMinor: '11.50' };
    expect(buildPatch(receipt, yen, 'USD').problems).toEqual({ subtotalMinor: 'JPY has no decimals', taxMinor: 'JPY has no decimals' });
  });

  it('explains bad input instead of sending it', () => {
    const values = { ...formValues(receipt), totalMinor: 'twelve', currency: 'dollars', date: '5/3/24' };
    const { patch, problems } = buildPatch(receipt, values, 'USD');
    expect(patch).toEqual({});
    expect(problems).toEqual({
      totalMinor: '"twelve" is not an amount',
      currency: 'use a 3-letter code such as USD',
      date: 'use a date as YYYY-MM-DD',
    });
  });
});
