// Ledger benchmark: 100,000 synthetic receipts in a temp SQLite file; times CSV export of every row
// (goal < 1.5 s) and typical searches/filters (goal < 50 ms each).
// Run: npx tsx bench/ledger.ts [count]; LEDGER_BENCH_DB=path keeps the built ledger there and reuses it.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCsv } from '../src/main/export/csv';
import { newReceipt } from '../src/main/ledger/fixtures';
import { Ledger, type NewReceipt } from '../src/main/ledger/ledger';
import type { LedgerQuery } from '../src/shared/model';

const COUNT = Number(process.argv[2] ?? 100_000);
const EXPORT_GOAL_MS = 1500;
const QUERY_GOAL_MS = 50;

// Deterministic pseudo-random numbers (mulberry32), so every run measures the same ledger.
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];

const STEMS = ['Corner', 'Blue', 'Golden', 'Harbor', 'Maple', 'Sunrise', 'Urban', 'Royal', 'Green', 'Old Town'];
const KINDS = ['Cafe', 'Grocer', 'Diner', 'Bakery', 'Pharmacy', 'Hardware', 'Books', 'Fuel', 'Hotel', 'Market'];
const MERCHANTS = STEMS.flatMap((s) => KINDS.map((k) => `${s} ${k}`)).concat(['Starbucks', 'Café Müller', 'ラーメン一蘭']);
const GOODS = ['milk', 'bread', 'coffee', 'eggs', 'apples', 'rice', 'soap', 'batteries', 'tea', 'cheese', 'pasta', 'water'];
const CATEGORIES = [null, 'Meals', 'Groceries', 'Travel', 'Fuel', 'Office'];
const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'MYR', 'JPY'];

function ocrText(merchant: string, date: string, total: number, n: number): string {
  const lines = [merchant.toUpperCase(), `${pick(['12', '7', '301'])} MAIN STREET`, `TEL 555-${1000 + (n % 9000)}`, date];
  for (let i = 0, items = 3 + Math.floor(rand() * 10); i < items; i++) {
    lines.push(`${pick(GOODS).toUpperCase()} x${1 + Math.floor(rand() * 3)}  ${(rand() * 20).toFixed(2)}`);
  }
  lines.push(`SUBTOTAL ${(total / 110).toFixed(2)}`, `TAX ${(total / 1100).toFixed(2)}`, `TOTAL ${(total / 100).toFixed(2)}`);
  lines.push(`INVOICE ${100000 + n}`, 'THANK YOU, PLEASE COME AGAIN');
  return lines.join('\n');
}

/** A random receipt: one of ~100 merchants, any day of three years, any total up to 500.00. */
function syntheticReceipt(seed: string, n: number): NewReceipt {
  const merchant = pick(MERCHANTS);
  const date = new Date(Date.UTC(2022, 0, 1) + Math.floor(rand() * 3 * 365) * 86_400_000).toISOString().slice(0, 10);
  const total = 100 + Math.floor(rand() * 50_000);
  const unsure = rand() < 0.1;
  const input = newReceipt(seed, {
    merchant,
    date,
    totalMinor: total,
    subtotalMinor: Math.round(total / 1.1),
    taxMinor: total - Math.round(total / 1.1),
    currency: pick(CURRENCIES),
    confidence: { merchant: unsure ? 0.4 : 0.9, date: 0.9, total: 0.95 },
  });
  input.ocrText = ocrText(merchant, date, total, n);
  return input;
}

function build(ledger: Ledger): void {
  for (let n = 0; n < COUNT; n++) {
    const receipt = ledger.saveReceipt(syntheticReceipt(`bench-${n}`, n));
    const category = pick(CATEGORIES);
    if (category) ledger.update(receipt.id, { category });
  }
}

/**
 * Cost of saving one more receipt into the full ledger (the soft-duplicate check runs on every save):
 * new files, half of them other photos of receipts already there (same merchant, date, total, currency).
 */
function timeSaves(ledger: Ledger, count = 2000): void {
  const existing = ledger.query({ limit: count / 2, sort: 'scannedAt' }).rows;
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const input = syntheticReceipt(`bench-save-${Date.now()}-${n}`, COUNT + n);
    const copy = n % 2 === 0 ? existing[n / 2] : undefined;
    if (copy)
      Object.assign(input.fields, { merchant: copy.merchant, date: copy.date, totalMinor: copy.totalMinor, currency: copy.currency });
    const start = performance.now();
    ledger.saveReceipt(input);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / count;
  console.log(
    `saving ${count} more receipts (half of them soft duplicates), one transaction each: ` +
      `median ${times[count >> 1].toFixed(3)} ms, mean ${mean.toFixed(3)} ms, p99 ${times[Math.floor(count * 0.99)].toFixed(3)} ms`,
  );
}

function time(fn: () => unknown, runs = 7): { median: number; max: number } {
  fn(); // warm the statement cache and the page cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], max: times[runs - 1] };
}

const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
try {
  const path = process.env.LEDGER_BENCH_DB ?? join(dir, 'ledger.db');
  let ledger: Ledger;
  if (existsSync(path)) {
    ledger = Ledger.open(path);
    console.log(`reusing ${path}: ${ledger.query({ limit: 1 }).total} receipts`);
  } else {
    ledger = Ledger.open(path);
    const start = performance.now();
    build(ledger);
    const buildMs = performance.now() - start;
    ledger.close();
    ledger = Ledger.open(path);
    console.log(`built ${COUNT} receipts in ${(buildMs / 1000).toFixed(1)} s; ledger ${(statSync(path).size / 1e6).toFixed(0)} MB`);
  }

  timeSaves(ledger);

  const queries: [string, LedgerQuery][] = [
    ['first page, newest first (no filter)', {}],
    ['text "starbucks" (merchant)', { text: 'starbucks' }],
    ['text "müller" (unicode merchant)', { text: 'müller' }],
    ['text "invoice 100777" (OCR, 2 terms)', { text: 'invoice 100777' }],
    ['text "batteries" (OCR, ~half the rows)', { text: 'batteries' }],
    ['text "total" (every row)', { text: 'total' }],
    ['text "x3" (short term, scan)', { text: 'x3' }],
    ['date range 1 month + amount 10.00–50.00', { dateFrom: '2023-05-01', dateTo: '2023-05-31', minTotalMinor: 1000, maxTotalMinor: 5000 }],
    ['date range 1 year', { dateFrom: '2023-01-01', dateTo: '2023-12-31' }],
    ['needsReview', { needsReview: true }],
    ['category Meals, sorted by total desc', { category: 'Meals', sort: 'total', direction: 'desc' }],
    ['sorted by merchant asc, page 25 (offset 5000)', { sort: 'merchant', direction: 'asc', offset: 5000 }],
    ['sorted by total desc, first page', { sort: 'total', direction: 'desc' }],
  ];
  // Figures scale with how busy the machine is; print the load so runs can be compared fairly.
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`\nqueries (page of 200 + total count + sums per currency), goal < ${QUERY_GOAL_MS} ms:`);
  for (const [label, q] of queries) {
    const total = ledger.query(q).total;
    const t = time(() => ledger.query(q));
    const flag = t.median < QUERY_GOAL_MS ? 'ok  ' : 'SLOW';
    console.log(`  ${flag} ${t.median.toFixed(1).padStart(7)} ms (max ${t.max.toFixed(1)})  ${label} → ${total} rows`);
  }
  const summary = time(() => ledger.summary({}));
  console.log(
    `  ${summary.median < QUERY_GOAL_MS ? 'ok  ' : 'SLOW'} ${summary.median.toFixed(1).padStart(7)} ms  summary (month × category × currency), all rows`,
  );

  const csvPath = join(dir, 'export.csv');
  const exportTimes: number[] = [];
  let rows = 0;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    ({ rows } = await exportCsv(ledger.exportRows(), csvPath));
    exportTimes.push(performance.now() - start);
  }
  const best = Math.min(...exportTimes);
  console.log(
    `\nCSV export of ${rows} rows (${(statSync(csvPath).size / 1e6).toFixed(1)} MB), goal < ${EXPORT_GOAL_MS} ms: ` +
      `${exportTimes.map((t) => t.toFixed(0)).join(' / ')} ms (first / second / third run) ${best < EXPORT_GOAL_MS ? 'ok' : 'SLOW'}`,
  );
  ledger.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
