// Turns a receipt file into the images OCR reads best, one per page: upright (EXIF orientation),
// greyscale, scaled so text is a size tesseract reads well, bounded in pixels. One sharp pipeline per
// page, so a huge photo is streamed through libvips rather than held as several full-size copies.
// Scanned PDF pages are rendered first (pdf-raster.ts), HEIC and BMP decoded to raw pixels first.
import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { ReceiptFileError } from '../ingest/errors';
import type { OcrInput, PreparedImage, Turn } from './engine';
import { decodeBmp } from './bmp';
import { decodeHeic, type RawImage } from './heic';
import { DEFAULT_PDF_PAGE_CAP } from './pdf-document';
import { renderPdfPages } from './pdf-raster';
import { enhanceForOcr, type EnhanceOptions } from './enhance';

export interface PrepareOptions {
  /** Refuse inputs with more pixels than this, before decoding (default 100 MP). */
  maxPixels?: number;
  /** Upscale images narrower than this to this width (default 1000 px, measured on SROIE/SRD/WildReceipt). */
  minWidth?: number;
  /**
   * Downscale so the width is at most this and the area at most maxSide² (default 4000 px, 16 MP).
   * Area rather than height bounds tall images: a long till receipt keeps its readable width.
   */
  maxSide?: number;
  /** Refuse multi-page TIFFs and PDFs with more pages than this (default 50). */
  pageCap?: number;
  signal?: AbortSignal;
  /**
   * Pixel steps after scaling (see enhance.ts). None by default: as the only reading each lost more
   * fields than it fixed on SRD photos; the second pass (tesseract/second-pass.ts) uses them.
   */
  enhance?: EnhanceOptions;
}

export const PREPARE_DEFAULTS: Required<Omit<PrepareOptions, 'signal'>> = {
  maxPixels: 100_000_000,
  minWidth: 1000,
  maxSide: 4000,
  pageCap: DEFAULT_PDF_PAGE_CAP,
  enhance: { flatten: false, glyphHeight: null },
};

/** Upscaling a thumbnail more than this only makes blur bigger. */
const MAX_UPSCALE = 4;

const PDF = 'application/pdf';
const DECODABLE = new Set([
  PDF,
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/tiff',
  'image/gif',
  'image/avif',
  'image/heic',
  'image/heif',
  'image/bmp',
]);

const isHeic = (mime: string) => mime === 'image/heic' || mime === 'image/heif';

const checkType = (mime: string): void => {
  if (!DECODABLE.has(mime)) {
    throw new ReceiptFileError(`Files of type ${mime} cannot be read as receipts`, 'unsupported_type');
  }
};

const fromRaw = ({ data, width, height, channels }: RawImage | ReturnType<typeof decodeBmp>, maxPixels: number): Sharp =>
  sharp(data, { raw: { width, height, channels }, limitInputPixels: maxPixels });

/** A sharp pipeline over one page of an image file (page 0: the first; PDFs are rendered elsewhere). */
const open = async (path: string, mime: string, maxPixels: number, page = 0, signal?: AbortSignal): Promise<Sharp> => {
  // libvips has no BMP loader and its prebuilt libheif no HEVC decoder: decode those ourselves and
  // hand sharp the raw pixels.
  if (mime === 'image/bmp') return fromRaw(decodeBmp(await readFile(path), maxPixels), maxPixels);
  if (isHeic(mime)) return fromRaw(await decodeHeic(await readFile(path), maxPixels, signal), maxPixels);
  // failOn 'error': phone JPEGs often carry harmless warnings (odd EXIF, trailing bytes); real
  // corruption still fails. pages: 1 takes one page of a multi-page TIFF or GIF.
  return sharp(path, { limitInputPixels: maxPixels, failOn: 'error', pages: 1, page });
};

/** Maps a libvips failure to a message for the user; our own errors pass through. */
const fileError = (err: unknown, mime: string, maxPixels: number): Error => {
  if (err instanceof ReceiptFileError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (isHeic(mime)) return new ReceiptFileError(`The HEIC photo could not be decoded: ${detail}`, 'unreadable');
  if (/pixel limit/i.test(detail)) {
    return new ReceiptFileError(`The image is too large to read (more than ${Math.round(maxPixels / 1e6)} megapixels)`, 'too_large');
  }
  return new ReceiptFileError(`The image could not be decoded: ${detail}`, 'unreadable');
};

/** Size after EXIF orientation, from the header only. */
const orientedSize = async (image: Sharp): Promise<{ width: number; height: number }> => {
  const meta = await image.metadata();
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new Error('the image has no dimensions');
  return { width, height };
};

/** The scale OCR reads best at: narrow images up to minWidth; width and area bounded by maxSide. */
export function ocrScale(width: number, height: number, options: Pick<Required<PrepareOptions>, 'minWidth' | 'maxSide'>): number {
  const up = width < options.minWidth ? Math.min(options.minWidth / width, MAX_UPSCALE) : 1;
  const byWidth = options.maxSide / width;
  const byArea = Math.sqrt((options.maxSide * options.maxSide) / (width * height));
  return Math.min(up, byWidth, byArea);
}

/** One page through the OCR pipeline: upright, paper-white, greyscale, scaled, then the enhance steps, PNG. */
async function forOcr(source: Sharp, options: Pick<Required<PrepareOptions>, 'minWidth' | 'maxSide' | 'enhance'>): Promise<PreparedImage> {
  const { width, height } = await orientedSize(source);
  const scale = ocrScale(width, height, options);
  // Transparent pixels become paper, not black.
  let pipeline = source.rotate().flatten({ background: '#ffffff' }).greyscale();
  if (scale !== 1) {
    pipeline = pipeline.resize({
      width: Math.max(1, Math.round(width * scale)),
      height: Math.max(1, Math.round(height * scale)),
      fit: 'fill',
      // Lanczos softens less than cubic when enlarging small text.
      kernel: 'lanczos3',
    });
  }
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return enhanceForOcr({ data, width: info.width, height: info.height }, options.enhance, {
    maxPixels: options.maxSide * options.maxSide,
    maxUpscale: MAX_UPSCALE,
  });
}

/** Runs `work`, turning decoder failures into a clear error for this file (a cancel passes through). */
async function asFileError<T>(mime: string, options: PrepareOptions, work: (maxPixels: number) => Promise<T>): Promise<T> {
  const maxPixels = options.maxPixels ?? PREPARE_DEFAULTS.maxPixels;
  checkType(mime);
  try {
    return await work(maxPixels);
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw fileError(err, mime, maxPixels);
  }
}

/** The first page of a receipt file, prepared for OCR. */
export async function prepareImage(path: string, mime: string, options: PrepareOptions = {}): Promise<PreparedImage> {
  if (mime === PDF) return (await preparePages(path, mime, { ...options, pdfPages: [1] }))[0]!;
  const settings = { ...PREPARE_DEFAULTS, ...options };
  return asFileError(mime, options, async (maxPixels) => forOcr(await open(path, mime, maxPixels, 0, options.signal), settings));
}

/**
 * A rendered page with no ink on it (the back of a duplex scan, a trailing blank page): nothing to OCR.
 * Stops at the first dark pixel, so a page with text costs a few rows.
 */
const isBlank = ({ data, channels }: RawImage): boolean => {
  for (let i = 0; i < data.length; i += channels) {
    if (Math.min(data[i]!, data[i + 1]!, data[i + 2]!) <= 200) return false;
  }
  return true;
};

/** The pages of a PDF (`pdfPages` picks some, 1-based), rendered and prepared for OCR; null for a blank page. */
export async function preparePdfPages(
  path: string,
  options: PrepareOptions & { pdfPages?: number[] } = {},
): Promise<(PreparedImage | null)[]> {
  const settings = { ...PREPARE_DEFAULTS, ...options };
  return asFileError(PDF, options, (maxPixels) =>
    renderPdfPages(
      path,
      {
        pages: options.pdfPages,
        // The same bound the OCR image gets, so rendering makes no more pixels than OCR reads.
        maxPagePixels: settings.maxSide * settings.maxSide,
        maxImagePixels: maxPixels,
        pageCap: settings.pageCap,
        signal: options.signal,
      },
      async (raw, filePage) => (isBlank(raw) ? null : { ...(await forOcr(fromRaw(raw, maxPixels), settings)), filePage }),
    ),
  );
}

/** No page of the PDF has ink: blank pages, or images pdf.js left out because they were over the pixel limit. */
export const nothingOnPdfPages = (): ReceiptFileError =>
  new ReceiptFileError('The PDF has nothing on its pages to read (blank pages, or images too large to decode)', 'unreadable');

/**
 * Every page of a receipt file, prepared for OCR, in order: each page of a multi-page TIFF, each
 * non-blank page of a PDF (`pdfPages` picks some, 1-based), or the one image of other files.
 */
export async function preparePages(
  path: string,
  mime: string,
  options: PrepareOptions & { pdfPages?: number[] } = {},
): Promise<PreparedImage[]> {
  if (mime === PDF) {
    const inked = (await preparePdfPages(path, options)).filter((p): p is PreparedImage => p !== null);
    if (inked.length === 0) throw nothingOnPdfPages();
    return inked;
  }
  const settings = { ...PREPARE_DEFAULTS, ...options };
  return asFileError(mime, options, async (maxPixels) => {
    const count = mime === 'image/tiff' ? ((await sharp(path).metadata()).pages ?? 1) : 1;
    if (count > settings.pageCap) {
      throw new ReceiptFileError(`The TIFF has ${count} pages; receipts over ${settings.pageCap} pages are refused`, 'too_large');
    }
    const prepared: PreparedImage[] = [];
    for (let page = 0; page < count; page++) {
      options.signal?.throwIfAborted();
      const image = await forOcr(await open(path, mime, maxPixels, page, options.signal), settings);
      prepared.push(count > 1 ? { ...image, filePage: page + 1 } : image);
    }
    return prepared;
  });
}

/** An OcrInput for a file on disk whose pages are prepared once, when an engine first asks. */
export function preparedInput(
  file: { path: string; mime: string; size: number },
  options: PrepareOptions & { pdfPages?: number[]; partOfFile?: boolean } = {},
): OcrInput {
  let pages: Promise<PreparedImage[]> | undefined;
  const { partOfFile, ...prepare } = options;
  return {
    path: file.path,
    mime: file.mime,
    size: file.size,
    prepare: () => (pages ??= preparePages(file.path, file.mime, prepare)),
    ...(partOfFile ? { partOfFile } : {}),
    enhanced: (enhance) => preparedInput(file, { ...options, enhance }),
  };
}

/**
 * An upright JPEG preview of one page no larger than maxSize on either side, for the detail view:
 * `filePage` (1-based, default the first) picks a PDF's or TIFF's page, `turn` turns it on as OCR read
 * it (the page's turn stored with the receipt).
 */
export async function makeThumbnail(
  path: string,
  mime: string,
  maxSize: number,
  options: Pick<PrepareOptions, 'maxPixels'> & { turn?: Turn; filePage?: number } = {},
): Promise<{ data: Buffer; width: number; height: number }> {
  const filePage = options.filePage ?? 1;
  return asFileError(mime, options, async (maxPixels) => {
    const source =
      mime === PDF
        ? (
            await renderPdfPages(
              path,
              { pages: [filePage], maxPagePixels: maxSize * maxSize, maxSide: maxSize, maxImagePixels: maxPixels },
              async (raw) => fromRaw(raw, maxPixels),
            )
          )[0]!
        : await open(path, mime, maxPixels, filePage - 1);
    // sharp allows one rotation by an angle after the EXIF one.
    const { data, info } = await source
      .rotate()
      .rotate(options.turn ?? 0)
      .resize({ width: maxSize, height: maxSize, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  });
}
