import { describe, expect, it } from 'vitest';
import type { PageBox, Provenance, ReadTarget, Receipt } from '../../../shared/model';
import { candidatesFor, imageFitsPage, pageOfBoxes, pickedText, shownBoxes, stepCandidate } from './field-targets';

const box = (y: number): PageBox => ({ page: 0, x0: 10, y0: y, x1: 60, y1: y + 20 });
const amount = (value: number, y: number): ReadTarget => ({ kind: 'amount', text: (value / 100).toFixed(2), value, box: box(y) });
const provenance: Provenance = {
  pages: [{ width: 600, height: 1200 }],
  fields: { total: [box(300)], merchant: [box(0)] },
  items: [],
  targets: [
    { kind: 'line', text: 'CORNER CAFE', value: 'CORNER CAFE', box: box(0) },
    { kind: 'date', text: '14/03/2024', value: '2024-03-14', box: box(30) },
    amount(770, 200),
    amount(62, 250),
    amount(832, 300),
  ],
};

describe('field targets', () => {
  it('offers amounts for money fields, dates for the date and lines for the merchant', () => {
    expect(candidatesFor(provenance, 'taxMinor').map((t) => t.value)).toEqual([770, 62, 832]);
    expect(candidatesFor(provenance, 'date').map((t) => t.value)).toEqual(['2024-03-14']);
    expect(candidatesFor(provenance, 'merchant').map((t) => t.value)).toEqual(['CORNER CAFE']);
    expect(candidatesFor(provenance, 'category')).toEqual([]);
  });

  it('boxes a corrected field where its new value is printed, or nowhere', () => {
    const receipt = {
      merchant: 'CORNER CAFE',
      date: '2024-03-14',
      totalMinor: 832,
      subtotalMinor: null,
      taxMinor: null,
      tipMinor: null,
      corrected: [],
    } as unknown as Receipt;
    expect(shownBoxes(provenance, receipt)).toEqual({ totalMinor: [box(300)], merchant: [box(0)] });
    expect(shownBoxes(provenance, { ...receipt, totalMinor: 770, corrected: ['total'] }).totalMinor).toEqual([box(200)]);
    expect(shownBoxes(provenance, { ...receipt, merchant: 'Corner Café', corrected: ['merchant'] }).merchant).toBeUndefined();
    expect(shownBoxes(provenance, { ...receipt, taxMinor: 62, corrected: ['tax'] }).taxMinor).toEqual([box(250)]);
  });

  it('writes a picked amount in the currency’s form and a date as ISO', () => {
    expect(pickedText(amount(832, 0), 'USD')).toBe('8.32');
    expect(pickedText({ kind: 'amount', text: '1,280', value: 1280, box: box(0) }, 'JPY')).toBe('1280');
    expect(pickedText(provenance.targets[1]!, 'USD')).toBe('2024-03-14');
  });

  it('steps from the value the field holds, both ways, wrapping around', () => {
    const amounts = candidatesFor(provenance, 'totalMinor');
    expect(stepCandidate(amounts, null, '8.32', 'USD', 1)).toBe(0);
    expect(stepCandidate(amounts, null, '8.32', 'USD', -1)).toBe(1);
    expect(stepCandidate(amounts, 1, '0.62', 'USD', 1)).toBe(2);
    // A value typed by hand that is nowhere on the receipt: the first or the last.
    expect(stepCandidate(amounts, null, '99.00', 'USD', 1)).toBe(0);
    expect(stepCandidate(amounts, null, '', 'USD', -1)).toBe(2);
    expect(stepCandidate([], null, '', 'USD', 1)).toBeNull();
  });

  it('draws boxes only on an image of the page’s shape', () => {
    expect(imageFitsPage(provenance, 0, 1000, 2000)).toBe(true);
    expect(imageFitsPage(provenance, 0, 1000, 2600)).toBe(false);
    // A receipt of several pages: the image is of the page shown.
    const twoPages = { ...provenance, pages: [...provenance.pages, { width: 600, height: 300 }] };
    expect(imageFitsPage(twoPages, 0, 1000, 2000)).toBe(true);
    expect(imageFitsPage(twoPages, 1, 1000, 2000)).toBe(false);
    expect(imageFitsPage(twoPages, 1, 1200, 600)).toBe(true);
    expect(imageFitsPage({ ...provenance, pages: [] }, 0, 1000, 2000)).toBe(false);
  });

  it('turns to the page a field was read on, unless one of its boxes is on the page shown', () => {
    const on = (...pages: number[]) => pages.map((page) => ({ page, x0: 0, y0: 0, x1: 1, y1: 1 }));
    expect(pageOfBoxes(on(2), 0)).toBe(2);
    expect(pageOfBoxes(on(0, 1), 1)).toBeNull();
    expect(pageOfBoxes(on(1, 2), 0)).toBe(1);
    expect(pageOfBoxes([], 0)).toBeNull();
    expect(pageOfBoxes(undefined, 0)).toBeNull();
  });
});
