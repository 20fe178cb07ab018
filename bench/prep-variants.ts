// Experimental image preparations, measured against the app's prepareImage by running
// `bench/ocr-cache.ts --variant NAME` and then `bench/accuracy.ts --variant NAME`. Each starts from the
// app's prepared image (or its options) so the difference measured is the one step added.
import sharp, { type Sharp } from 'sharp';
import type { PreparedImage } from '../src/main/ocr/engine';
import { PREPARE_DEFAULTS, prepareImage } from '../src/main/ocr/prepare';
import { PADDLE_READING, type PaddleReading } from '../src/main/ocr/paddle/paddle-engine';

type Prepare = (path: string, mime: string) => Promise<PreparedImage>;

async function after(base: PreparedImage, step: (s: Sharp) => Sharp): Promise<PreparedImage> {
  const { data, info } = await step(sharp(base.data)).png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
  return { data, mime: 'image/png', width: info.width, height: info.height };
}

/**
 * Skew of the text lines in degrees, by projection profiles: rotated the right way, dark pixels gather
 * in rows, so the row sums vary the most. Searched on a small binarised copy; the angle is returned.
 */
export async function estimateSkew(image: Buffer, maxAngle = 12, step = 1): Promise<number> {
  const small = await sharp(image).greyscale().resize({ width: 400 }).threshold(150).png().toBuffer();
  let best = { angle: 0, score: -1 };
  for (let angle = -maxAngle; angle <= maxAngle; angle += step) {
    const { data, info } = await sharp(small).rotate(angle, { background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
    const rows: number[] = [];
    for (let y = 0; y < info.height; y++) {
      let dark = 0;
      for (let x = 0; x < info.width; x++) if (data[(y * info.width + x) * info.channels] < 128) dark++;
      rows.push(dark);
    }
    let score = 0;
    for (let y = 1; y < rows.length; y++) score += (rows[y] - rows[y - 1]) ** 2;
    if (score > best.score) best = { angle, score };
  }
  return best.angle;
}

/** Longest run of indexes whose value passes `ok`, as [start, end). */
function longestRun(values: number[], ok: (v: number) => boolean): [number, number] {
  let best: [number, number] = [0, values.length];
  let bestLen = 0;
  for (let i = 0; i < values.length;) {
    if (!ok(values[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < values.length && ok(values[j])) j++;
    if (j - i > bestLen) {
      best = [i, j];
      bestLen = j - i;
    }
    i = j;
  }
  return best;
}

/**
 * The paper of a receipt photographed on a darker table: the widest band of columns that are mostly
 * bright, then the rows that are mostly bright inside it. Returns a box in the oriented image's pixels,
 * or null when the paper fills the frame anyway (a scan).
 */
export async function findPaper(path: string): Promise<{ left: number; top: number; width: number; height: number } | null> {
  const oriented = sharp(path).rotate();
  const meta = await sharp(await oriented.toBuffer()).metadata();
  const W = meta.width as number;
  const H = meta.height as number;
  const { data, info } = await sharp(path).rotate().greyscale().resize({ width: 200 }).raw().toBuffer({ resolveWithObject: true });
  const bright = (x: number, y: number): boolean => data[y * info.width + x] > 150;
  const cols = Array.from({ length: info.width }, (_, x) => {
    let n = 0;
    for (let y = 0; y < info.height; y++) if (bright(x, y)) n++;
    return n / info.height;
  });
  const [x0, x1] = longestRun(cols, (v) => v > 0.4);
  const rowsFrac = Array.from({ length: info.height }, (_, y) => {
    let n = 0;
    for (let x = x0; x < x1; x++) if (bright(x, y)) n++;
    return n / Math.max(1, x1 - x0);
  });
  const [y0, y1] = longestRun(rowsFrac, (v) => v > 0.4);
  const scale = W / info.width;
  const pad = 0.03;
  const left = Math.max(0, Math.floor((x0 / info.width - pad) * W));
  const right = Math.min(W, Math.ceil((x1 / info.width + pad) * W));
  const top = Math.max(0, Math.floor(y0 * scale - pad * H));
  const bottom = Math.min(H, Math.ceil(y1 * scale + pad * H));
  if ((right - left) * (bottom - top) > 0.85 * W * H || right - left < W * 0.15) return null;
  return { left, top, width: right - left, height: bottom - top };
}

export const PREP_VARIANTS: Record<string, Prepare> = {
  /** Only EXIF orientation: what OCR sees without any preparation. */
  raw: async (path) => {
    const { data, info } = await sharp(path).rotate().png().toBuffer({ resolveWithObject: true });
    return { data, mime: 'image/png', width: info.width, height: info.height };
  },
  /** More upscaling of narrow images than the default minWidth. */
  w1400: (path, mime) => prepareImage(path, mime, { minWidth: 1400 }),
  w2000: (path, mime) => prepareImage(path, mime, { minWidth: 2000 }),
  /** Contrast stretch: faded thermal paper and grey photos. */
  normalise: async (path, mime) => after(await prepareImage(path, mime), (s) => s.normalise()),
  /** Local contrast (CLAHE): uneven light and shadows across a photo. */
  clahe: async (path, mime) => after(await prepareImage(path, mime), (s) => s.clahe({ width: 64, height: 64, maxSlope: 3 })),
  /** Straighten text lines tilted by a hand-held photo. */
  deskew: async (path, mime) => {
    const base = await prepareImage(path, mime);
    const angle = await estimateSkew(base.data);
    return angle === 0 ? base : after(base, (s) => s.rotate(angle, { background: '#ffffff' }));
  },
  /** Crop a photo to the receipt paper, so the upscale to a readable width goes to the text. */
  crop: async (path, mime) => {
    const paper = await findPaper(path);
    if (!paper) return prepareImage(path, mime);
    const scale = Math.min(4, Math.max(1, PREPARE_DEFAULTS.minWidth / paper.width));
    const { data, info } = await sharp(path)
      .rotate()
      .extract(paper)
      .greyscale()
      .resize({ width: Math.round(paper.width * scale), kernel: 'lanczos3' })
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    return { data, mime: 'image/png', width: info.width, height: info.height };
  },
  /** Paper brightness evened out (divide by the local paper level), no rescale. */
  flat: (path, mime) => prepareImage(path, mime, { enhance: { flatten: true, glyphHeight: null } }),
  /** Dark regions touching the edge (scanner lid, table) whitened. */
  edges: (path, mime) => prepareImage(path, mime, { enhance: { flatten: false, clearEdges: true, glyphHeight: null } }),
  edgesflat: (path, mime) => prepareImage(path, mime, { enhance: { flatten: true, clearEdges: true, glyphHeight: null } }),
  /** Rescaled so the median glyph is N px tall (tesseract's LSTM reads ~20–30 px cap height best). */
  g20: (path, mime) => prepareImage(path, mime, { enhance: { flatten: false, glyphHeight: 20 } }),
  g28: (path, mime) => prepareImage(path, mime, { enhance: { flatten: false, glyphHeight: 28 } }),
  g36: (path, mime) => prepareImage(path, mime, { enhance: { flatten: false, glyphHeight: 36 } }),
  /** Every step at once: edges cleared, paper flattened, glyphs 28 px. */
  all: (path, mime) => prepareImage(path, mime, { enhance: { flatten: true, clearEdges: true, glyphHeight: 28 } }),
  /** The same, enlarging by at most 1.25 (cheaper to read). */
  allcap: (path, mime) => prepareImage(path, mime, { enhance: { flatten: true, clearEdges: true, glyphHeight: 28, maxUpscale: 1.25 } }),
  /** Mild sharpening after the upscale. */
  sharpen: async (path, mime) => after(await prepareImage(path, mime), (s) => s.sharpen({ sigma: 1 })),
};

/** Tesseract variables a variant sets on top of the app's (the variant's preparation is the app's unless listed above). */
export const VARIANT_PARAMETERS: Record<string, Record<string, string>> = {
  /** Tesseract's re-reading of poorly read words as inverted text, which the app turns off. */
  invert: { tessedit_do_invert: '1' },
  /** Sauvola local thresholding instead of global Otsu. */
  sauvola: { thresholding_method: '2' },
};

const detectWith = (change: Partial<PaddleReading['detect']>): Partial<PaddleReading> => ({
  detect: { ...PADDLE_READING.detect, ...change },
});

/** PP-OCR reading settings other than the engine's, for `--engine paddle --variant NAME`. */
export const PADDLE_VARIANTS: Record<string, Partial<PaddleReading>> = {
  /** Line boxes grown further out (RapidOCR uses 1.6, many PaddleOCR setups 2.0). */
  'unclip-1.8': detectWith({ unclipRatio: 1.8 }),
  /** Fainter regions kept as lines. */
  'box-0.5': detectWith({ boxThreshold: 0.5 }),
  /** Lines read less surely kept (PaddleOCR drops below 0.5). */
  'drop-0.3': { dropBelow: 0.3 },
};
