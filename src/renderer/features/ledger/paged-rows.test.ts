import { describe, expect, it } from 'vitest';
import type { LedgerPage, Receipt } from '../../../shared/model';
import { PagedRows } from './paged-rows';

// A ledger of `n` rows answering like 'ledger:query' does, recording what was asked.
function ledgerOf(n: number) {
  const asked: number[] = [];
  let size = n;
  const fetch = async (offset: number, limit: number): Promise<LedgerPage> => {
    asked.push(offset);
    const rows = Array.from({ length: Math.max(0, Math.min(limit, size - offset)) }, (_, i) => ({ id: offset + i + 1 }) as Receipt);
    return { rows, total: size, sums: [{ minor: size * 100, currency: 'USD' }] };
  };
  return { fetch, asked, resize: (next: number) => (size = next) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PagedRows', () => {
  it('loads the first page, then only the pages that come into view', async () => {
    const ledger = ledgerOf(1000);
    const rows = new PagedRows((e) => {
      throw e;
    }, 100);
    rows.setQuery(ledger.fetch);
    await settle();
    expect(rows.getSnapshot()).toMatchObject({ total: 1000, loaded: true, sums: [{ minor: 100000, currency: 'USD' }] });
    expect(rows.row(0)?.id).toBe(1);
    expect(rows.row(150)).toBeUndefined();
    rows.ensure(150, 230);
    await settle();
    expect(ledger.asked).toEqual([0, 100, 200]);
    expect(rows.row(150)?.id).toBe(151);
    expect(rows.indexOf(230 + 1)).toBe(230);
    rows.ensure(150, 230);
    await settle();
    expect(ledger.asked).toHaveLength(3);
  });

  it('drops answers for an old query', async () => {
    const ledger = ledgerOf(50);
    const other = ledgerOf(5);
    const rows = new PagedRows((e) => {
      throw e;
    }, 100);
    rows.setQuery(ledger.fetch);
    rows.setQuery(other.fetch);
    await settle();
    expect(rows.getSnapshot().total).toBe(5);
  });

  it('refreshes the visible pages and notices a shrunken ledger', async () => {
    const ledger = ledgerOf(250);
    const rows = new PagedRows((e) => {
      throw e;
    }, 100);
    rows.setQuery(ledger.fetch);
    rows.ensure(190, 260);
    await settle();
    expect(rows.row(240)?.id).toBe(241);
    ledger.resize(120);
    rows.refresh();
    await settle();
    expect(rows.getSnapshot().total).toBe(120);
    expect(rows.row(240)).toBeUndefined();
  });

  it('reports a failed page', async () => {
    const errors: unknown[] = [];
    const rows = new PagedRows((e) => errors.push(e), 100);
    rows.setQuery(async () => {
      throw new Error('database is locked');
    });
    await settle();
    expect(errors).toHaveLength(1);
    expect(rows.getSnapshot().loaded).toBe(true);
  });
});
