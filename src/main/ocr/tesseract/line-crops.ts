// Re-reading one printed line: cut the band of the page the line sits in (the page's full width, so an
// amount tesseract read apart from its label comes along), enlarge it to a height tesseract's LSTM
// reads well, and put what the engine reads there back in place of the line in the page's reading.
import sharp from 'sharp';
import { meanWordConfidence, moveLine, type Box, type OcrLine, type OcrResult, type PreparedImage } from '../engine';

/** Height in pixels the line's box is scaled to (measured on SROIE/SRD, see bench/reread.ts). */
export const LINE_HEIGHT = 48;
/** Enlarging more than this only makes blur bigger; a tall line is shrunk at most by half. */
const MAX_UPSCALE = 4;
const MAX_DOWNSCALE = 0.5;
/**
 * Paper kept above and below the line's box, in line heights, for a slightly skewed line. More (0.3)
 * brought in the rules printed above and below totals, which tesseract then misread the amount with.
 */
export const LINE_PAD = 0.1;
/** White margin around the crop: tesseract misses glyphs that touch the image's edge. */
const BORDER = 12;

export interface LineCrop {
  image: PreparedImage;
  /** Where the line's box lies in the page. */
  band: Box;
  /** Page row of the crop's first row (under its border), and the enlargement. */
  top: number;
  scale: number;
}

export interface CropOptions {
  lineHeight?: number;
  pad?: number;
}

/** The band of `page` (a prepared greyscale image) around `box`, scaled to `lineHeight`. */
export async function cropLine(page: PreparedImage, box: Box, options: CropOptions = {}): Promise<LineCrop> {
  const { lineHeight = LINE_HEIGHT, pad = LINE_PAD } = options;
  const h = Math.max(1, box.y1 - box.y0);
  const top = Math.max(0, Math.floor(box.y0 - pad * h));
  const bottom = Math.min(page.height, Math.ceil(box.y1 + pad * h));
  if (bottom <= top) throw new RangeError(`line box ${JSON.stringify(box)} is outside the ${page.width}×${page.height} page`);
  const scale = Math.min(MAX_UPSCALE, Math.max(MAX_DOWNSCALE, lineHeight / h));
  const width = Math.max(1, Math.round(page.width * scale));
  const height = Math.max(1, Math.round((bottom - top) * scale));
  const { data, info } = await sharp(page.data)
    .extract({ left: 0, top, width: page.width, height: bottom - top })
    .resize({ width, height, fit: 'fill', kernel: 'lanczos3' })
    .extend({ top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, background: '#ffffff' })
    .greyscale()
    .png({ compressionLevel: 1 })
    .toBuffer({ resolveWithObject: true });
  return {
    image: { data, mime: 'image/png', width: info.width, height: info.height },
    band: { x0: 0, y0: box.y0, x1: page.width, y1: box.y1 },
    top,
    scale,
  };
}

const centreY = (b: Box): number => (b.y0 + b.y1) / 2;
/** Whether box `b` lies on `band`: its middle is between the band's top and bottom. */
export const inBand = (b: Box, band: Box): boolean => centreY(b) >= band.y0 && centreY(b) <= band.y1;

/** The lines of a crop's reading that lie on the re-read line, with boxes in page coordinates. */
export function linesOnPage(crop: LineCrop, reading: OcrResult): OcrLine[] {
  const toPage = (b: Box): Box => ({
    x0: (b.x0 - BORDER) / crop.scale,
    y0: (b.y0 - BORDER) / crop.scale + crop.top,
    x1: (b.x1 - BORDER) / crop.scale,
    y1: (b.y1 - BORDER) / crop.scale + crop.top,
  });
  return reading.lines.map((l) => moveLine(l, toPage)).filter((l) => inBand(l.bbox, crop.band));
}

/**
 * The page's reading with each re-read line (and any piece of it read as a line of its own, on the
 * same band) replaced by its new reading. A line whose re-reading found nothing stays as it was.
 */
export function replaceLines(ocr: OcrResult, rereads: { line: number; band: Box; lines: OcrLine[] }[]): OcrResult {
  const replaced = new Map<number, OcrLine[]>();
  const dropped = new Set<number>();
  for (const r of rereads) {
    // A line already covered by another re-read band is not put in twice.
    if (r.lines.length === 0 || dropped.has(r.line) || replaced.has(r.line)) continue;
    replaced.set(r.line, r.lines);
    ocr.lines.forEach((l, i) => {
      if (i !== r.line && !replaced.has(i) && inBand(l.bbox, r.band)) dropped.add(i);
    });
  }
  const lines = ocr.lines.flatMap((l, i) => (dropped.has(i) ? [] : (replaced.get(i) ?? [l])));
  return {
    ...ocr,
    text: lines.map((l) => l.text).join('\n'),
    confidence: meanWordConfidence(lines),
    lines,
  };
}
