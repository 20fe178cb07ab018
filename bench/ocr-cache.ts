// Runs the app's OCR (preparePages + the tesseract or PP-OCR engine) once over a dataset's images and stores each
// OcrResult as JSON, so the accuracy benchmark can tune the extractor in seconds instead of re-reading
// 300 images per run.
//
//   npx tsx bench/ocr-cache.ts ../shared/receipts/sroie [--out .cache/ocr-v2] [--workers 2] [--force]
//        [--variant NAME] [--engine paddle]
//
// Output: <out>/<set>[@variant|@paddle]/<stem>.json (default out: .cache/ocr-v2, git-ignored). A variant runs an
// experimental preparation, or with --engine paddle other PP-OCR reading settings (see bench/prep-variants.ts),
// so its effect on accuracy can be measured.
import { access, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import PQueue from 'p-queue';
import { preparePages } from '../src/main/ocr/prepare';
import { createTesseractEngine } from '../src/main/ocr/tesseract/tesseract';
import { createPaddleEngine } from '../src/main/ocr/paddle/paddle-engine';
import type { PreparedImage } from '../src/main/ocr/engine';
import { PADDLE_VARIANTS, PREP_VARIANTS, VARIANT_PARAMETERS } from './prep-variants';

/** "-v2": confidences 0..1; readings cached before hold tesseract's 0..100 and must not be mixed in. */
export const DEFAULT_CACHE = '.cache/ocr-v2';

export interface CacheArgs {
  dir: string;
  out: string;
  workers: number;
  force: boolean;
  /** Name of an experimental preparation; undefined: the app's preparePages. */
  variant?: string;
  /** Read with the PP-OCR engine instead of tesseract; a variant then names other reading settings (PADDLE_VARIANTS). */
  paddle?: boolean;
  /** Only these stems (e.g. the receipts a second pass would re-read); undefined: all. */
  only?: Set<string>;
}

function parseArgs(argv: string[]): CacheArgs {
  const args: CacheArgs = { dir: '', out: DEFAULT_CACHE, workers: 2, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') args.out = argv[++i];
    else if (a === '--workers') args.workers = Number(argv[++i]);
    else if (a === '--force') args.force = true;
    else if (a === '--variant') args.variant = argv[++i];
    else if (a === '--engine') args.paddle = argv[++i] === 'paddle';
    else if (!a.startsWith('--')) args.dir = a;
    else throw new Error(`unknown option ${a}`);
  }
  if (!args.dir) throw new Error('usage: ocr-cache.ts DIR [--out DIR] [--workers N] [--force] [--variant NAME]');
  if (!Number.isInteger(args.workers) || args.workers < 1) throw new Error('--workers must be a positive integer');
  return args;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/** The cache folder for a set and variant. */
export function cacheDirFor(out: string, dir: string, variant?: string): string {
  return resolve(out, variant ? `${basename(resolve(dir))}@${variant}` : basename(resolve(dir)));
}

/** OCRs the images of DIR/images that have no cached result yet (all of them with force). Returns the cache dir. */
export async function cacheOcr(args: CacheArgs): Promise<string> {
  const dir = resolve(args.dir);
  const paddleReading = args.paddle && args.variant ? PADDLE_VARIANTS[args.variant] : undefined;
  if (args.paddle && args.variant && !paddleReading) {
    throw new Error(`unknown PP-OCR variant ${args.variant}; known: ${Object.keys(PADDLE_VARIANTS).join(', ')}`);
  }
  const outDir = cacheDirFor(args.out, dir, args.paddle ? ['paddle', args.variant].filter(Boolean).join('-') : args.variant);
  const tesseractVariant = args.paddle ? undefined : args.variant;
  const prepareVariant = tesseractVariant ? PREP_VARIANTS[tesseractVariant] : undefined;
  const parameters = tesseractVariant ? VARIANT_PARAMETERS[tesseractVariant] : undefined;
  if (tesseractVariant && !prepareVariant && !parameters) {
    const known = [...Object.keys(PREP_VARIANTS), ...Object.keys(VARIANT_PARAMETERS)];
    throw new Error(`unknown variant ${tesseractVariant}; known: ${known.join(', ')}`);
  }
  await mkdir(outDir, { recursive: true });
  const images = (await readdir(join(dir, 'images')))
    .filter((f) => MIME[extname(f).toLowerCase()] && (!args.only || args.only.has(basename(f, extname(f)))))
    .sort();

  const todo: string[] = [];
  for (const f of images) {
    if (args.force || !(await exists(join(outDir, `${basename(f, extname(f))}.json`)))) todo.push(f);
  }
  if (todo.length === 0) return outDir;
  console.log(`${basename(outDir)}: ${images.length} images, ${todo.length} to OCR with ${args.workers} workers`);

  const engine = args.paddle
    ? createPaddleEngine({ reading: paddleReading })
    : createTesseractEngine({ workers: args.workers, parameters });
  const started = Date.now();
  let done = 0;
  try {
    // The engine queues internally; bound what is in flight so prepared images do not pile up.
    const queue = new PQueue({ concurrency: args.workers + 1 });
    await queue.addAll(
      todo.map((f) => async () => {
        const path = join(dir, 'images', f);
        const mime = MIME[extname(f).toLowerCase()];
        let prepared: Promise<PreparedImage[]> | undefined;
        const result = await engine.recognize({
          path,
          mime,
          size: (await stat(path)).size,
          prepare: () => (prepared ??= prepareVariant ? prepareVariant(path, mime).then((p) => [p]) : preparePages(path, mime)),
        });
        await writeFile(join(outDir, `${basename(f, extname(f))}.json`), JSON.stringify(result));
        done++;
        if (done % 20 === 0 || done === todo.length) {
          console.log(`${basename(outDir)}: ${done}/${todo.length} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        }
      }),
    );
  } finally {
    await engine.close();
  }
  return outDir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cacheOcr(parseArgs(process.argv.slice(2))).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
