// What re-reading only the lines that carry a missing or unsure field (src/main/ocr/tesseract/reread.ts) gains
// over the cached readings, and what it costs.
//
//   npx tsx bench/reread.ts ../shared/receipts/sroie --date-order DMY [--label-order DMY|MDY|either]
//        [--second-pass allcap] [--line-height 48] [--pad 0.1] [--fields date,total] [--param NAME=VALUE]...
//        [--time-pages N] [--workers 2] [--misses STRATEGY] [--half tune|report|all]
//
// First readings come from the cache (bench/ocr-cache.ts), as do the whole-page second readings
// (--second-pass VARIANT, default allcap). The lines are re-read live from the app's prepared page (the
// image the cached boxes refer to) by a tesseract engine of --workers threads; --param sets tesseract variables on
// it (e.g. tessedit_pageseg_mode=7, tessedit_char_whitelist=...). Lines are re-read on every receipt
// whose date (--fields date,total: or total) is missing or unsure; the whole page on receipts the
// checks flag (wantsSecondPass). Strategies scored:
//   first        the first reading alone
//   shipped      first + whole page when the first reading is flagged (before line re-reading)
//   lines        first + re-read lines
//   lines>page   first + re-read lines, then the whole page only if the checks still fail (the pipeline)
//   lines+page   first + re-read lines + whole page whenever the first reading is flagged
// --time-pages N reads N flagged receipts' whole pages again (second-pass preparation), to compare
// the time of a page with the time of the crops (--workers 1 makes both times core-seconds).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { combineExtractions, wantsSecondPass } from '../src/main/extract/combine';
import { extractFields } from '../src/main/extract/extract';
import type { OcrResult, PreparedImage } from '../src/main/ocr/engine';
import { preparePages } from '../src/main/ocr/prepare';
import { createTesseractEngine } from '../src/main/ocr/tesseract/tesseract';
import { linesToReread, type RereadField } from '../src/main/extract/reread-lines';
import { REREAD_FIELDS, rereadLines } from '../src/main/ocr/tesseract/reread';
import { SECOND_PASS_ENHANCE } from '../src/main/ocr/tesseract/second-pass';
import type { DateOrder, ExtractedFields } from '../src/shared/model';
import {
  dateOrderOption,
  formatHalves,
  halfOption,
  inHalf,
  labelOrderOption,
  loadLabels,
  scoreSet,
  type HalfOption,
  type LabelOrder,
} from './accuracy-score';
import { cacheDirFor, DEFAULT_CACHE } from './ocr-cache';

interface Args {
  dir: string;
  dateOrder: DateOrder;
  labelOrder?: LabelOrder;
  secondPass: string;
  lineHeight?: number;
  pad?: number;
  fields?: RereadField[];
  parameters: Record<string, string>;
  timePages: number;
  workers: number;
  misses?: string;
  half: HalfOption;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: '', dateOrder: 'DMY', secondPass: 'allcap', parameters: {}, timePages: 0, workers: 2, half: 'all' };
  let orderGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--date-order') {
      args.dateOrder = dateOrderOption(argv[++i]);
      orderGiven = true;
    } else if (a === '--label-order') args.labelOrder = labelOrderOption(argv[++i]);
    else if (a === '--second-pass') args.secondPass = argv[++i];
    else if (a === '--line-height') args.lineHeight = Number(argv[++i]);
    else if (a === '--pad') args.pad = Number(argv[++i]);
    else if (a === '--fields') args.fields = argv[++i].split(',') as RereadField[];
    else if (a === '--param') {
      const [name, ...value] = argv[++i].split('=');
      args.parameters[name] = value.join('=');
    } else if (a === '--time-pages') args.timePages = Number(argv[++i]);
    else if (a === '--workers') args.workers = Number(argv[++i]);
    else if (a === '--misses') args.misses = argv[++i];
    else if (a === '--half') args.half = halfOption(argv[++i]);
    else if (!a.startsWith('--')) args.dir = a;
    else throw new Error(`unknown option ${a}`);
  }
  if (!args.dir || !orderGiven) throw new Error('usage: reread.ts DIR --date-order DMY|MDY [options], see the header');
  return args;
}

const MIME: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = resolve(args.dir);
  const labels = (await loadLabels(dir, args.labelOrder ?? args.dateOrder)).filter((l) => inHalf(l.stem, args.half));
  const options = { dateOrder: args.dateOrder, defaultCurrency: 'USD' };
  const extract = (o: OcrResult): ExtractedFields => extractFields(o, options);
  const read = async (variant: string | undefined, stem: string): Promise<OcrResult> =>
    JSON.parse(await readFile(join(cacheDirFor(DEFAULT_CACHE, dir, variant), `${stem}.json`), 'utf8')) as OcrResult;
  const files = new Map((await readdir(join(dir, 'images'))).map((f) => [basename(f, extname(f)), f]));

  type Result = { fields: ExtractedFields; ocrText: string };
  const strategies = ['first', 'shipped', 'lines', 'lines>page', 'lines+page'] as const;
  const results = Object.fromEntries(strategies.map((s) => [s, new Map<string, Result>()])) as Record<
    (typeof strategies)[number],
    Map<string, Result>
  >;

  const engine = createTesseractEngine({ workers: args.workers, parameters: args.parameters });
  let crops = 0;
  let cropMs = 0;
  let flaggedCount = 0;
  let pagesNeeded = 0;
  let rereadReceipts = 0;
  const timeSample: string[] = [];
  try {
    for (const label of labels) {
      const first = await read(undefined, label.stem);
      const fields = extract(first);
      const keep = (s: (typeof strategies)[number], f: ExtractedFields, text = first.text) =>
        results[s].set(label.stem, { fields: f, ocrText: text });
      keep('first', fields);
      const flagged = wantsSecondPass(fields);
      const second = flagged ? await read(args.secondPass, label.stem) : null;
      const secondFields = second ? extract(second) : null;
      const both = second ? `${first.text}\n${second.text}` : first.text;
      keep('shipped', secondFields ? combineExtractions([fields, secondFields]) : fields, both);
      if (flagged) {
        flaggedCount++;
        if (timeSample.length < args.timePages) timeSample.push(label.stem);
      }

      // As the pipeline: lines are re-read whenever a re-read field is missing or unsure, flagged or not.
      const path = join(dir, 'images', files.get(label.stem)!);
      const wanted = linesToReread(first, fields, args.fields ?? REREAD_FIELDS).length > 0;
      const pages = wanted ? await preparePages(path, MIME[extname(path).toLowerCase()] ?? 'image/jpeg') : [];
      const started = performance.now();
      const lines = await rereadLines(
        { ocr: first, fields },
        pages.length === 1 ? pages[0]! : null,
        (crop: PreparedImage) => engine.recognize({ path, mime: crop.mime, size: crop.data.length, prepare: async () => [crop] }),
        extract,
        { lineHeight: args.lineHeight, pad: args.pad, fields: args.fields },
      );
      cropMs += performance.now() - started;
      crops += lines.crops;
      if (lines.crops > 0) rereadReceipts++;
      const lined = lines.reading.fields;
      const text = lines.crops > 0 ? `${both}\n${lines.reading.ocr.text}` : both;
      keep('lines', lined, text);
      keep('lines+page', secondFields ? combineExtractions([lined, secondFields]) : lined, text);
      if (wantsSecondPass(lined)) {
        // Re-read lines only ever raise confidence, so a receipt they leave flagged was flagged before.
        if (!secondFields) throw new Error(`${label.stem}: no cached second reading`);
        pagesNeeded++;
        keep('lines>page', combineExtractions([lined, secondFields]), text);
      } else keep('lines>page', lined, text);
    }

    for (const s of strategies) console.log(formatHalves(`${basename(dir)} ${s}`, labels, results[s], args.half));
    console.log(
      `flagged ${flaggedCount} of ${labels.length}; ${crops} lines of ${rereadReceipts} receipts re-read in ${(cropMs / 1000).toFixed(1)} s wall ` +
        `(${args.workers} workers, one receipt at a time; ${crops ? (cropMs / crops).toFixed(0) : 0} ms a line); ` +
        `lines>page still reads ${pagesNeeded} whole pages`,
    );
    if (timeSample.length > 0) {
      const started = performance.now();
      for (const stem of timeSample) {
        const path = join(dir, 'images', files.get(stem)!);
        const mime = MIME[extname(path).toLowerCase()] ?? 'image/jpeg';
        await engine.recognize({
          path,
          mime,
          size: (await stat(path)).size,
          prepare: () => preparePages(path, mime, { enhance: SECOND_PASS_ENHANCE }),
        });
      }
      const ms = (performance.now() - started) / timeSample.length;
      console.log(`whole second-pass page: ${ms.toFixed(0)} ms a receipt (${timeSample.length} read one at a time, prepare included)`);
    }
    if (args.misses) {
      const m = results[args.misses as (typeof strategies)[number]];
      if (!m) throw new Error(`--misses takes one of ${strategies.join(', ')}`);
      for (const miss of scoreSet(labels, m).misses) {
        if (miss.field === 'merchant') continue;
        const before = results.shipped.get(miss.stem)!.fields;
        console.log(
          `  ${miss.field.padEnd(6)} ${miss.stem}: expected ${miss.expected} got ${miss.got} (shipped ${miss.field === 'date' ? before.date : before.totalMinor})`,
        );
      }
    }
  } finally {
    await engine.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
