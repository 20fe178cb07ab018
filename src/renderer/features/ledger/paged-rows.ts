// The ledger's rows as the virtualised table needs them: fetched page by page from main
// ('ledger:query' filters, sorts and pages there), only for what is on screen. A new query starts a
// new generation so late answers for an old filter are dropped; a refresh keeps the rows shown
// until their fresh copies arrive, so the table does not blink.
import type { LedgerPage, Money, Receipt } from '../../../shared/model';

export type FetchPage = (offset: number, limit: number) => Promise<LedgerPage>;

export interface PagedSnapshot {
  total: number;
  sums: Money[];
  loaded: boolean;
  version: number;
}

export class PagedRows {
  private pages = new Map<number, Receipt[]>();
  private stale = new Set<number>();
  private inflight = new Set<number>();
  private generation = 0;
  private listeners = new Set<() => void>();
  private snapshot: PagedSnapshot = { total: 0, sums: [], loaded: false, version: 0 };
  private visible: [number, number] = [0, 0];

  private fetchPage: FetchPage | null = null;

  constructor(
    private readonly onError: (error: unknown) => void,
    readonly pageSize = 200,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PagedSnapshot => this.snapshot;

  row(index: number): Receipt | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Index of a loaded row, or -1. */
  indexOf(id: number): number {
    for (const [page, rows] of this.pages) {
      const at = rows.findIndex((r) => r.id === id);
      if (at >= 0) return page * this.pageSize + at;
    }
    return -1;
  }

  /** A different filter or sort: forget every page and load from the top. */
  setQuery(fetchPage: FetchPage): void {
    this.fetchPage = fetchPage;
    this.generation += 1;
    this.pages.clear();
    this.stale.clear();
    this.inflight.clear();
    this.publish({ loaded: false });
    this.load(0);
  }

  /** Same query, new data (a receipt changed): reload what is on screen, keep the rest for later. */
  refresh(): void {
    this.generation += 1;
    this.inflight.clear();
    for (const page of this.pages.keys()) this.stale.add(page);
    this.ensure(this.visible[0], this.visible[1], true);
    if (this.pages.size === 0) this.load(0);
  }

  /** Makes sure rows start..end (inclusive) are loaded or on their way. */
  ensure(start: number, end: number, force = false): void {
    this.visible = [start, end];
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const last = Math.floor(Math.max(0, end) / this.pageSize);
    for (let page = first; page <= last; page++) {
      if (this.snapshot.loaded && page > 0 && page * this.pageSize >= this.snapshot.total) break;
      if (force || !this.pages.has(page) || this.stale.has(page)) this.load(page);
    }
  }

  private load(page: number): void {
    const fetchPage = this.fetchPage;
    if (!fetchPage || this.inflight.has(page)) return;
    this.inflight.add(page);
    const generation = this.generation;
    fetchPage(page * this.pageSize, this.pageSize).then(
      (result) => {
        if (generation !== this.generation) return;
        this.inflight.delete(page);
        this.stale.delete(page);
        this.pages.set(page, result.rows);
        if (result.total !== this.snapshot.total) {
          // Rows moved: pages beyond the new end are gone, the others may have shifted.
          for (const key of this.pages.keys()) {
            if (key * this.pageSize >= result.total) this.pages.delete(key);
            else if (key !== page) this.stale.add(key);
          }
        }
        this.publish({ total: result.total, sums: result.sums, loaded: true });
      },
      (error) => {
        if (generation !== this.generation) return;
        this.inflight.delete(page);
        this.publish({ loaded: true });
        this.onError(error);
      },
    );
  }

  private publish(change: Partial<PagedSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change, version: this.snapshot.version + 1 };
    for (const listener of this.listeners) listener();
  }
}
