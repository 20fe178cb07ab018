// The ledger: a virtualised, sortable table of receipts, filtered and paged in main, with totals per
// currency for what is shown and the selected receipt's detail beside it.
import { memo, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LedgerFilter, Receipt, SortKey } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { formatMoney } from '../../lib/money';
import { useToasts } from '../../lib/toasts';
import { emptyFilterInputs, isFiltered, type FilterInputs, type Sort } from './filters';
import { PagedRows } from './paged-rows';
import { ReceiptDetail } from './ReceiptDetail';
import { ConfidenceMeter } from './ConfidenceMeter';
import { BundleExport } from './BundleExport';

const ROW_HEIGHT = 44;

interface Props {
  inputs: FilterInputs;
  onInputs(inputs: FilterInputs): void;
  problems: Partial<Record<keyof FilterInputs, string>>;
  /** The filter main applies (text debounced). */
  filter: LedgerFilter;
  sort: Sort;
  onSort(sort: Sort): void;
  selectedId: number | null;
  onSelect(id: number | null): void;
  categories: string[];
  defaultCurrency: string;
  /** Bumped whenever receipts changed (saved, corrected, deleted, restored). */
  version: number;
  searchRef: RefObject<HTMLInputElement | null>;
  onExport(): void;
  onDelete(id: number): void;
  onChanged(): void;
}

const COLUMNS: { key: SortKey | null; label: string; className: string }[] = [
  { key: 'merchant', label: 'Merchant', className: 'col-merchant' },
  { key: 'date', label: 'Date', className: 'col-date' },
  { key: 'total', label: 'Total', className: 'col-total' },
  { key: 'category', label: 'Category', className: 'col-category' },
  { key: null, label: 'Status', className: 'col-status' },
  { key: 'confidence', label: 'Confidence', className: 'col-confidence' },
];

export function LedgerView(props: Props) {
  const { filter, sort, selectedId, onSelect, version } = props;
  const toasts = useToasts();
  const rows = useMemo(
    () => new PagedRows((error) => toasts.push({ kind: 'error', message: `Could not load receipts: ${errorMessage(error)}` })),
    [toasts],
  );
  const snapshot = useSyncExternalStore(rows.subscribe, rows.getSnapshot);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    rows.setQuery((offset, limit) => invoke('ledger:query', { ...filter, sort: sort.key, direction: sort.direction, offset, limit }));
  }, [rows, filter, sort]);

  const firstVersion = useRef(version);
  useEffect(() => {
    if (version !== firstVersion.current) rows.refresh();
  }, [rows, version]);

  const virtualizer = useVirtualizer({
    count: snapshot.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (snapshot.total > 0) rows.ensure(firstIndex, lastIndex);
  }, [rows, firstIndex, lastIndex, snapshot.total]);

  // The keyboard cursor of the table; Enter or a click opens the receipt under it.
  const [cursor, setCursor] = useState(-1);
  useEffect(() => {
    // A new filter or order starts at the top.
    setCursor(-1);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filter, sort]);
  const cursorRow = cursor >= 0 ? rows.row(cursor) : undefined;
  useEffect(() => {
    // Keep the cursor on the selected receipt when it was opened from elsewhere (queue, search).
    if (selectedId === null) return;
    const index = rows.indexOf(selectedId);
    if (index >= 0) setCursor(index);
  }, [rows, selectedId, snapshot.version]);

  const pick = useCallback(
    (index: number, id: number) => {
      setCursor(index);
      onSelect(id);
    },
    [onSelect],
  );

  const moveCursor = (index: number) => {
    const next = Math.max(0, Math.min(snapshot.total - 1, index));
    setCursor(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onGridKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveCursor(cursor + 1),
      ArrowUp: () => moveCursor(cursor - 1),
      PageDown: () => moveCursor(cursor + page),
      PageUp: () => moveCursor(cursor - page),
      Home: () => moveCursor(0),
      End: () => moveCursor(snapshot.total - 1),
      Enter: () => cursorRow && onSelect(cursorRow.id),
      ' ': () => cursorRow && onSelect(cursorRow.id),
    };
    const action = keys[event.key];
    if (action && snapshot.total > 0) {
      event.preventDefault();
      action();
    }
  };

  const toggleSort = (key: SortKey) =>
    props.onSort(
      sort.key === key
        ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: key === 'merchant' || key === 'category' ? 'asc' : 'desc' },
    );

  const filtered = isFiltered(filter);

  return (
    <section className={`view ledger-view${selectedId !== null ? ' with-detail' : ''}`} aria-labelledby="ledger-heading">
      <div className="ledger-main">
        <div className="view-header">
          <h1 id="ledger-heading">Receipts</h1>
          <div className="toolbar">
            <button type="button" onClick={props.onExport} title="Export what is shown as CSV (Ctrl+E)">
              Export CSV…
            </button>
            <BundleExport filter={filter} shown={snapshot.total} />
          </div>
        </div>
        <FilterBar {...props} />

        <div className="table" role="grid" aria-label="Receipts" aria-rowcount={snapshot.total + 1}>
          <div className="table-head" role="row" aria-rowindex={1}>
            {COLUMNS.map((column) => {
              const active = column.key !== null && sort.key === column.key;
              return (
                <div
                  key={column.label}
                  role="columnheader"
                  className={`cell ${column.className}`}
                  aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {column.key ? (
                    <button type="button" className="sort-button" onClick={() => toggleSort(column.key as SortKey)}>
                      {column.label}
                      <span className="sort-mark" aria-hidden="true">
                        {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  ) : (
                    column.label
                  )}
                </div>
              );
            })}
          </div>
          <div
            className="table-body"
            ref={scrollRef}
            tabIndex={0}
            role="rowgroup"
            aria-label="Receipt rows: arrows to move, Enter to open"
            aria-activedescendant={cursorRow ? `receipt-row-${cursorRow.id}` : undefined}
            onKeyDown={onGridKey}
            onFocus={() => cursor < 0 && snapshot.total > 0 && setCursor(0)}
          >
            {snapshot.loaded && snapshot.total === 0 ? (
              <div className="table-empty">
                {filtered ? 'No receipts match these filters.' : 'No receipts yet. Drop some on the window to scan them.'}
              </div>
            ) : (
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => (
                  <LedgerRow
                    key={item.index}
                    index={item.index}
                    receipt={rows.row(item.index)}
                    top={item.start}
                    cursor={item.index === cursor}
                    selected={rows.row(item.index)?.id === selectedId && selectedId !== null}
                    onPick={pick}
                  />
                ))}
              </div>
            )}
          </div>
        </div>

        <footer className="ledger-footer" aria-live="polite">
          <span>
            {snapshot.total.toLocaleString()} receipt{snapshot.total === 1 ? '' : 's'}
            {filtered ? ' match' : ''}
          </span>
          {snapshot.sums.length > 0 && (
            <span className="sums">
              Total:{' '}
              {snapshot.sums.map((sum) => (
                <strong key={sum.currency} className="sum" data-currency={sum.currency}>
                  {formatMoney(sum.minor, sum.currency)}
                </strong>
              ))}
            </span>
          )}
        </footer>
      </div>

      {selectedId !== null && (
        <ReceiptDetail
          key={selectedId}
          id={selectedId}
          version={version}
          categories={props.categories}
          defaultCurrency={props.defaultCurrency}
          onClose={() => {
            onSelect(null);
            scrollRef.current?.focus();
          }}
          onDelete={props.onDelete}
          onSaved={props.onChanged}
          onOpen={onSelect}
        />
      )}
    </section>
  );
}

interface RowProps {
  index: number;
  receipt: Receipt | undefined;
  top: number;
  cursor: boolean;
  selected: boolean;
  onPick(index: number, id: number): void;
}

const LedgerRow = memo(function LedgerRow({ index, receipt, top, cursor, selected, onPick }: RowProps) {
  const style = { transform: `translateY(${top}px)`, height: ROW_HEIGHT };
  if (!receipt) {
    return (
      <div className="table-row loading" role="row" aria-rowindex={index + 2} style={style}>
        <div className="cell col-merchant" role="gridcell">
          …
        </div>
      </div>
    );
  }
  const corrected = receipt.corrected.length > 0;
  return (
    <div
      id={`receipt-row-${receipt.id}`}
      className={`table-row${cursor ? ' cursor' : ''}${selected ? ' selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-receipt-id={receipt.id}
      style={style}
      onClick={() => onPick(index, receipt.id)}
    >
      <div className="cell col-merchant" role="gridcell" title={receipt.fileName}>
        {receipt.merchant ?? <span className="missing">{receipt.fileName}</span>}
      </div>
      <div className="cell col-date" role="gridcell">
        {receipt.date ?? <span className="missing">no date</span>}
      </div>
      <div className="cell col-total" role="gridcell">
        {receipt.totalMinor === null ? <span className="missing">no total</span> : formatMoney(receipt.totalMinor, receipt.currency)}
      </div>
      <div className="cell col-category" role="gridcell">
        {receipt.category ?? <span className="missing">—</span>}
      </div>
      <div className="cell col-status" role="gridcell">
        {/* A possible duplicate is the first thing to settle; the detail says why and how. */}
        {receipt.possibleDuplicates.length > 0 ? (
          <span
            className="badge dup"
            title={`Possible duplicate: same merchant, date and total as ${receipt.possibleDuplicates.map((id) => `#${id}`).join(', ')}`}
          >
            Duplicate?
          </span>
        ) : receipt.needsReview ? (
          <span className="badge warn">Needs review</span>
        ) : (
          <span className="badge ok">OK</span>
        )}
        {corrected && (
          <span className="badge info" title={`Corrected: ${receipt.corrected.join(', ')}`}>
            Edited
          </span>
        )}
      </div>
      <div className="cell col-confidence" role="gridcell">
        <ConfidenceMeter value={receipt.confidence} />
      </div>
    </div>
  );
});

function FilterBar({ inputs, onInputs, problems, categories, searchRef }: Props) {
  const set = <K extends keyof FilterInputs>(key: K, value: FilterInputs[K]) => onInputs({ ...inputs, [key]: value });
  const any = JSON.stringify(inputs) !== JSON.stringify(emptyFilterInputs);
  const problemText = Object.entries(problems)
    .map(([key, message]) => `${FILTER_LABELS[key as keyof FilterInputs]} ${message}`)
    .join('; ');
  return (
    <div className="filters" role="search">
      <input
        ref={searchRef}
        type="search"
        className="search"
        placeholder="Search receipts"
        title="Merchant, file name, category or any text on the receipt (Ctrl+F)"
        aria-label="Search receipts"
        value={inputs.text}
        onChange={(e) => set('text', e.target.value)}
      />
      <FilterInput label="From" name="dateFrom" type="date" ariaLabel="Date from" {...{ inputs, problems, set }} />
      <FilterInput label="To" name="dateTo" type="date" ariaLabel="Date to" {...{ inputs, problems, set }} />
      <FilterInput label="Min" name="minAmount" ariaLabel="Minimum total" placeholder="0.00" {...{ inputs, problems, set }} />
      <FilterInput label="Max" name="maxAmount" ariaLabel="Maximum total" placeholder="any" {...{ inputs, problems, set }} />
      <select value={inputs.category} onChange={(e) => set('category', e.target.value)} aria-label="Category filter">
        <option value="">All categories</option>
        {categories.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <label className="check">
        <input type="checkbox" checked={inputs.needsReview} onChange={(e) => set('needsReview', e.target.checked)} />
        Needs review
      </label>
      <label className="check">
        <input type="checkbox" checked={inputs.possibleDuplicates} onChange={(e) => set('possibleDuplicates', e.target.checked)} />
        Possible duplicates
      </label>
      {any && (
        <button type="button" className="link-button" onClick={() => onInputs(emptyFilterInputs)}>
          Clear filters
        </button>
      )}
      {problemText && (
        <div className="field-problem" role="alert">
          {problemText}
        </div>
      )}
    </div>
  );
}

interface FilterInputProps {
  label: string;
  name: 'dateFrom' | 'dateTo' | 'minAmount' | 'maxAmount';
  ariaLabel: string;
  type?: 'date' | 'text';
  placeholder?: string;
  inputs: FilterInputs;
  problems: Props['problems'];
  set(name: keyof FilterInputs, value: string): void;
}

/** A date or amount bound; amounts are decimal text, read in FilterBar's currency. */
function FilterInput({ label, name, ariaLabel, type = 'text', placeholder, inputs, problems, set }: FilterInputProps) {
  return (
    <label className="filter-field">
      <span>{label}</span>
      <input
        type={type}
        inputMode={type === 'text' ? 'decimal' : undefined}
        className={type === 'text' ? 'amount-input' : undefined}
        value={inputs[name]}
        onChange={(e) => set(name, e.target.value)}
        aria-label={ariaLabel}
        aria-invalid={problems[name] ? true : undefined}
        placeholder={placeholder}
      />
    </label>
  );
}

const FILTER_LABELS: Record<keyof FilterInputs, string> = {
  text: 'Search',
  dateFrom: 'From date',
  dateTo: 'To date',
  minAmount: 'Min',
  maxAmount: 'Max',
  category: 'Category',
  needsReview: 'Needs review',
  possibleDuplicates: 'Possible duplicates',
};
