// Spending per month, stacked by category, one chart per currency (amounts in different currencies
// are never added together), with category totals beside it. Drawn as plain SVG.
import { useEffect, useState } from 'react';
import type { LedgerFilter, SummaryRow } from '../../../shared/model';
import { DEFAULT_CATEGORIES } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { formatMoney, formatMoneyShort } from '../../lib/money';
import { isFiltered } from '../ledger/filters';
import { monthLabel, niceScale, summarise, UNCATEGORISED, type CurrencySummary } from './chart';

interface Props {
  filter: LedgerFilter;
  version: number;
  onClearFilter(): void;
}

const PALETTE_SIZE = 10;

/** Same category, same colour, everywhere: defaults get fixed slots, others a stable hash. */
export function categoryColor(category: string): string {
  if (category === UNCATEGORISED) return 'cat-none';
  const fixed = (DEFAULT_CATEGORIES as readonly string[]).indexOf(category);
  if (fixed >= 0) return `cat-${fixed}`;
  let hash = 0;
  for (const ch of category) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `cat-${hash % PALETTE_SIZE}`;
}

export function SummaryView({ filter, version, onClearFilter }: Props) {
  const [rows, setRows] = useState<SummaryRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    invoke('ledger:summary', filter).then(
      (result) => {
        if (!live) return;
        setRows(result.rows);
        setError(null);
      },
      (e) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [filter, version]);

  const summaries = rows ? summarise(rows) : [];
  return (
    <section className="view summary-view" aria-labelledby="summary-heading">
      <div className="view-header">
        <h1 id="summary-heading">Spending</h1>
        {isFiltered(filter) && (
          <p className="muted filter-note">
            Only receipts matching the current filters.{' '}
            <button type="button" className="link-button" onClick={onClearFilter}>
              Show all
            </button>
          </p>
        )}
      </div>
      {error && (
        <p className="detail-error" role="alert">
          Could not load the summary: {error}
        </p>
      )}
      {rows && summaries.length === 0 && !error && <p className="empty-note">No dated receipts to chart yet.</p>}
      <div className="summary-list">
        {summaries.map((summary) => (
          <CurrencyChart key={summary.currency} summary={summary} />
        ))}
      </div>
    </section>
  );
}

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { top: 22, right: 12, bottom: 36, left: 76 };

function CurrencyChart({ summary }: { summary: CurrencySummary }) {
  const { currency, months, categories } = summary;
  const max = Math.max(0, ...months.map((m) => m.total));
  const scale = niceScale(max);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, months.length);
  const barW = Math.min(56, slot * 0.7);
  const y = (minor: number) => PAD.top + plotH - (minor / scale.top) * plotH;
  // Label every month when they fit, otherwise every few; the year shows where it changes.
  const labelEvery = Math.ceil(months.length / Math.max(1, Math.floor(plotW / 64)));
  const biggest = categories[0]?.minor ?? 0;

  return (
    <article className="chart-card" data-currency={currency} aria-labelledby={`chart-${currency}`}>
      <header className="chart-header">
        <h2 id={`chart-${currency}`}>{currency}</h2>
        <span className="chart-total">
          {formatMoney(summary.total, currency)} · {summary.count.toLocaleString()} receipt{summary.count === 1 ? '' : 's'}
        </span>
      </header>
      <div className="chart-body">
        <svg
          className="chart"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-label={`Spending per month in ${currency}: ${months.map((m) => `${monthLabel(m.month)} ${formatMoney(m.total, currency)}`).join(', ')}`}
        >
          {scale.ticks.map((tick) => (
            <g key={tick}>
              <line className="grid-line" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
              <text className="axis-label" x={PAD.left - 8} y={y(tick)} textAnchor="end" dominantBaseline="middle">
                {formatMoneyShort(tick, currency)}
              </text>
            </g>
          ))}
          {months.map((month, i) => {
            const x = PAD.left + slot * i + (slot - barW) / 2;
            let base = 0;
            const showLabel = i % labelEvery === 0;
            const withYear = i === 0 || month.month.endsWith('-01');
            return (
              <g key={month.month} className="month">
                <title>{`${monthLabel(month.month)}: ${formatMoney(month.total, currency)}`}</title>
                {month.parts.map((part) => {
                  const top = y(base + part.minor);
                  const height = y(base) - top;
                  base += part.minor;
                  return (
                    <rect
                      key={part.category}
                      className={`bar-part ${categoryColor(part.category)}`}
                      x={x}
                      y={top}
                      width={barW}
                      height={Math.max(0, height)}
                    >
                      <title>{`${monthLabel(month.month)} · ${part.category}: ${formatMoney(part.minor, currency)}`}</title>
                    </rect>
                  );
                })}
                {month.total > 0 && slot >= 44 && (
                  <text className="value-label" x={x + barW / 2} y={y(month.total) - 5} textAnchor="middle">
                    {formatMoneyShort(month.total, currency)}
                  </text>
                )}
                {showLabel && (
                  <text className="axis-label" x={x + barW / 2} y={HEIGHT - PAD.bottom + 16} textAnchor="middle">
                    {monthLabel(month.month, false)}
                  </text>
                )}
                {showLabel && withYear && (
                  <text className="axis-label year" x={x + barW / 2} y={HEIGHT - PAD.bottom + 30} textAnchor="middle">
                    {month.month.slice(0, 4)}
                  </text>
                )}
              </g>
            );
          })}
          <line className="axis-line" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} />
        </svg>

        <table className="category-table" aria-label={`Spending per category in ${currency}`}>
          <tbody>
            {categories.map((c) => (
              <tr key={c.category}>
                <th scope="row">
                  <span className={`swatch ${categoryColor(c.category)}`} aria-hidden="true" />
                  {c.category}
                </th>
                <td className="category-bar-cell" aria-hidden="true">
                  <span
                    className={`category-bar ${categoryColor(c.category)}`}
                    style={{ width: `${biggest > 0 ? Math.max(2, (c.minor / biggest) * 100) : 0}%` }}
                  />
                </td>
                <td className="num">{formatMoney(c.minor, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}
