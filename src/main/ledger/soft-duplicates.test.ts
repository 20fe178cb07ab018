import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExtractedFields } from '../../shared/model';
import { newReceipt, shaOf } from './fixtures';
import { DuplicateReceiptError, Ledger, LedgerInputError, ReceiptNotFoundError } from './ledger';
import { MAX_NEW_PAIRS, matchKey } from './soft-duplicates';

let dir: string;
let ledger: Ledger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'soft-dup-test-'));
  ledger = Ledger.open(join(dir, 'ledger.db'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const save = (seed: string | number, fields: Partial<ExtractedFields> = {}) => ledger.saveReceipt(newReceipt(seed, fields));
const flags = (id: number) => {
  const d = ledger.get(id)!;
  return { needsReview: d.needsReview, possibleDuplicates: d.possibleDuplicates };
};

describe('matchKey', () => {
  it('ignores case, accents, punctuation and spacing in the merchant', () => {
    const key = (merchant: string) => matchKey({ merchant, date: '2024-03-15', totalMinor: 3390, currency: 'USD' });
    expect(key('CORNER CAFÉ.')).toBe(key('corner  cafe'));
    expect(key('Corner-Cafe')).toBe(key('Corner Cafe'));
    expect(key('ラーメン 一蘭')).toBe(key('ラーメン一蘭'));
    expect(key('Corner Cafe')).not.toBe(key('Corner Cafes'));
  });

  it('needs every part: merchant, date, total and currency', () => {
    const full = { merchant: 'Cafe', date: '2024-03-15', totalMinor: 3390, currency: 'USD' };
    expect(matchKey(full)).not.toBeNull();
    for (const part of ['merchant', 'date', 'totalMinor', 'currency'] as const) {
      expect(matchKey({ ...full, [part]: null })).toBeNull();
    }
    expect(matchKey({ ...full, merchant: ' — ' })).toBeNull();
    expect(matchKey({ ...full, currency: 'EUR' })).not.toBe(matchKey(full));
    expect(matchKey({ ...full, totalMinor: 3391 })).not.toBe(matchKey(full));
  });
});

describe('saving', () => {
  it('saves a second file of the same receipt, flagged and linked both ways', () => {
    const first = save(1, { merchant: 'Corner Cafe' });
    const second = save(2, { merchant: 'CORNER CAFÉ' });
    expect(second).toMatchObject({ needsReview: true, possibleDuplicates: [first.id] });
    expect(flags(first.id)).toEqual({ needsReview: false, possibleDuplicates: [second.id] });
    expect(ledger.query({}).total).toBe(2);

    const detail = ledger.get(second.id)!;
    expect(detail.duplicates).toHaveLength(1);
    expect(detail.duplicates[0]).toMatchObject({ thisFlagged: true, receipt: { id: first.id, merchant: 'Corner Cafe' } });
    expect(ledger.get(first.id)!.duplicates[0]).toMatchObject({ thisFlagged: false, receipt: { id: second.id } });
  });

  it('does not flag receipts that differ in currency, total, date or merchant, or lack a key field', () => {
    save(1);
    for (const [i, fields] of [
      { currency: 'EUR' },
      { totalMinor: 3391 },
      { date: '2024-03-16' },
      { merchant: 'Corner Bakery' },
      { merchant: null },
    ].entries()) {
      expect(save(`other-${i}`, fields).possibleDuplicates).toEqual([]);
    }
    expect(ledger.query({ possibleDuplicates: true }).total).toBe(0);
  });

  it('filters on possible duplicates, either side of the pair', () => {
    const a = save(1);
    const b = save(2);
    const c = save(3, { totalMinor: 100 });
    expect(ledger.query({ possibleDuplicates: true, sort: 'scannedAt', direction: 'asc' }).rows.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(ledger.query({ possibleDuplicates: false }).rows.map((r) => r.id)).toEqual([c.id]);
    expect(ledger.query({ possibleDuplicates: true, needsReview: true }).rows.map((r) => r.id)).toEqual([b.id]);
    expect([...ledger.exportRows({ possibleDuplicates: true })].map((r) => r.possibleDuplicates)).toEqual([[b.id], [a.id]]);
  });

  it('flags a third copy against both earlier ones', () => {
    const a = save(1);
    const b = save(2);
    const c = save(3);
    expect(c.possibleDuplicates).toEqual([a.id, b.id]);
    expect(flags(a.id).possibleDuplicates).toEqual([b.id, c.id]);
  });
});

describe('queue jobs', () => {
  it('list the receipt a saved file may duplicate, on the later file, until a person decides', () => {
    const [j1, j2, j3] = ledger.addJobs(
      'b',
      ['a.jpg', 'b.jpg', 'c.jpg'].map((f) => ({ source: `/r/${f}`, fileName: f })),
    );
    const a = ledger.saveReceipt({ ...newReceipt(1), jobId: j1.id });
    const b = ledger.saveReceipt({ ...newReceipt(2), jobId: j2.id });
    ledger.saveReceipt({ ...newReceipt(3, { totalMinor: 1 }), jobId: j3.id });
    const listed = () => ledger.listJobs().map((j) => j.possibleDuplicateOf);
    expect(listed()).toEqual([undefined, a.id, undefined]);
    expect(ledger.getJob(j2.id)!.possibleDuplicateOf).toBe(a.id);
    ledger.resolveDuplicate(b.id, a.id, 'keep-both');
    expect(listed()).toEqual([undefined, undefined, undefined]);
  });
});

describe('listing', () => {
  it('lists possible duplicates lowest id first, the same in a page, the detail and an export', () => {
    const a = save(1, { totalMinor: 1 });
    const b = save(2);
    const c = save(3); // c flagged against b
    ledger.update(a.id, { totalMinor: 3390 }); // a flagged against b and c
    const lists = () => [
      ledger.get(c.id)!.possibleDuplicates,
      ledger.query({ sort: 'scannedAt', direction: 'asc' }).rows.map((r) => r.possibleDuplicates),
      [...ledger.exportRows()].map((r) => r.possibleDuplicates),
    ];
    expect(lists()).toEqual([
      [a.id, b.id],
      [
        [b.id, c.id],
        [a.id, c.id],
        [a.id, b.id],
      ],
      [
        [b.id, c.id],
        [a.id, c.id],
        [a.id, b.id],
      ],
    ]);
  });
});

describe('many receipts alike', () => {
  it(`links a receipt to at most ${MAX_NEW_PAIRS} earlier ones, so saving stays cheap`, () => {
    const ids = Array.from({ length: MAX_NEW_PAIRS + 3 }, (_, i) => save(i).id);
    const last = ledger.get(ids.at(-1)!)!;
    expect(last.possibleDuplicates).toEqual(ids.slice(0, MAX_NEW_PAIRS));
    expect(last.needsReview).toBe(true);
    // Each later one is flagged against the earliest: the first receipt is linked to all of them.
    expect(flags(ids[0]).possibleDuplicates).toEqual(ids.slice(1));
  });
});

describe('corrections', () => {
  it('re-checks on every correction: one can create a match and another dissolve it', () => {
    const a = save(1);
    const b = save(2, { totalMinor: 3300 });
    expect(b.possibleDuplicates).toEqual([]);

    expect(ledger.update(b.id, { totalMinor: 3390 })).toMatchObject({ needsReview: true, possibleDuplicates: [a.id] });
    expect(flags(a.id)).toEqual({ needsReview: false, possibleDuplicates: [b.id] });
    // A correction elsewhere keeps the flag; only resolving or breaking the match clears it.
    expect(ledger.update(b.id, { category: 'Meals' })).toMatchObject({ needsReview: true, possibleDuplicates: [a.id] });

    expect(ledger.update(b.id, { merchant: 'Corner Bakery' })).toMatchObject({ needsReview: false, possibleDuplicates: [] });
    expect(flags(a.id)).toEqual({ needsReview: false, possibleDuplicates: [] });
  });

  it('flags the corrected receipt when the other one is corrected into the match', () => {
    const a = save(1, { merchant: 'Corner Cafe' });
    const b = save(2, { merchant: 'Comer Cafe' }); // an OCR misreading
    expect(ledger.update(a.id, { merchant: 'Comer Cafe' })).toMatchObject({ needsReview: true, possibleDuplicates: [b.id] });
    expect(ledger.get(a.id)!.duplicates[0].thisFlagged).toBe(true);
  });
});

describe('keep both', () => {
  it('clears the flag for good for that pair, and only that pair', () => {
    const a = save(1);
    const b = save(2);
    expect(ledger.resolveDuplicate(b.id, a.id, 'keep-both')).toMatchObject({ needsReview: false, possibleDuplicates: [] });
    expect(flags(a.id)).toEqual({ needsReview: false, possibleDuplicates: [] });

    // Breaking and re-making the match, or deleting and restoring, does not flag the pair again.
    ledger.update(b.id, { totalMinor: 1 });
    expect(ledger.update(b.id, { totalMinor: 3390 }).possibleDuplicates).toEqual([]);
    ledger.softDelete([a.id]);
    ledger.restore([a.id]);
    expect(flags(a.id).possibleDuplicates).toEqual([]);

    // A third copy is still a possible duplicate of both.
    expect(save(3).possibleDuplicates).toEqual([a.id, b.id]);
    expect(ledger.query({ possibleDuplicates: true }).total).toBe(3);
  });
});

describe('merge', () => {
  it('keeps one receipt: fields a person corrected on either side win, gaps are filled from the other', () => {
    const a = save(1, { tipMinor: null, paymentMethod: null });
    const b = save(2, { tipMinor: 200, paymentMethod: 'cash', items: [] });
    ledger.update(a.id, { subtotalMinor: 3001, category: 'Meals' }); // corrected on the survivor: kept
    ledger.update(b.id, { subtotalMinor: 2999, taxMinor: 391, category: 'Travel' }); // tax corrected only here: taken

    const merged = ledger.resolveDuplicate(a.id, b.id, 'merge');
    expect(merged).toMatchObject({
      id: a.id,
      subtotalMinor: 3001,
      taxMinor: 391,
      tipMinor: 200,
      paymentMethod: 'cash',
      category: 'Meals',
      items: [{ description: 'Lunch', amountMinor: 3000 }],
      corrected: ['subtotal', 'tax'],
      needsReview: false,
      possibleDuplicates: [],
    });
    expect(ledger.query({}).rows.map((r) => r.id)).toEqual([a.id]);
    expect(ledger.get(b.id)).toBeNull();
    expect(ledger.get(a.id)!.mergedFiles).toEqual([{ fileName: 'receipt-2.jpg', sourcePath: '/scans/receipt-2.jpg', sha256: shaOf(2) }]);
  });

  it('links the merged file to the survivor: re-scanning it is an exact duplicate, and it cannot be restored', () => {
    const a = save(1);
    const [job] = ledger.addJobs('b', [{ source: '/scans/receipt-2.jpg', fileName: 'receipt-2.jpg' }]);
    const b = ledger.saveReceipt(newReceipt(2, {}, { jobId: job.id }));
    ledger.resolveDuplicate(a.id, b.id, 'merge');

    expect(ledger.findReceiptBySha(shaOf(2))).toEqual({ id: a.id });
    expect(() => ledger.saveReceipt(newReceipt(2))).toThrow(new DuplicateReceiptError(a.id));
    expect(ledger.getJob(job.id)).toMatchObject({ state: 'saved', receiptId: a.id });
    expect(ledger.restore([b.id])).toBe(0);
    expect(ledger.query({}).total).toBe(1);
    const db = new Database(join(dir, 'ledger.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM receipts_fts WHERE rowid = ?').pluck().get(b.id)).toBe(0);
      expect(db.prepare('SELECT merged_into, deleted_at IS NOT NULL FROM receipts WHERE id = ?').raw().get(b.id)).toEqual([a.id, 1]);
    } finally {
      db.close();
    }
  });

  it('follows chains: a receipt merged into one that is merged later leads to the last survivor', () => {
    const a = save(1);
    const b = save(2);
    const c = save(3);
    ledger.resolveDuplicate(b.id, a.id, 'merge');
    expect(flags(c.id).possibleDuplicates).toEqual([b.id]);
    ledger.resolveDuplicate(c.id, b.id, 'merge');
    expect(ledger.findReceiptBySha(shaOf(1))).toEqual({ id: c.id });
    expect(ledger.get(c.id)!.mergedFiles.map((f) => f.sha256)).toEqual([shaOf(1), shaOf(2)]);
    expect(flags(c.id)).toEqual({ needsReview: false, possibleDuplicates: [] });
  });

  it('revives the survivor when a merged file is scanned again after the survivor was deleted', () => {
    const a = save(1);
    const b = save(2);
    ledger.resolveDuplicate(a.id, b.id, 'merge');
    ledger.softDelete([a.id]);
    expect(ledger.saveReceipt(newReceipt(2)).id).toBe(a.id);
    expect(ledger.query({}).total).toBe(1);
  });
});

describe('delete and restore', () => {
  it('a deleted receipt leaves its pairs; restored, it is checked again and flagged', () => {
    const a = save(1);
    const b = save(2);
    expect(ledger.softDelete([a.id])).toBe(1);
    expect(flags(b.id)).toEqual({ needsReview: false, possibleDuplicates: [] });
    expect(ledger.restore([a.id])).toBe(1);
    expect(flags(a.id)).toEqual({ needsReview: true, possibleDuplicates: [b.id] });
    expect(ledger.get(a.id)!.duplicates[0].thisFlagged).toBe(true);
  });

  it('a deleted receipt is never matched', () => {
    const a = save(1);
    ledger.softDelete([a.id]);
    expect(save(2).possibleDuplicates).toEqual([]);
  });
});

describe('resolving', () => {
  it('refuses pairs that are not open, and receipts that are gone', () => {
    const a = save(1);
    const b = save(2);
    const c = save(3, { totalMinor: 1 });
    expect(() => ledger.resolveDuplicate(a.id, c.id, 'merge')).toThrow(LedgerInputError);
    expect(() => ledger.resolveDuplicate(a.id, c.id, 'keep-both')).toThrow(
      `receipts ${a.id} and ${c.id} are not marked as possible duplicates of each other`,
    );
    ledger.resolveDuplicate(a.id, b.id, 'keep-both');
    expect(() => ledger.resolveDuplicate(a.id, b.id, 'merge')).toThrow(LedgerInputError);
    ledger.softDelete([b.id]);
    expect(() => ledger.resolveDuplicate(a.id, b.id, 'merge')).toThrow(ReceiptNotFoundError);
    expect(() => ledger.resolveDuplicate(999, a.id, 'merge')).toThrow(ReceiptNotFoundError);
    expect(ledger.query({}).total).toBe(2);
  });
});
