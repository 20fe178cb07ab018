import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES } from '../../shared/model';
import { newReceipt, shaOf } from './fixtures';
import { DuplicateReceiptError, Ledger, LedgerInputError, ReceiptNotFoundError } from './ledger';
import { REVIEW_CONFIDENCE_THRESHOLD } from '../extract/confidence';

let dir: string;
let path: string;
let ledger: Ledger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-test-'));
  path = join(dir, 'nested', 'ledger.db');
  ledger = Ledger.open(path);
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A second, raw connection to look at what is really stored. */
function raw<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('opening', () => {
  it('creates the folder, uses WAL and enforces foreign keys', () => {
    expect(raw((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    const [job] = ledger.addJobs('b1', [{ source: '/x.jpg', fileName: 'x.jpg' }]);
    expect(() => ledger.updateJob(job.id, { receiptId: 999 })).toThrow(/FOREIGN KEY/);
  });

  it('keeps everything across a re-open', () => {
    const saved = ledger.saveReceipt(newReceipt(1));
    ledger.setMeta('lastExportDir', '/home/me');
    ledger.close();
    ledger = Ledger.open(path);
    expect(ledger.get(saved.id)?.merchant).toBe('Corner Cafe');
    expect(ledger.getMeta('lastExportDir')).toBe('/home/me');
  });

  it('closes once, even when asked twice', () => {
    const other = Ledger.open(path);
    other.close();
    expect(() => other.close()).not.toThrow();
  });

  it('works in memory', () => {
    const memory = Ledger.open(':memory:');
    try {
      const saved = memory.saveReceipt(newReceipt(1));
      expect([...memory.exportRows()].map((r) => r.id)).toEqual([saved.id]);
    } finally {
      memory.close();
    }
  });
});

describe('saving receipts', () => {
  it('saves file, fields and OCR text, and reads them back', () => {
    const input = newReceipt(1);
    const saved = ledger.saveReceipt(input);
    const detail = ledger.get(saved.id);
    expect(detail).toMatchObject({
      id: saved.id,
      sha256: input.file.sha256,
      fileName: 'receipt-1.jpg',
      sourcePath: '/scans/receipt-1.jpg',
      mime: 'image/jpeg',
      merchant: 'Corner Cafe',
      date: '2024-03-15',
      totalMinor: 3390,
      subtotalMinor: 3000,
      taxMinor: 390,
      tipMinor: null,
      currency: 'USD',
      paymentMethod: 'card',
      category: null,
      items: [{ description: 'Lunch', amountMinor: 3000 }],
      confidence: 0.9, // lowest of merchant 0.9, date 0.95, total 0.92
      needsReview: false,
      warnings: [],
      corrected: [],
      ocrText: input.ocrText,
      ocrNotes: [],
    });
    expect(detail?.scannedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(ledger.sourceOf(saved.id)).toEqual({ path: '/scans/receipt-1.jpg', mime: 'image/jpeg' });
    expect(ledger.findReceiptBySha(input.file.sha256)).toEqual({ id: saved.id });
    expect(ledger.get(saved.id + 1)).toBeNull();
    expect(ledger.sourceOf(saved.id + 1)).toBeNull();
  });

  it('flags for review: a missing key field, low confidence, or warnings', () => {
    const missing = ledger.saveReceipt(newReceipt(1, { totalMinor: null }));
    expect(missing).toMatchObject({ confidence: 0, needsReview: true });
    const unsure = ledger.saveReceipt(newReceipt(2, { confidence: { merchant: 0.5, date: 0.9, total: 0.9 } }));
    expect(unsure).toMatchObject({ confidence: 0.5, needsReview: true });
    const edge = ledger.saveReceipt(
      // Another date, so it is not a possible duplicate of the receipt before it.
      newReceipt(3, { date: '2024-03-16', confidence: { merchant: REVIEW_CONFIDENCE_THRESHOLD, date: 1, total: 1 } }),
    );
    expect(edge.needsReview).toBe(false);
    const warned = ledger.saveReceipt(newReceipt(4, { warnings: ['subtotal + tax does not equal total'] }));
    expect(warned).toMatchObject({ confidence: 0.9, needsReview: true, warnings: ['subtotal + tax does not equal total'] });
  });

  it('refuses a second live receipt for the same file with DuplicateReceiptError', () => {
    const first = ledger.saveReceipt(newReceipt(1));
    const again = newReceipt(1, { merchant: 'Other' });
    again.file.sourcePath = '/elsewhere/copy.jpg';
    const error = (() => {
      try {
        ledger.saveReceipt(again);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DuplicateReceiptError);
    expect((error as DuplicateReceiptError).existingId).toBe(first.id);
    expect(ledger.query({}).total).toBe(1);
  });

  it('refuses the duplicate when it comes from another connection to the same file', () => {
    const other = Ledger.open(path);
    try {
      const first = other.saveReceipt(newReceipt(7));
      expect(() => ledger.saveReceipt(newReceipt(7))).toThrow(DuplicateReceiptError);
      expect(ledger.findReceiptBySha(shaOf(7))).toEqual({ id: first.id });
    } finally {
      other.close();
    }
  });

  it('marks the job saved in the same transaction, and saves nothing when that fails', () => {
    const [job] = ledger.addJobs('b1', [{ source: '/scans/receipt-1.jpg', fileName: 'receipt-1.jpg' }]);
    ledger.updateJob(job.id, { state: 'extracting', percent: 80 });
    const saved = ledger.saveReceipt(newReceipt(1, {}, { jobId: job.id }));
    expect(ledger.listJobs()[0]).toMatchObject({ id: job.id, state: 'saved', percent: 100, receiptId: saved.id });

    expect(() => ledger.saveReceipt(newReceipt(2, {}, { jobId: 9999 }))).toThrow(/job 9999/);
    expect(ledger.findReceiptBySha(shaOf(2))).toBeNull();
    expect(raw((db) => db.prepare('SELECT count(*) FROM files').pluck().get())).toBe(1);
  });

  it('rejects values it must not store, with a clear message', () => {
    expect(() => ledger.saveReceipt(newReceipt(1, { totalMinor: 0.1 + 0.2 }))).toThrow(/totalMinor must be a whole number of minor units/);
    expect(() => ledger.saveReceipt(newReceipt(2, { date: '2024-02-30' }))).toThrow(LedgerInputError);
    expect(() => ledger.saveReceipt(newReceipt(3, { currency: 'usd' }))).toThrow(/ISO 4217/);
    const badSha = newReceipt(4);
    badSha.file.sha256 = 'abc';
    expect(() => ledger.saveReceipt(badSha)).toThrow(/sha256/);
    expect(ledger.query({}).total).toBe(0);
  });
});

describe('OCR notes', () => {
  it('keeps how a receipt was read across a re-open, apart from its warnings and review', () => {
    const notes = ['The file is 2.3 MB, over the 1.0 MB OCR.space limit: sent a 1200×1600 JPEG copy at quality 85 (0.9 MB)'];
    const saved = ledger.saveReceipt(newReceipt(1, {}, { ocrNotes: notes, engine: 'ocrspace' }));
    ledger.close();
    ledger = Ledger.open(path);
    expect(ledger.get(saved.id)).toMatchObject({ ocrNotes: notes, warnings: [], needsReview: false });
    expect(raw((db) => db.prepare('SELECT ocr_notes FROM receipt_text WHERE receipt_id = ?').pluck().get(saved.id))).toBe(
      JSON.stringify(notes),
    );
  });

  it('replaces the notes when a deleted receipt is scanned again', () => {
    const first = ledger.saveReceipt(newReceipt(1, {}, { ocrNotes: ['sent a smaller JPEG copy'] }));
    ledger.softDelete([first.id]);
    ledger.saveReceipt(newReceipt(1, {}, { ocrNotes: ['OCR.space reports no confidence'] }));
    expect(ledger.get(first.id)?.ocrNotes).toEqual(['OCR.space reports no confidence']);
    ledger.softDelete([first.id]);
    ledger.saveReceipt(newReceipt(1));
    expect(ledger.get(first.id)?.ocrNotes).toEqual([]);
  });
});

describe('pages as read', () => {
  const provenance = (pages: { width: number; height: number; filePage?: number }[]) => ({ pages, fields: {}, items: [], targets: [] });
  const pdf = (seed: number, pages: { filePage?: number }[], pageTurns: (0 | 90 | 180 | 270)[]) => {
    const input = newReceipt(seed, { provenance: provenance(pages.map((p) => ({ width: 100, height: 200, ...p }))) }, { pageTurns });
    return ledger.saveReceipt({ ...input, file: { ...input.file, mime: 'application/pdf' } }).id;
  };

  it("shows each page read as the file's page it is, turned as OCR read it", () => {
    const id = pdf(1, [{ filePage: 1 }, { filePage: 3 }], [0, 90]);
    expect(ledger.pageAsRead(id, 0, 'application/pdf')).toEqual({ filePage: 1, turn: 0 });
    expect(ledger.pageAsRead(id, 1, 'application/pdf')).toEqual({ filePage: 3, turn: 90 });
    expect(ledger.pageAsRead(id, 2, 'application/pdf')).toBeNull();
  });

  it("takes an older PDF reading's page n for the file's page n, unturned: its turns may be of other pages", () => {
    const id = pdf(2, [{}, {}], [0, 90]);
    expect(ledger.pageAsRead(id, 1, 'application/pdf')).toEqual({ filePage: 2, turn: 0 });
  });

  it('turns an image without boxes as OCR read it, and has no page past its first', () => {
    const id = ledger.saveReceipt(newReceipt(3, {}, { pageTurns: [270] })).id;
    expect(ledger.pageAsRead(id, 0, 'image/jpeg')).toEqual({ filePage: 1, turn: 270 });
    expect(ledger.pageAsRead(id, 1, 'image/jpeg')).toBeNull();
  });
});

describe('money', () => {
  it('stores minor units as SQLite integers and sums them exactly', () => {
    // 0.10 + 0.20 in floating point is 0.30000000000000004; in minor units it is exactly 30.
    const a = ledger.saveReceipt(newReceipt(1, { totalMinor: 10, subtotalMinor: 10, taxMinor: 0 }));
    ledger.saveReceipt(newReceipt(2, { totalMinor: 20, subtotalMinor: 20, taxMinor: 0 }));
    for (let i = 0; i < 10; i++) ledger.saveReceipt(newReceipt(`dime-${i}`, { totalMinor: 10, currency: 'EUR' }));
    ledger.saveReceipt(newReceipt('big', { totalMinor: 9_999_999_999_999, currency: 'JPY' }));
    ledger.saveReceipt(newReceipt('refund', { totalMinor: -500, currency: 'GBP' }));
    expect(ledger.query({}).sums).toEqual([
      { currency: 'EUR', minor: 100 },
      { currency: 'GBP', minor: -500 },
      { currency: 'JPY', minor: 9_999_999_999_999 },
      { currency: 'USD', minor: 30 },
    ]);
    expect(raw((db) => db.prepare('SELECT DISTINCT typeof(total_minor) FROM receipts').pluck().all())).toEqual(['integer']);
    expect(() => ledger.update(a.id, { totalMinor: 33.9 })).toThrow(LedgerInputError);
  });
});

describe('query', () => {
  beforeEach(() => {
    const rows = [
      { seed: 'a', merchant: 'Starbucks Coffee', date: '2024-01-05', totalMinor: 550, currency: 'USD' },
      { seed: 'b', merchant: 'Café Müller', date: '2024-02-10', totalMinor: 1250, currency: 'EUR' },
      { seed: 'c', merchant: 'Shell Station', date: '2024-02-20', totalMinor: 6000, currency: 'USD' },
      { seed: 'd', merchant: 'Hotel Sakura', date: '2024-03-01', totalMinor: 15000, currency: 'JPY' },
      { seed: 'e', merchant: null, date: null, totalMinor: null, currency: null },
      { seed: 'f', merchant: 'Office Depot', date: '2024-03-15', totalMinor: 4200, currency: 'USD' },
    ];
    for (const { seed, ...fields } of rows) {
      const input = newReceipt(seed, fields);
      input.ocrText = `${fields.merchant ?? 'smudged'} receipt ${seed}\nVAT NO GB123\nTOTAL`;
      ledger.saveReceipt(input);
    }
    const office = ledger.query({ text: 'office depot' }).rows[0];
    ledger.update(office.id, { category: 'Office' });
  });

  const merchants = (q: Parameters<Ledger['query']>[0]) => ledger.query(q).rows.map((r) => r.merchant);

  it('searches merchant, file name, category and OCR text, case-insensitively', () => {
    expect(merchants({ text: 'STARBUCKS' })).toEqual(['Starbucks Coffee']);
    expect(merchants({ text: 'bucks' })).toEqual(['Starbucks Coffee']); // substring
    expect(merchants({ text: 'müller' })).toEqual(['Café Müller']);
    expect(merchants({ text: 'CAFÉ MÜLLER' })).toEqual(['Café Müller']); // folds non-ASCII case too
    expect(merchants({ text: 'cafe muller' })).toEqual(['Café Müller']); // and accents
    expect(merchants({ text: 'receipt-c.jpg' })).toEqual(['Shell Station']); // file name
    expect(merchants({ text: 'office' })).toEqual(['Office Depot']); // merchant and category
    expect(merchants({ text: 'smudged' })).toEqual([null]); // OCR text only
    expect(merchants({ text: 'vat gb123' })).toHaveLength(6); // every term, anywhere
    expect(merchants({ text: 'vat nowhere' })).toEqual([]);
    // Terms under 3 characters are too short for the index: found in merchant, file name and category only.
    expect(merchants({ text: 'BU' })).toEqual(['Starbucks Coffee']);
    expect(merchants({ text: 'gb' })).toEqual([]); // only in OCR text
    expect(merchants({ text: '%' })).toEqual([]); // LIKE wildcards are literal
    expect(merchants({ text: '_' })).toEqual([]);
    expect(merchants({ text: 'Hotel Sa' })).toEqual(['Hotel Sakura']); // long and short terms together
    expect(merchants({ text: '"quoted" AND OR *' })).toEqual([]); // FTS syntax is searched as text
    expect(merchants({ text: '   ' })).toHaveLength(6);
  });

  it('filters by date range, amount range, category and review state', () => {
    expect(merchants({ dateFrom: '2024-02-01', dateTo: '2024-02-29' })).toEqual(['Shell Station', 'Café Müller']);
    expect(merchants({ minTotalMinor: 1000, maxTotalMinor: 6000 })).toEqual(['Office Depot', 'Shell Station', 'Café Müller']);
    expect(merchants({ category: 'office' })).toEqual(['Office Depot']);
    expect(merchants({ needsReview: true })).toEqual([null]);
    expect(merchants({ needsReview: false })).toHaveLength(5);
    expect(merchants({ dateFrom: '2024-01-01', minTotalMinor: 1000, text: 'station' })).toEqual(['Shell Station']);
  });

  it('sorts by any whitelisted key and direction, ties by id', () => {
    expect(merchants({ sort: 'total', direction: 'asc' })).toEqual([
      null,
      'Starbucks Coffee',
      'Café Müller',
      'Office Depot',
      'Shell Station',
      'Hotel Sakura',
    ]);
    expect(merchants({ sort: 'merchant', direction: 'asc' }).slice(1)).toEqual([
      'Café Müller',
      'Hotel Sakura',
      'Office Depot',
      'Shell Station',
      'Starbucks Coffee',
    ]);
    expect(merchants({}).slice(0, 2)).toEqual(['Office Depot', 'Hotel Sakura']); // default: newest date first
    expect(ledger.query({ sort: 'scannedAt', direction: 'asc' }).rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(merchants({ sort: 'category', direction: 'desc' })[0]).toBe('Office Depot');
    expect(merchants({ sort: 'confidence', direction: 'asc' })[0]).toBeNull();
    expect(() => ledger.query({ sort: 'merchant; DROP TABLE receipts' as never })).toThrow(LedgerInputError);
    expect(() => ledger.query({ direction: 'sideways' as never })).toThrow(LedgerInputError);
  });

  it('pages with offset and limit, and counts and sums all matching rows', () => {
    const page = ledger.query({ sort: 'date', direction: 'asc', offset: 2, limit: 2 });
    expect(page.rows.map((r) => r.merchant)).toEqual(['Café Müller', 'Shell Station']);
    expect(page.total).toBe(6);
    expect(page.sums).toEqual([
      { currency: 'EUR', minor: 1250 },
      { currency: 'JPY', minor: 15000 },
      { currency: 'USD', minor: 550 + 6000 + 4200 },
    ]);
    const usd = ledger.query({ text: 'station', limit: 1 });
    expect(usd.total).toBe(1);
    expect(usd.sums).toEqual([{ currency: 'USD', minor: 6000 }]);
    expect(() => ledger.query({ limit: 0 })).toThrow(LedgerInputError);
  });

  it('summarises per month, category and currency', () => {
    expect(ledger.summary({})).toEqual([
      { month: '2024-01', category: '', currency: 'USD', totalMinor: 550, count: 1 },
      { month: '2024-02', category: '', currency: 'EUR', totalMinor: 1250, count: 1 },
      { month: '2024-02', category: '', currency: 'USD', totalMinor: 6000, count: 1 },
      { month: '2024-03', category: '', currency: 'JPY', totalMinor: 15000, count: 1 },
      { month: '2024-03', category: 'Office', currency: 'USD', totalMinor: 4200, count: 1 },
    ]);
    expect(ledger.summary({ category: 'Office' })).toHaveLength(1);
  });

  it('lists default categories plus the ones in use', () => {
    const [first] = ledger.query({ text: 'starbucks' }).rows;
    ledger.update(first.id, { category: 'Client dinners' });
    ledger.update(ledger.query({ text: 'shell' }).rows[0].id, { category: 'fuel' }); // same as default Fuel
    expect(ledger.categories()).toEqual([...DEFAULT_CATEGORIES, 'Client dinners']);
  });
});

describe('corrections', () => {
  it('marks patched fields corrected and recomputes the review state', () => {
    const saved = ledger.saveReceipt(newReceipt(1, { merchant: 'C0rner Cafe', confidence: { merchant: 0.3, date: 0.9, total: 0.9 } }));
    expect(saved.needsReview).toBe(true);
    const fixed = ledger.update(saved.id, { merchant: 'Corner Cafe', category: 'Meals' });
    expect(fixed).toMatchObject({ merchant: 'Corner Cafe', category: 'Meals', corrected: ['merchant'], needsReview: false });
    expect(fixed.confidence).toBe(0.9);
    expect(fixed.updatedAt >= saved.updatedAt).toBe(true);

    const cleared = ledger.update(saved.id, { totalMinor: null, tipMinor: 100 });
    // The person cleared the total on purpose: it no longer counts as missing.
    expect(cleared).toMatchObject({ totalMinor: null, tipMinor: 100, corrected: ['merchant', 'total', 'tip'], needsReview: false });
    expect(ledger.get(saved.id)?.corrected).toEqual(['merchant', 'total', 'tip']);
  });

  it('clears extractor warnings once a person corrected a field', () => {
    const saved = ledger.saveReceipt(newReceipt(1, { warnings: ['totals disagree'] }));
    expect(ledger.update(saved.id, { category: 'Meals' }).needsReview).toBe(true);
    expect(ledger.update(saved.id, { totalMinor: 3390 }).needsReview).toBe(false);
  });

  it('keeps the search index in step with corrections', () => {
    const saved = ledger.saveReceipt(newReceipt(1));
    ledger.update(saved.id, { merchant: 'Blue Bottle', category: 'Travel' });
    expect(ledger.query({ text: 'blue bottle' }).total).toBe(1);
    expect(ledger.query({ text: 'travel' }).total).toBe(1);
    expect(ledger.query({ text: 'corner cafe' }).total).toBe(1); // still in the OCR text
    ledger.update(saved.id, { merchant: 'Red Door' });
    expect(ledger.query({ text: 'blue bottle' }).total).toBe(0);
  });

  it('refuses unknown fields, bad values and missing receipts', () => {
    const saved = ledger.saveReceipt(newReceipt(1));
    expect(() => ledger.update(saved.id, { sha256: 'x' } as never)).toThrow(/not a field/);
    expect(() => ledger.update(saved.id, { date: '15/03/2024' })).toThrow(/YYYY-MM-DD/);
    expect(() => ledger.update(saved.id + 1, { merchant: 'x' })).toThrow(ReceiptNotFoundError);
    expect(ledger.get(saved.id)?.corrected).toEqual([]);
  });
});

describe('delete and restore', () => {
  it('hides soft-deleted receipts everywhere and brings them back', () => {
    const a = ledger.saveReceipt(newReceipt(1));
    const b = ledger.saveReceipt(newReceipt(2));
    expect(ledger.softDelete([a.id, a.id, 999])).toBe(1);
    expect(ledger.softDelete([a.id])).toBe(0);
    expect(ledger.get(a.id)).toBeNull();
    expect(ledger.sourceOf(a.id)).toBeNull();
    expect(ledger.findReceiptBySha(a.sha256)).toBeNull();
    expect(ledger.query({}).rows.map((r) => r.id)).toEqual([b.id]);
    expect([...ledger.exportRows()].map((r) => r.id)).toEqual([b.id]);
    expect(() => ledger.update(a.id, { merchant: 'x' })).toThrow(ReceiptNotFoundError);
    expect(ledger.restore([a.id, b.id])).toBe(1);
    expect(ledger.get(a.id)?.merchant).toBe('Corner Cafe');
    expect(ledger.query({}).total).toBe(2);
  });

  it('revives a deleted receipt when its file is scanned again, keeping corrections', () => {
    const first = ledger.saveReceipt(newReceipt(1, { merchant: 'C0rner', totalMinor: 3390 }));
    ledger.update(first.id, { merchant: 'Corner Cafe', category: 'Meals' });
    ledger.softDelete([first.id]);

    const rescan = newReceipt(1, { merchant: 'CORNER', totalMinor: 3400, date: '2024-03-16' });
    rescan.file.sourcePath = '/new/place/receipt-1.jpg';
    rescan.ocrText = 'CORNER rescanned';
    const revived = ledger.saveReceipt(rescan);
    expect(revived).toMatchObject({
      id: first.id,
      merchant: 'Corner Cafe', // corrected by the person: kept
      totalMinor: 3400, // not corrected: from the new extraction
      date: '2024-03-16',
      category: 'Meals',
      corrected: ['merchant'],
      sourcePath: '/new/place/receipt-1.jpg',
    });
    expect(ledger.get(first.id)?.ocrText).toBe('CORNER rescanned');
    expect(ledger.query({ text: 'rescanned' }).total).toBe(1);
    expect(ledger.query({}).total).toBe(1);
  });
});

describe('exportRows', () => {
  it('streams live receipts by date, undated first, then id, honouring the filter', () => {
    const late = ledger.saveReceipt(newReceipt(1, { date: '2024-05-01' }));
    const undated = ledger.saveReceipt(newReceipt(2, { date: null }));
    const early = ledger.saveReceipt(newReceipt(3, { date: '2024-01-01' }));
    const early2 = ledger.saveReceipt(newReceipt(4, { date: '2024-01-01', merchant: 'Fuel Stop' }));
    expect([...ledger.exportRows()].map((r) => r.id)).toEqual([undated.id, early.id, early2.id, late.id]);
    expect([...ledger.exportRows({ text: 'fuel' })].map((r) => r.id)).toEqual([early2.id]);
  });

  it('leaves the ledger writable while an export is half read', () => {
    for (let i = 0; i < 5; i++) ledger.saveReceipt(newReceipt(i));
    const rows = ledger.exportRows();
    expect(rows.next().done).toBe(false);
    const later = ledger.saveReceipt(newReceipt('during export'));
    ledger.update(later.id, { category: 'Office' });
    expect([...rows]).toHaveLength(4); // the export reads the snapshot it started with
    expect(ledger.query({}).total).toBe(6);
  });
});

describe('jobs', () => {
  it('adds, updates, lists, resumes and clears jobs, persisted', () => {
    const jobs = ledger.addJobs('batch-1', [
      { source: '/in/a.jpg', fileName: 'a.jpg' },
      { source: '/in/b.pdf', fileName: 'b.pdf' },
      { source: 'https://example.com/c.png', fileName: 'c.png' },
    ]);
    expect(jobs.map((j) => [j.batchId, j.fileName, j.state, j.percent])).toEqual([
      ['batch-1', 'a.jpg', 'queued', 0],
      ['batch-1', 'b.pdf', 'queued', 0],
      ['batch-1', 'c.png', 'queued', 0],
    ]);
    const [a, b, c] = jobs;
    const receipt = ledger.saveReceipt(newReceipt(1));
    ledger.updateJob(a.id, { state: 'failed', error: 'not a receipt image' });
    ledger.updateJob(b.id, { state: 'ocr', percent: 42.5 });
    ledger.updateJob(c.id, { state: 'duplicate', duplicateOf: receipt.id, percent: 100 });
    expect(() => ledger.updateJob(999, { state: 'ocr' })).toThrow(/job 999/);
    expect(() => ledger.updateJob(a.id, { state: 'exploded' as never })).toThrow(/CHECK/);

    ledger.close();
    ledger = Ledger.open(path); // as after a crash
    expect(ledger.listJobs().map((j) => [j.id, j.state, j.percent, j.error, j.duplicateOf])).toEqual([
      [a.id, 'failed', 0, 'not a receipt image', undefined],
      [b.id, 'ocr', 42.5, undefined, undefined],
      [c.id, 'duplicate', 100, undefined, receipt.id],
    ]);
    expect(ledger.unfinishedJobs().map((j) => j.id)).toEqual([b.id]);

    ledger.updateJob(a.id, { state: 'queued', percent: 0, error: undefined }); // retry clears the error
    expect(ledger.listJobs()[0]).not.toHaveProperty('error');
    ledger.updateJob(a.id, { state: 'failed', error: 'again' });
    ledger.updateJob(a.id, { percent: 5 }); // fields not named stay as they are
    expect(ledger.listJobs()[0]).toMatchObject({ state: 'failed', error: 'again', percent: 5 });

    expect(ledger.clearFinishedJobs()).toBe(2);
    expect(ledger.listJobs().map((j) => j.id)).toEqual([b.id]);
    expect(ledger.clearFinishedJobs()).toBe(0);
  });
});

describe('crash', () => {
  it('keeps committed receipts and jobs when the process is killed, and knows what to resume', () => {
    ledger.close();
    const child = join(dir, 'child.ts');
    writeFileSync(
      child,
      `import { Ledger } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'ledger.ts')).href)};
       import { newReceipt } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'fixtures.ts')).href)};
       const ledger = Ledger.open(${JSON.stringify(path)});
       const [a, b] = ledger.addJobs('batch', [{ source: '/a.jpg', fileName: 'a.jpg' }, { source: '/b.jpg', fileName: 'b.jpg' }]);
       ledger.updateJob(a.id, { state: 'extracting', percent: 90 });
       ledger.saveReceipt({ ...newReceipt('a'), jobId: a.id });
       ledger.updateJob(b.id, { state: 'ocr', percent: 40 });
       process.kill(process.pid, 'SIGKILL');`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8' });
    expect(run.signal, run.stderr).toBe('SIGKILL');

    ledger = Ledger.open(path);
    expect(ledger.query({}).rows.map((r) => r.sha256)).toEqual([shaOf('a')]);
    expect(ledger.listJobs().map((j) => [j.fileName, j.state])).toEqual([
      ['a.jpg', 'saved'],
      ['b.jpg', 'ocr'],
    ]);
    expect(ledger.unfinishedJobs().map((j) => j.fileName)).toEqual(['b.jpg']);
  });
});

describe('meta', () => {
  it('stores small values by key', () => {
    expect(ledger.getMeta('window')).toBeNull();
    ledger.setMeta('window', '{"w":800}');
    ledger.setMeta('window', '{"w":1024}');
    expect(ledger.getMeta('window')).toBe('{"w":1024}');
  });
});
