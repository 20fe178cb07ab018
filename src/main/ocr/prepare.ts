// Turns a receipt file into the image OCR reads best: upright (EXIF orientation), first page only,
// greyscale, scaled so text is a size tesseract reads well, bounded in pixels. One sharp pipeline per
// call, so a huge photo is streamed through libvips rather than held as several full-size copies.
import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { ReceiptFileError } from '../ingest/errors';
import type { PreparedImage } from './engine';
import { decodeBmp } from './bmp';
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
  /**
   * Pixel steps after scaling (see enhance.ts). None by default: as the only reading each lost more
   * fields than it fixed on SRD photos; the second pass (queue/second-pass.ts) uses them.
   */
  enhance?: EnhanceOptions;
}

export const PREPARE_DEFAULTS: Required<PrepareOptions> = {
  maxPixels: 100_000_000,
  minWidth: 1000,
  maxSide: 4000,
  enhance: { flatten: false, glyphHeight: null },
};

/** Upscaling a thumbnail more than this only makes blur bigger. */
const MAX_UPSCALE = 4;

const DECODABLE = new Set([
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
  if (mime === 'application/pdf') {
    throw new ReceiptFileError('PDF pages cannot be shown as images yet (digital PDFs are read from their text)', 'unsupported_type');
  }
  if (!DECODABLE.has(mime)) {
    throw new ReceiptFileError(`Files of type ${mime} cannot be read as receipts`, 'unsupported_type');
  }
};

const open = async (path: string, mime: string, maxPixels: number): Promise<Sharp> => {
  if (mime === 'image/bmp') {
    // libvips has no BMP loader: decode it ourselves and hand sharp the raw pixels.
    const { data, width, height, channels } = decodeBmp(await readFile(path), maxPixels);
    return sharp(data, { raw: { width, height, channels }, limitInputPixels: maxPixels });
  }
  // failOn 'error': phone JPEGs often carry harmless warnings (odd EXIF, trailing bytes); real
  // corruption still fails. pages: 1 takes the first page of a multi-page TIFF or GIF.
  return sharp(path, { limitInputPixels: maxPixels, failOn: 'error', pages: 1, page: 0 });
};

/** Maps a libvips failure to a message for the user; our own errors pass through. */
const fileError = (err: unknown, mime: string, maxPixels: number): Error => {
  if (err instanceof ReceiptFileError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  // sharp's prebuilt libheif has no HEVC decoder, so HEIC photos from phones cannot be decoded.
  if (isHeic(mime)) {
    return new ReceiptFileError('HEIC photos are not supported yet', 'unsupported_type');
  }
  if (/pixel limit/i.test(detail)) {
    return new ReceiptFileError(
      `The image is too large to read (more than ${Math.round(maxPixels / 1e6)} megapixels)`,
      'too_large',
    );
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
export function ocrScale(
  width: number,
  height: number,
  options: Pick<Required<PrepareOptions>, 'minWidth' | 'maxSide'>,
): number {
  const up = width < options.minWidth ? Math.min(options.minWidth / width, MAX_UPSCALE) : 1;
  const byWidth = options.maxSide / width;
  const byArea = Math.sqrt((options.maxSide * options.maxSide) / (width * height));
  return Math.min(up, byWidth, byArea);
}

export async function prepareImage(
  path: string,
  mime: string,
  options: PrepareOptions = {},
): Promise<PreparedImage> {
  const { maxPixels, minWidth, maxSide, enhance } = { ...PREPARE_DEFAULTS, ...options };
  checkType(mime);
  try {
    const source = await open(path, mime, maxPixels);
    const { width, height } = await orientedSize(source);
    const scale = ocrScale(width, height, { minWidth, maxSide });
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
    return await enhanceForOcr({ data, width: info.width, height: info.height }, enhance, {
      maxPixels: maxSide * maxSide,
      maxUpscale: MAX_UPSCALE,
    });
  } catch (err) {
    throw fileError(err, mime, maxPixels);
  }
}

/** An upright JPEG preview no larger than maxSize on either side, for the detail view. */
export async function makeThumbnail(
  path: string,
  mime: string,
  maxSize: number,
  options: Pick<PrepareOptions, 'maxPixels'> = {},
): Promise<{ data: Buffer; width: number; height: number }> {
  const maxPixels = options.maxPixels ?? PREPARE_DEFAULTS.maxPixels;
  checkType(mime);
  try {
    const { data, info } = await (await open(path, mime, maxPixels))
      .rotate()
      .resize({ width: maxSize, height: maxSize, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw fileError(err, mime, maxPixels);
  }
}
