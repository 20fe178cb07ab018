// Field accuracy of the extractor on a labelled receipt set.
//
//   npx tsx bench/accuracy.ts ../shared/receipts/sroie --date-order DMY [--cached] [--misses] [--currency MYR]
//        [--variant NAME]   (an experimental image preparation, or with --engine paddle other PP-OCR
//                            reading settings: see bench/prep-variants.ts)
//        [--label-order DMY|MDY|either]   (how label dates are read; "either" for sets of mixed origin)
//        [--second-pass VARIANT]   (re-read receipts that wantsSecondPass() flags with another preparation
//                                  and combine both readings, as the pipeline could)
//        [--flat-confidence C]   (every word read at confidence C, 0..1, as from an engine that reports none:
//                                 what OCRSPACE_CONFIDENCE does to the fields and to "needs review")
//        [--half tune|report|all]   (the dev set's half to score, see halfOf; all prints both halves too)
//
// --cached scores OCR results stored by bench/ocr-cache.ts (OCRing only images not cached yet);
// without it every image is OCRed again first.
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { combineExtractions, wantsSecondPass } from '../src/main/extract/combine';
import { assessReview } from '../src/main/ledger/review';
import { extractFields } from '../src/main/extract/extract';
import { wordsOf, type OcrResult } from '../src/main/ocr/engine';
import type { DateOrder, ExtractedFields } from '../src/shared/model';
import {
  dateOrderOption,
  formatHalves,
  formatItemsAddUp,
  halfOption,
  inHalf,
  labelOrderOption,
  loadLabels,
  scoreSet,
  type HalfOption,
  type Label,
  type LabelOrder,
} from './accuracy-score';
import { cacheOcr, DEFAULT_CACHE } from './ocr-cache';

interface Args {
  dir: string;
  dateOrder: DateOrder;
  /** How label dates are read; defaults to dateOrder. */
  labelOrder?: LabelOrder;
  cached: boolean;
  misses: boolean;
  currency: string;
  variant?: string;
  /** Variant for a second OCR pass on receipts the first pass reads poorly. */
  secondPass?: string;
  flatConfidence?: number;
  /** Score PP-OCR's readings (cached under <set>@paddle) instead of tesseract's. */
  paddle?: boolean;
  half: HalfOption;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: '', dateOrder: 'DMY', cached: false, misses: false, currency: 'USD', half: 'all' };
  let orderGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--date-order') {
      args.dateOrder = dateOrderOption(argv[++i]);
      orderGiven = true;
    } else if (a === '--label-order') args.labelOrder = labelOrderOption(argv[++i]);
    else if (a === '--cached') args.cached = true;
    else if (a === '--misses') args.misses = true;
    else if (a === '--currency') args.currency = argv[++i];
    else if (a === '--variant') args.variant = argv[++i];
    else if (a === '--engine') args.paddle = argv[++i] === 'paddle';
    else if (a === '--second-pass') args.secondPass = argv[++i];
    else if (a === '--flat-confidence') args.flatConfidence = Number(argv[++i]);
    else if (a === '--half') args.half = halfOption(argv[++i]);
    else if (!a.startsWith('--')) args.dir = a;
    else throw new Error(`unknown option ${a}`);
  }
  const flat = args.flatConfidence;
  // Confidences are 0..1; a 0..100 figure from before would make every word sure.
  if (flat !== undefined && !(flat >= 0 && flat <= 1)) throw new Error('--flat-confidence takes 0..1, e.g. 0.75');
  if (!args.dir || !orderGiven)
    throw new Error(
      'usage: accuracy.ts DIR --date-order DMY|MDY [--label-order DMY|MDY|either] [--cached] [--misses] [--currency CODE] [--variant NAME] [--engine paddle] [--second-pass VARIANT] [--half tune|report|all]',
    );
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = resolve(args.dir);
  const cacheDir = await cacheOcr({ dir, out: DEFAULT_CACHE, workers: 2, force: !args.cached, variant: args.variant, paddle: args.paddle });
  const labels = (await loadLabels(dir, args.labelOrder ?? args.dateOrder)).filter((l) => inHalf(l.stem, args.half));
  // Receipts in the set are from 2016-2019; "today" is the real clock, as in the app.
  const read = async (from: string, stem: string): Promise<OcrResult> => {
    const ocr = JSON.parse(await readFile(join(from, `${stem}.json`), 'utf8')) as OcrResult;
    return args.flatConfidence === undefined ? ocr : flatten(ocr, args.flatConfidence);
  };
  const options = { dateOrder: args.dateOrder, defaultCurrency: args.currency };
  const results = new Map<string, { fields: ExtractedFields; ocrText: string }>();
  for (const label of labels) {
    const ocr = await read(cacheDir, label.stem);
    results.set(label.stem, { fields: extractFields(ocr, options), ocrText: ocr.text });
  }
  // The second pass reads only the receipts the first reads poorly, as the pipeline does.
  const flagged = new Set([...results].filter(([, r]) => wantsSecondPass(r.fields)).map(([stem]) => stem));
  const secondDir = args.secondPass
    ? await cacheOcr({ dir, out: DEFAULT_CACHE, workers: 2, force: !args.cached, variant: args.secondPass, only: flagged })
    : null;
  if (secondDir) {
    for (const stem of flagged) {
      const first = results.get(stem)!;
      const again = await read(secondDir, stem);
      results.set(stem, {
        fields: combineExtractions([first.fields, extractFields(again, options)]),
        ocrText: `${first.ocrText}\n${again.text}`,
      });
    }
  }
  const score = scoreSet(labels, results);
  console.log(formatHalves(basename(dir), labels, results, args.half));
  if (secondDir) console.log(`  second pass (${args.secondPass}) on ${flagged.size} of ${labels.length} receipts`);
  console.log(formatReview(labels, results));
  console.log(formatItemsAddUp([...results.values()].map((r) => r.fields)));
  if (args.misses) {
    for (const m of score.misses) {
      console.log(`  ${m.inOcr ? 'EXTRACT' : 'OCR    '} ${m.field.padEnd(8)} ${m.stem}: expected ${m.expected} got ${m.got}`);
    }
  }
}

/** The reading as an engine that reports no confidence gives it, every word at `confidence`. */
function flatten(ocr: OcrResult, confidence: number): OcrResult {
  return {
    ...ocr,
    confidence,
    lines: ocr.lines.map((line) => ({ ...line, confidence, words: wordsOf(line).map((w) => ({ ...w, confidence })) })),
  };
}

/** How often "needs review" (as the ledger decides it at save) flags a wrong total vs. a right one: what a user relies on. */
function formatReview(labels: Label[], results: Map<string, { fields: ExtractedFields }>): string {
  const count = { wrong: 0, wrongFlagged: 0, right: 0, rightFlagged: 0, flagged: 0, receipts: 0 };
  for (const label of labels) {
    const fields = results.get(label.stem)?.fields;
    if (!fields || label.totalMinor === null) continue;
    const { needsReview } = assessReview({
      values: fields,
      confidence: fields.confidence,
      warnings: fields.warnings,
      corrected: [],
      possibleDuplicate: false,
    });
    count.receipts++;
    if (needsReview) count.flagged++;
    const key = fields.totalMinor === label.totalMinor ? 'right' : 'wrong';
    count[key]++;
    if (needsReview) count[`${key}Flagged`]++;
  }
  const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');
  return `  needs review: ${count.flagged}/${count.receipts} receipts; wrong totals flagged ${count.wrongFlagged}/${count.wrong} ${pct(count.wrongFlagged, count.wrong)}, right totals flagged ${count.rightFlagged}/${count.right} ${pct(count.rightFlagged, count.right)}`;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
