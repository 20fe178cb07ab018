// What re-reading only the lines that carry a missing or unsure field (src/main/queue/reread.ts) gains
// over the cached readings, and what it costs.
//
//   npx tsx bench/reread.ts ../shared/receipts/sroie --date-order DMY [--label-order DMY|MDY|either]
//        [--second-pass allcap] [--line-height 48] [--pad 0.1] [--param NAME=VALUE]... [--time-pages N] [--misses STRATEGY]
//
// First readings come from the cache (bench/ocr-cache.ts), as do the whole-page second readings
// (--second-pass VARIANT, default allcap). The lines are re-read live from the app's prepared page (the
// image the cached boxes refer to) by a 2-worker tesseract engine; --param sets tesseract variables on
// it (e.g. tessedit_pageseg_mode=7, tessedit_char_whitelist=...). Strategies scored, each over the
// receipts the first reading flags (wantsSecondPass):
//   shipped      first + whole-page second reading
//   lines        first + re-read lines
//   lines>page   first + re-read lines, then the whole page only if the checks still fail
//   lines+page   first + re-read lines + whole page, always
// --time-pages N reads N flagged receipts' whole pages again (second-pass preparation), to compare
// the time of a page with the time of the crops.
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { readdir } from 'node:fs/promises';
import { combineExtractions, wantsSecondPass } from '../src/main/extract/combine';
import { extractFields } from '../src/main/extract/extract';
import type { OcrResult, PreparedImage } from '../src/main/ocr/engine';
import { preparePages } from '../src/main/ocr/prepare';
import { createTesseractEngine } from '../src/main/ocr/tesseract';
import { rereadLines } from '../src/main/queue/reread';
import { SECOND_PASS_ENHANCE } from '../src/main/queue/second-pass';
import type { DateOrder, ExtractedFields } from '../src/shared/model';
import { formatScore, loadLabels, scoreSet, type LabelOrder } from './accuracy-score';
import { cacheDirFor, DEFAULT_CACHE } from './ocr-cache';

interface Args {
  dir: string;
  dateOrder: DateOrder;
  labelOrder?: LabelOrder;
  secondPass: string;
  lineHeight?: number;
  pad?: number;
  parameters: Record<string, string>;
  timePages: number;
  misses?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: '', dateOrder: 'DMY', secondPass: 'allcap', parameters: {}, timePages: 0 };
  let orderGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--date-order') {
      const v = argv[++i];
      if (v !== 'DMY' && v !== 'MDY') throw new Error('--date-order must be DMY or MDY');
      args.dateOrder = v;
      orderGiven = true;
    } else if (a === '--label-order') {
      const v = argv[++i];
      if (v !== 'DMY' && v !== 'MDY' && v !== 'either') throw new Error('--label-order must be DMY, MDY or either');
      args.labelOrder = v;
    } else if (a === '--second-pass') args.secondPass = argv[++i];
    else if (a === '--line-height') args.lineHeight = Number(argv[++i]);
    else if (a === '--pad') args.pad = Number(argv[++i]);
    else if (a === '--param') {
      const [name, ...value] = argv[++i].split('=');
      args.parameters[name] = value.join('=');
    } else if (a === '--time-pages') args.timePages = Number(argv[++i]);
    else if (a === '--misses') args.misses = argv[++i];
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
  const labels = await loadLabels(dir, args.labelOrder ?? args.dateOrder);
  const options = { dateOrder: args.dateOrder, defaultCurrency: 'USD' };
  const extract = (o: OcrResult): ExtractedFields => extractFields(o, options);
  const read = async (variant: string | undefined, stem: string): Promise<OcrResult> =>
    JSON.parse(await readFile(join(cacheDirFor(DEFAULT_CACHE, dir, variant), `${stem}.json`), 'utf8')) as OcrResult;
  const files = new Map((await readdir(join(dir, 'images'))).map((f) => [basename(f, extname(f)), f]));

  type Result = { fields: ExtractedFields; ocrText: string };
  const strategies = ['first', 'shipped', 'lines', 'lines>page', 'lines+page'] as const;
  const results = Object.fromEntries(strategies.map((s) => [s, new Map<string, Result>()])) as Record<(typeof strategies)[number], Map<string, Result>>;

  const engine = createTesseractEngine({ workers: 2, parameters: args.parameters });
  let crops = 0;
  let cropMs = 0;
  let flaggedCount = 0;
  let pagesNeeded = 0;
  const timeSample: string[] = [];
  try {
    for (const label of labels) {
      const first = await read(undefined, label.stem);
      const fields = extract(first);
      const keep = (s: (typeof strategies)[number], f: ExtractedFields, text = first.text) => results[s].set(label.stem, { fields: f, ocrText: text });
      keep('first', fields);
      if (!wantsSecondPass(fields)) {
        for (const s of strategies) keep(s, fields);
        continue;
      }
      flaggedCount++;
      if (timeSample.length < args.timePages) timeSample.push(label.stem);
      const second = await read(args.secondPass, label.stem);
      const secondFields = extract(second);
      const both = `${first.text}\n${second.text}`;
      keep('shipped', combineExtractions([fields, secondFields]), both);

      const path = join(dir, 'images', files.get(label.stem)!);
      const pages = await preparePages(path, MIME[extname(path).toLowerCase()] ?? 'image/jpeg');
      const started = performance.now();
      const lines = await rereadLines(
        { ocr: first, fields },
        pages.length === 1 ? pages[0]! : null,
        (crop: PreparedImage) => engine.recognize({ path, mime: crop.mime, size: crop.data.length, prepare: async () => [crop] }),
        extract,
        { lineHeight: args.lineHeight, pad: args.pad },
      );
      cropMs += performance.now() - started;
      crops += lines.crops;
      const lineText = lines.crops > 0 ? lines.reading.ocr.text : '';
      keep('lines', lines.reading.fields, `${first.text}\n${lineText}`);
      const three = lines.lines ? combineExtractions([fields, lines.lines, secondFields]) : combineExtractions([fields, secondFields]);
      keep('lines+page', three, `${both}\n${lineText}`);
      if (wantsSecondPass(lines.reading.fields)) {
        pagesNeeded++;
        keep('lines>page', three, `${both}\n${lineText}`);
      } else keep('lines>page', lines.reading.fields, `${first.text}\n${lineText}`);
    }

    for (const s of strategies) console.log(formatScore(`${basename(dir)} ${s}`, scoreSet(labels, results[s])));
    console.log(
      `flagged ${flaggedCount} of ${labels.length}; ${crops} lines re-read in ${(cropMs / 1000).toFixed(1)} s wall ` +
        `(2 workers, one receipt at a time; ${crops ? (cropMs / crops).toFixed(0) : 0} ms a line); ` +
        `lines>page still reads ${pagesNeeded} whole pages`,
    );
    if (timeSample.length > 0) {
      const started = performance.now();
      for (const stem of timeSample) {
        const path = join(dir, 'images', files.get(stem)!);
        const mime = MIME[extname(path).toLowerCase()] ?? 'image/jpeg';
        await engine.recognize({ path, mime, size: (await stat(path)).size, prepare: () => preparePages(path, mime, { enhance: SECOND_PASS_ENHANCE }) });
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
        console.log(`  ${miss.field.padEnd(6)} ${miss.stem}: expected ${miss.expected} got ${miss.got} (shipped ${miss.field === 'date' ? before.date : before.totalMinor})`);
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
