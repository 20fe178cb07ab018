// npm run bench:accuracy -- DIR --date-order DMY|MDY [--label-order DMY|MDY|either] [--engine NAME] [--misses] [--half tune|report|all]
// Accuracy of the real pipeline: DIR/images is scanned through createApp (read → OCR → extract →
// SQLite), the ledger is exported to CSV the way a person would, and each CSV row is scored against
// DIR/labels. (bench/accuracy.ts scores the extractor alone over cached OCR, for fast tuning.)
// --half tune|report scans only that half of the set (see halfOf); all (the default) prints both too.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OCR_ENGINES, type DateOrder, type ExtractedFields } from '../src/shared/model';
import { parse } from 'csv-parse/sync';
import { createApp } from '../src/main/app';
import { exportLedgerCsv } from '../src/main/export/ledger-csv';
import { formatHalves, halfOption, inHalf, labelOrderOption, loadLabels, scoreSet } from './accuracy-score';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'date-order': { type: 'string' },
    'label-order': { type: 'string' },
    engine: { type: 'string' },
    misses: { type: 'boolean' },
    half: { type: 'string', default: 'all' },
  },
});
const half = halfOption(values.half);
const dir = resolve(positionals[0] ?? '');
const dateOrder = values['date-order']?.toUpperCase() as DateOrder;
if (!positionals[0] || (dateOrder !== 'DMY' && dateOrder !== 'MDY')) {
  console.error(
    'usage: npm run bench:accuracy -- DIR --date-order DMY|MDY [--label-order DMY|MDY|either] [--misses] [--half tune|report|all]',
  );
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'rs-accuracy-'));
const ocrEngine = OCR_ENGINES.find((e) => e === (values.engine ?? OCR_ENGINES[0]));
if (!ocrEngine) throw new Error(`--engine must be one of ${OCR_ENGINES.join(', ')}`);
const app = await createApp({ ledgerPath: join(work, 'ledger.sqlite3'), overrides: { dateOrder, ocrEngine } });
try {
  const t0 = performance.now();
  const images = join(dir, 'images');
  await app.queue.addPaths(
    half === 'all'
      ? [images]
      : readdirSync(images)
          .filter((f) => inHalf(basename(f, extname(f)), half))
          .map((f) => join(images, f)),
  );
  await app.queue.idle();
  const seconds = (performance.now() - t0) / 1000;
  const out = join(work, 'ledger.csv');
  await exportLedgerCsv(app.ledger, undefined, out);

  const [header, ...rows] = parse(readFileSync(out, 'utf8'), { bom: true }) as string[][];
  const col = (name: string) => header.indexOf(name);
  const results = new Map<string, { fields: ExtractedFields; ocrText: string }>();
  for (const row of rows) {
    const id = Number(row[col('id')]);
    const total = row[col('total')];
    const fields = {
      merchant: row[col('merchant')] || null,
      date: row[col('date')] || null,
      totalMinor: total ? Math.round(Number(total) * 100) : null,
    } as ExtractedFields;
    results.set(basename(row[col('file_name')]).replace(/\.[^.]+$/, ''), { fields, ocrText: app.ledger.get(id)?.ocrText ?? '' });
  }
  const labels = (await loadLabels(dir, values['label-order'] ? labelOrderOption(values['label-order']) : dateOrder)).filter((l) =>
    inHalf(l.stem, half),
  );
  const score = scoreSet(labels, results);
  console.log(formatHalves(basename(dir), labels, results, half));
  console.log(
    `  ${rows.length} receipts in the CSV; ${JSON.stringify(app.queue.list().summary)}; ${(rows.length / seconds).toFixed(2)} receipts/s`,
  );
  if (values.misses) {
    for (const m of score.misses)
      console.log(`  ${m.inOcr ? 'EXTRACT' : 'OCR    '} ${m.field.padEnd(8)} ${m.stem}: expected ${m.expected} got ${m.got}`);
  }
} finally {
  await app.close();
  rmSync(work, { recursive: true, force: true });
}
