// Scores extracted fields against a labelled receipt set (../shared/receipts/<set>/labels/<stem>.json),
// as that README describes: total to the cent, date as ISO after reading the label in the set's date
// order, merchant upper-cased with only letters and digits kept (exact, and similarity >= 0.8).
// Used by bench/accuracy.ts (cached OCR), bench/reread.ts and the pipeline benchmark.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseAmount } from '../src/main/extract/amounts';
import { findDatesInText } from '../src/main/extract/dates';
import { similarity } from '../src/main/extract/similarity';
import type { DateOrder, ExtractedFields } from '../src/shared/model';

export interface Label {
  stem: string;
  merchant: string | null;
  /** ISO, or null when missing or unreadable. */
  date: string | null;
  /** The other reading of an ambiguous label date, accepted when the set's order is mixed. */
  dateAlt: string | null;
  totalMinor: number | null;
}

/** How label dates are read: the set's order, or either order for sets of mixed origin. */
export type LabelOrder = DateOrder | 'either';

/** The value given to --date-order (DMY|MDY), checked. */
export function dateOrderOption(value: string | undefined): DateOrder {
  if (value !== 'DMY' && value !== 'MDY') throw new Error('--date-order must be DMY or MDY');
  return value;
}

/** The value given to --label-order (DMY|MDY|either), checked. */
export function labelOrderOption(value: string | undefined): LabelOrder {
  return value === 'either' ? value : dateOrderOption(value);
}

/** A dev set's halves: rules are tuned on one and reported on the other, which they never saw. */
export type Half = 'tune' | 'report';
export type HalfOption = Half | 'all';

/**
 * The half a receipt is in, from a hash of its file's stem: the same on every run and machine, and a
 * receipt keeps its half when files are added to the set. One bit of the hash: bit 1 of its first byte
 * splits SROIE / SRD / wild 76:81, 25:27, 44:51; bit 0 happened to split SROIE 58:99.
 */
export function halfOf(stem: string): Half {
  return (createHash('sha256').update(stem).digest()[0]! & 2) === 0 ? 'tune' : 'report';
}

/** The value given to --half (tune|report|all), checked. */
export function halfOption(value: string | undefined): HalfOption {
  if (value !== 'tune' && value !== 'report' && value !== 'all') throw new Error('--half must be tune, report or all');
  return value;
}

/** Whether a receipt is scored under --half `half`. */
export function inHalf(stem: string, half: HalfOption): boolean {
  return half === 'all' || halfOf(stem) === half;
}

export type ScoredField = 'total' | 'date' | 'merchant';

export interface Miss {
  stem: string;
  field: ScoredField;
  expected: string;
  got: string;
  /** Whether the expected value can be found in the OCR text at all (false: OCR miss). */
  inOcr: boolean;
}

export interface FieldScore {
  labelled: number;
  correct: number;
  /** Merchant only: similarity >= 0.8. */
  similar?: number;
  /** Misses where the value is not in the OCR text. */
  ocrMisses: number;
}

export interface SetScore {
  receipts: number;
  fields: Record<ScoredField, FieldScore>;
  misses: Miss[];
}

export const MERCHANT_SIMILARITY = 0.8;

export function normaliseMerchant(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** A label's date string as ISO read in the set's order, and its other reading if it is ambiguous. */
export function labelDate(raw: unknown, order: LabelOrder): { iso: string | null; alt: string | null } {
  if (typeof raw !== 'string' || raw.trim() === '') return { iso: null, alt: null };
  const found = findDatesInText(raw, 0, order === 'either' ? 'DMY' : order)[0];
  return { iso: found?.iso ?? null, alt: order === 'either' ? (found?.swapped ?? null) : null };
}

function labelTotal(raw: unknown): number | null {
  if (typeof raw === 'number') return Math.round(raw * 100);
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  return parseAmount(raw);
}

export async function loadLabels(dir: string, order: LabelOrder): Promise<Label[]> {
  const files = (await readdir(join(dir, 'labels'))).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (f) => {
      const raw = JSON.parse(await readFile(join(dir, 'labels', f), 'utf8')) as Record<string, unknown>;
      const company = typeof raw.company === 'string' && raw.company.trim() ? raw.company : null;
      const date = labelDate(raw.date, order);
      return { stem: basename(f, '.json'), merchant: company, date: date.iso, dateAlt: date.alt, totalMinor: labelTotal(raw.total) };
    }),
  );
}

/** Is the expected value somewhere in the OCR text (any line, any reading)? */
function foundInOcr(field: ScoredField, label: Label, ocrText: string): boolean {
  const lines = ocrText.split('\n');
  if (field === 'total') return lines.some((l) => parseAmountsLoose(l).includes(label.totalMinor as number));
  if (field === 'date') {
    return lines.some((l, i) =>
      (['DMY', 'MDY'] as const).some((o) => findDatesInText(l, i, o).some((d) => d.iso === label.date || d.swapped === label.date)),
    );
  }
  const want = normaliseMerchant(label.merchant as string);
  return lines.some((l, i) => {
    const one = normaliseMerchant(l);
    const two = normaliseMerchant(`${l}${lines[i + 1] ?? ''}`);
    return similarity(one, want) >= MERCHANT_SIMILARITY || similarity(two, want) >= MERCHANT_SIMILARITY;
  });
}

/** Every number with two decimals in a line, however it is spaced. */
function parseAmountsLoose(line: string): number[] {
  return [...line.replace(/(\d)[ ]?[.,][ ]?(\d\d)(?!\d)/g, '$1.$2').matchAll(/\d[\d,]*\.\d\d/g)].map((m) =>
    Math.round(Number(m[0].replace(/,/g, '')) * 100),
  );
}

export function scoreSet(labels: Label[], results: Map<string, { fields: ExtractedFields; ocrText: string }>): SetScore {
  const blank = (): FieldScore => ({ labelled: 0, correct: 0, ocrMisses: 0 });
  const fields: Record<ScoredField, FieldScore> = { total: blank(), date: blank(), merchant: { ...blank(), similar: 0 } };
  const misses: Miss[] = [];
  for (const label of labels) {
    const r = results.get(label.stem);
    if (!r) continue;
    const miss = (field: ScoredField, expected: string, got: string): void => {
      const inOcr = foundInOcr(field, label, r.ocrText);
      if (!inOcr) fields[field].ocrMisses++;
      misses.push({ stem: label.stem, field, expected, got, inOcr });
    };
    if (label.totalMinor !== null) {
      fields.total.labelled++;
      if (r.fields.totalMinor === label.totalMinor) fields.total.correct++;
      else miss('total', String(label.totalMinor / 100), r.fields.totalMinor === null ? '—' : String(r.fields.totalMinor / 100));
    }
    if (label.date !== null) {
      fields.date.labelled++;
      if (r.fields.date === label.date || (label.dateAlt !== null && r.fields.date === label.dateAlt)) fields.date.correct++;
      else miss('date', label.date, r.fields.date ?? '—');
    }
    if (label.merchant !== null) {
      const f = fields.merchant;
      f.labelled++;
      const want = normaliseMerchant(label.merchant);
      const got = normaliseMerchant(r.fields.merchant ?? '');
      if (got === want) f.correct++;
      const sim = similarity(got, want);
      if (sim >= MERCHANT_SIMILARITY) f.similar = (f.similar ?? 0) + 1;
      else miss('merchant', label.merchant, `${r.fields.merchant ?? '—'} (${sim.toFixed(2)})`);
    }
  }
  return { receipts: labels.filter((l) => results.has(l.stem)).length, fields, misses };
}

/** The scores of `labels` (the receipts of --half `half`), and of each half when that is the whole set. */
export function formatHalves(
  name: string,
  labels: Label[],
  results: Map<string, { fields: ExtractedFields; ocrText: string }>,
  half: HalfOption,
): string {
  const parts: [string, Label[]][] =
    half === 'all'
      ? [
          [name, labels],
          ...(['tune', 'report'] as const).map((h): [string, Label[]] => [
            `${name} [${h} half]`,
            labels.filter((l) => halfOf(l.stem) === h),
          ]),
        ]
      : [[`${name} [${half} half]`, labels]];
  return parts.map(([title, some]) => formatScore(title, scoreSet(some, results))).join('\n');
}

export function formatScore(name: string, s: SetScore): string {
  const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');
  const lines = [`${name}: ${s.receipts} receipts`];
  for (const field of ['total', 'date', 'merchant'] as const) {
    const f = s.fields[field];
    const extra =
      field === 'merchant' ? `, similar>=${MERCHANT_SIMILARITY}: ${f.similar}/${f.labelled} ${pct(f.similar ?? 0, f.labelled)}` : '';
    lines.push(
      `  ${field.padEnd(8)} exact ${f.correct}/${f.labelled} ${pct(f.correct, f.labelled)}${extra}  (misses not in OCR text: ${f.ocrMisses})`,
    );
  }
  return lines.join('\n');
}

/**
 * How often the line items read add up to the subtotal or the total (prices may include the tax): a
 * check of the rows that needs no labels (a label and its amount put in different rows break it).
 * Receipts with neither are not counted.
 */
export function formatItemsAddUp(fields: Iterable<ExtractedFields>): string {
  let [counted, adding] = [0, 0];
  for (const f of fields) {
    if (f.subtotalMinor === null && f.totalMinor === null) continue;
    counted++;
    const sum = f.items.reduce((s, item) => s + item.amountMinor, 0);
    if (f.items.length > 0 && (sum === f.subtotalMinor || sum === f.totalMinor)) adding++;
  }
  return `  line items add up to the subtotal or the total: ${adding}/${counted} receipts`;
}
