// A text search counts and sums its matches either by looking each one up or, when most receipts match,
// by walking the live receipts in currency order and checking each against them; then it picks the page
// either from the list of matches or by walking the sort order and checking each receipt against it
// (see Ledger.query). Whichever it picks, the page, count and sums must be exactly those of the plain
// definition: every live receipt whose text holds all terms, sorted by the key then id. The reference
// here is computed in JavaScript from exportRows, which runs the full-text query in its own statement.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerQuery, Money } from '../../shared/model';
import { newReceipt } from './fixtures';
import { Ledger } from './ledger';
import type { ExportedReceipt } from './rows';

const COUNT = 3000;
let dir: string;
let ledger: Ledger;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-search-'));
  ledger = Ledger.open(join(dir, 'ledger.db'));
  for (let n = 0; n < COUNT; n++) {
    // Every receipt says TOTAL; every tenth sells BATTERIES; every hundredth is from a PHARMACY.
    const goods = [n % 10 === 0 ? 'BATTERIES 4.99' : 'BREAD 2.10', n % 100 === 0 ? 'PHARMACY' : 'GROCER'];
    const receipt = ledger.saveReceipt({
      ...newReceipt(`search-${n}`, {
        merchant: `Shop ${n % 37}`,
        // Repeated dates and totals make ties that only the id breaks; some are missing altogether.
        date: n % 50 === 0 ? null : `2024-0${1 + (n % 9)}-${String(1 + (n % 28)).padStart(2, '0')}`,
        totalMinor: n % 70 === 0 ? null : 100 + (n % 113) * 7,
        currency: n % 3 === 0 ? 'EUR' : n % 41 === 0 ? null : 'USD',
      }),
      ocrText: [...goods, `TOTAL ${n}`].join('\n'),
    });
    if (n % 29 === 0) ledger.softDelete([receipt.id]);
  }
});

afterAll(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** SQLite's order: NULL before any value ascending, after every value descending; ties by id the same way. */
function compare(key: 'date' | 'totalMinor', dir: 'asc' | 'desc') {
  const sign = dir === 'asc' ? 1 : -1;
  return (a: ExportedReceipt, b: ExportedReceipt) => {
    const x = a[key];
    const y = b[key];
    const byKey = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
    return sign * (byKey || a.id - b.id);
  };
}

function reference(q: LedgerQuery & { sort: 'date' | 'total'; direction: 'asc' | 'desc' }) {
  const all = [...ledger.exportRows({ text: q.text })].sort(compare(q.sort === 'total' ? 'totalMinor' : 'date', q.direction));
  const sums = new Map<string, number>();
  for (const r of all) if (r.currency !== null && r.totalMinor !== null) sums.set(r.currency, (sums.get(r.currency) ?? 0) + r.totalMinor);
  const offset = q.offset ?? 0;
  return {
    ids: all.slice(offset, offset + (q.limit ?? 200)).map((r) => r.id),
    total: all.length,
    sums: [...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, minor]): Money => ({ currency, minor })),
  };
}

describe('text search', () => {
  it.each([
    ['a term in every receipt (walks the currency and sort orders)', 'total'],
    ['a term in nine of ten (walks, skipping the others)', 'bread'],
    ['a term in a tenth of them', 'batteries'],
    ['a term in one in a hundred (sorts the matches)', 'pharmacy'],
    ['two terms', 'batteries pharmacy'],
    ['a term with a short one beside it', 'total 7'],
    ['a term nothing has', 'zebra'],
  ])('gives the same page, count and sums as the plain definition: %s', (_label, text) => {
    for (const sort of ['date', 'total'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const [offset, limit] of [
          [0, 200],
          [150, 50],
          [2500, 200],
        ] as const) {
          const q = { text, sort, direction, offset, limit };
          const page = ledger.query(q);
          const want = reference(q);
          expect({ ids: page.rows.map((r) => r.id), total: page.total, sums: page.sums }, JSON.stringify(q)).toEqual(want);
        }
      }
    }
  });

  it('finds matches that changed since the last search', () => {
    const before = ledger.query({ text: 'zebra' }).total;
    const id = ledger.query({ text: 'pharmacy', limit: 1 }).rows[0]!.id;
    ledger.update(id, { merchant: 'Zebra Crossing Shop' });
    expect(ledger.query({ text: 'zebra' }).rows.map((r) => r.id)).toEqual([id]);
    expect(before).toBe(0);
  });
});
