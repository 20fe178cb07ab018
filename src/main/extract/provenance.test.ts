import { describe, expect, it } from 'vitest';
import type { ReadTarget } from '../../shared/model';
import { stackPages } from '../ocr/stack-pages';
import { combineExtractions } from './combine';
import { extractFields } from './extract';
import { lineBoxesOnly, ocrFromLines, textOnly, US_RESTAURANT } from './ocr-fixture';

const today = new Date('2019-06-01T00:00:00Z');
const read = (lines: string[], columns = false) =>
  extractFields(ocrFromLines(lines, { columns }), { dateOrder: 'DMY', defaultCurrency: 'MYR', today });

// The fixture prints monospace: 12 px a character, 30 px a line, text 22 px high.
const at = (row: number, col: number, chars: number) => ({
  page: 0,
  x0: col * 12,
  y0: row * 30,
  x1: (col + chars) * 12,
  y1: row * 30 + 22,
});
const halve = <B extends { x0: number; y0: number; x1: number; y1: number }>(b: B): B => ({
  ...b,
  x0: b.x0 / 2,
  y0: b.y0 / 2,
  x1: b.x1 / 2,
  y1: b.y1 / 2,
});
/** Column of `text` on a printed line, `|` not counted. */
const colOf = (line: string, text: string) => line.replace('|', '').indexOf(text);

const US = US_RESTAURANT;

describe('field provenance', () => {
  it('boxes each field on the words it was read from', () => {
    const f = read(US, true);
    expect(f.totalMinor).toBe(5324);
    const p = f.provenance!;
    expect(p.pages).toEqual([{ width: 48 * 12, height: US.length * 30 }]);
    expect(p.fields.merchant).toEqual([at(1, 0, 11)]);
    expect(p.fields.date).toEqual([at(12, 0, 10)]);
    // The labelled total, not the same figure on the card line under it.
    expect(p.fields.total).toEqual([at(10, colOf(US[10], '53.24'), 5)]);
    expect(p.fields.subtotal).toEqual([at(8, colOf(US[8], '48.90'), 5)]);
    expect(p.fields.tax).toEqual([at(9, colOf(US[9], '4.34'), 4)]);
    expect(p.fields.tip).toBeUndefined();
    // Each item's row, from its description to its amount.
    expect(p.items).toEqual([[at(6, 0, US[6].length - 1)], [at(7, 0, US[7].length - 1)]]);
  });

  it('boxes the words of the name only, not the registration number printed after it', () => {
    const f = read(['KEDAI MAJU SDN BHD (123456-X)', 'Date: 02/03/2018', 'Tea 9.00', 'TOTAL RM 9.00']);
    expect(f.merchant).toBe('KEDAI MAJU SDN BHD');
    expect(f.provenance!.fields.merchant).toEqual([at(0, 0, 18)]);
    // The currency was read from the sign printed with the total.
    expect(f.provenance!.fields.currency).toEqual([at(3, 6, 7)]);
  });

  it('boxes both lines of a name printed over two lines', () => {
    const f = read(['HOME MASTER HARDWARE &', 'ELECTRICAL', 'Date: 02/03/2018', 'TOTAL 9.00']);
    expect(f.merchant).toBe('HOME MASTER HARDWARE & ELECTRICAL');
    expect(f.provenance!.fields.merchant).toEqual([at(0, 0, 20), at(1, 0, 10)]);
  });

  it('gives a total computed from the other lines, printed nowhere, no box', () => {
    const f = read(['KEDAI MAJU', 'SUBTOTAL 10.00', 'GST 0.60']);
    expect(f.totalMinor).toBe(1060);
    expect(f.provenance!.fields.total).toBeUndefined();
    expect(f.provenance!.fields.subtotal).toEqual([at(1, 9, 5)]);
  });

  it('lists every amount, date and line as a target a person can pick', () => {
    const targets = read(US, true).provenance!.targets;
    const of = (kind: ReadTarget['kind']) => targets.filter((t) => t.kind === kind);
    expect(of('amount').map((t) => t.value)).toEqual([300, 4590, 4890, 434, 5324, 5324]);
    expect(of('amount')[4]).toMatchObject({ text: '53.24', box: at(10, colOf(US[10], '53.24'), 5) });
    expect(of('date')).toEqual([{ kind: 'date', text: '05/06/2018', value: '2018-05-06', box: at(12, 0, 10) }]);
    expect(of('line').map((t) => t.text)).toContain('GREEN FIELD');
  });

  it('places boxes from line boxes alone, and keeps none for plain text', () => {
    expect(
      extractFields(lineBoxesOnly(ocrFromLines(US)), { dateOrder: 'DMY', defaultCurrency: 'MYR', today }).provenance?.fields.total,
    ).toEqual([at(10, colOf(US[10], '53.24'), 5)]);
    const plain = extractFields(textOnly(US.map((l) => l.replace('|', ''))), { dateOrder: 'DMY', defaultCurrency: 'MYR', today });
    expect(plain.totalMinor).toBe(5324);
    expect(plain.provenance).toBeUndefined();
  });

  it('takes the boxes of a receipt of several pages back to the page each is on', () => {
    const first = ocrFromLines(['PARK CAFE', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20']);
    const last = ocrFromLines(['SUBTOTAL 7.70', 'TOTAL 7.70']);
    // The second page scanned at half the width: stacked, its boxes were doubled.
    const half = {
      ...last,
      width: last.width / 2,
      height: last.height / 2,
      lines: last.lines.map((l) => ({ ...l, bbox: halve(l.bbox), words: (l.words ?? []).map((w) => ({ ...w, bbox: halve(w.bbox) })) })),
    };
    const f = extractFields(stackPages([first, half]), { dateOrder: 'DMY', defaultCurrency: 'USD', today });
    expect(f.totalMinor).toBe(770);
    const p = f.provenance!;
    expect(p.pages).toEqual([
      { width: 576, height: 120 },
      { width: 288, height: 30 },
    ]);
    expect(p.fields.merchant).toEqual([at(0, 0, 9)]);
    expect(p.fields.date).toEqual([at(1, 6, 10)]);
    expect(p.fields.total).toEqual([{ ...halve(at(1, 6, 4)), page: 1 }]);
    expect(p.items.map((boxes) => boxes.map((b) => b.page))).toEqual([[0], [0]]);
  });

  it('takes each field’s boxes from the reading its value came from', () => {
    const good = read(['KEDAI MAJU SDN BHD', 'Date: 02/03/2018', 'SUBTOTAL 10.00', 'GST 0.60', 'TOTAL 10.60', 'CASH 20.00', 'CHANGE 9.40']);
    const poor = read(['KEDAI MAJU SDN BHD', 'Date: O2/O3/2Ol8', 'SUBT 1O.OO', 'TOTAL 16.60', 'GST 0.6O', 'CASH 2O.OO', 'CHANGE']);
    const combined = combineExtractions([poor, good]);
    expect(combined.totalMinor).toBe(1060);
    expect(combined.provenance!.fields.total).toEqual(good.provenance!.fields.total);
    expect(combined.provenance!.fields.total).toEqual([at(4, 6, 5)]);
    expect(combined.provenance!.targets).toEqual(good.provenance!.targets);
  });
});
