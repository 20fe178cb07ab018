// Pixel steps that make a greyscale receipt easier for tesseract to read: even out the paper's
// brightness (shadows and light gradients across a phone photo) and measure how tall the printed
// characters are, so the image can be scaled to the text size tesseract's LSTM model reads best.
// Pure functions over raw 8-bit greyscale pixels (one byte per pixel, row by row); sharp only resamples
// and encodes the result.
import sharp from 'sharp';
import type { PreparedImage } from './engine';

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Tiles per short side when estimating the paper's brightness. */
const TILES_PER_SIDE = 24;
/** Share of a tile's pixels that is paper, at least: its bright percentile is the paper's level. */
const PAPER_PERCENTILE = 0.9;

/** Value below which `share` of the pixels in a 256-bin histogram lie. */
function percentile(hist: Uint32Array, count: number, share: number): number {
  const want = share * count;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v];
    if (seen >= want) return v;
  }
  return 255;
}

/**
 * Paper brightness on a grid of tiles: each tile's bright percentile (print covers a small share of
 * any tile), then the brightest of each tile's neighbours, so a tile filled by a bold headline still
 * gets the paper around it, then a 3×3 mean so the grid varies smoothly.
 */
function paperGrid(img: GreyImage, tile: number): { levels: Float32Array; cols: number; rows: number } {
  const { data, width, height } = img;
  const cols = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const raw = new Float32Array(cols * rows);
  const hist = new Uint32Array(256);
  for (let gy = 0; gy < rows; gy++) {
    for (let gx = 0; gx < cols; gx++) {
      hist.fill(0);
      const x1 = Math.min(width, (gx + 1) * tile);
      const y1 = Math.min(height, (gy + 1) * tile);
      for (let y = gy * tile; y < y1; y++) {
        const row = y * width;
        for (let x = gx * tile; x < x1; x++) hist[data[row + x]]++;
      }
      raw[gy * cols + gx] = percentile(hist, (x1 - gx * tile) * (y1 - gy * tile), PAPER_PERCENTILE);
    }
  }
  const neighbourhood = (grid: Float32Array, reduce: (values: number[]) => number): Float32Array => {
    const out = new Float32Array(grid.length);
    for (let gy = 0; gy < rows; gy++) {
      for (let gx = 0; gx < cols; gx++) {
        const values: number[] = [];
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const x = gx + dx;
            const y = gy + dy;
            if (x >= 0 && y >= 0 && x < cols && y < rows) values.push(grid[y * cols + x]);
          }
        }
        out[gy * cols + gx] = reduce(values);
      }
    }
    return out;
  };
  const levels = neighbourhood(
    neighbourhood(raw, (v) => Math.max(...v)),
    (v) => v.reduce((a, b) => a + b, 0) / v.length,
  );
  return { levels, cols, rows };
}

/**
 * Divides every pixel by the paper brightness around it (estimated on a coarse grid and interpolated),
 * so paper becomes white everywhere and print keeps its contrast to the paper beside it: a shadow
 * across a photo no longer turns into a black blob when tesseract binarises the page.
 */
export function flattenBackground(img: GreyImage): GreyImage {
  const { data, width, height } = img;
  const tile = Math.max(16, Math.round(Math.min(width, height) / TILES_PER_SIDE));
  const { levels, cols, rows } = paperGrid(img, tile);
  // Interpolate between tile centres; outside the outermost centres the edge value holds.
  const axis = (n: number, cells: number) => {
    const i0 = new Int32Array(n);
    const i1 = new Int32Array(n);
    const f = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      const g = Math.min(cells - 1, Math.max(0, (p + 0.5) / tile - 0.5));
      i0[p] = Math.floor(g);
      i1[p] = Math.min(cells - 1, i0[p] + 1);
      f[p] = g - i0[p];
    }
    return { i0, i1, f };
  };
  const ax = axis(width, cols);
  const ay = axis(height, rows);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const r0 = ay.i0[y] * cols;
    const r1 = ay.i1[y] * cols;
    const fy = ay.f[y];
    for (let x = 0; x < width; x++) {
      const a = levels[r0 + ax.i0[x]];
      const b = levels[r0 + ax.i1[x]];
      const c = levels[r1 + ax.i0[x]];
      const d = levels[r1 + ax.i1[x]];
      const fx = ax.f[x];
      const top = a + (b - a) * fx;
      const paper = top + (c + (d - c) * fx - top) * fy;
      const v = (255 * data[y * width + x]) / Math.max(1, paper);
      out[y * width + x] = v > 255 ? 255 : v;
    }
  }
  return { data: out, width, height };
}

/** Otsu's threshold: the grey level that best separates a histogram into two classes. */
export function otsuThreshold(img: GreyImage): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]]++;
  const total = img.data.length;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * hist[v];
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let bestVariance = -1;
  for (let t = 0; t < 256; t++) {
    weightBelow += hist[t];
    if (weightBelow === 0) continue;
    const weightAbove = total - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += t * hist[t];
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sumAll - sumBelow) / weightAbove;
    const variance = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
    }
  }
  return best;
}

/** Measuring on more pixels than this only costs time: glyph heights survive a 2× reduction. */
const MEASURE_MAX_PIXELS = 3_000_000;

/**
 * Ink mask of the image reduced by an integer factor, each cell dark when any pixel in it is:
 * thin strokes stay connected, heights shrink by the factor.
 */
function inkMask(img: GreyImage, threshold: number, factor: number): { mask: Uint8Array; width: number; height: number } {
  const width = Math.ceil(img.width / factor);
  const height = Math.ceil(img.height / factor);
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    const cell = Math.floor(y / factor) * width;
    for (let x = 0; x < img.width; x++) {
      if (img.data[row + x] <= threshold) mask[cell + Math.floor(x / factor)] = 1;
    }
  }
  return { mask, width, height };
}

/** Edge regions darker than this share of the paper's brightness are not paper. */
const EDGE_INK = 0.4;

/** The page's paper brightness: its bright percentile, as for one tile. */
function paperLevel(img: GreyImage): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]]++;
  return percentile(hist, img.data.length, PAPER_PERCENTILE);
}

/** Flood fills beyond this many mask cells would only cost memory; the mask is reduced to fit. */
const FILL_MAX_CELLS = 4_000_000;

/**
 * Paints paper-grey every dark region that touches the image's edge: the black margin of a scanner lid,
 * the table around a photographed receipt. Tesseract otherwise takes a dark frame round the page for
 * one picture enclosing all the text and reads nothing at all.
 */
export function clearEdgeInk(img: GreyImage): GreyImage {
  const factor = Math.max(1, Math.ceil(Math.sqrt((img.width * img.height) / FILL_MAX_CELLS)));
  // Only what is far darker than the paper: paper in a shadow, or print touching the edge of a
  // cropped photo, must survive.
  const { mask, width, height } = inkMask(img, Math.min(otsuThreshold(img), EDGE_INK * paperLevel(img)), factor);
  // Cells reached from the edge through dark cells (4-connected) become 2.
  const stack = new Int32Array(width * height);
  let top = 0;
  const push = (i: number) => {
    if (mask[i] === 1) {
      mask[i] = 2;
      stack[top++] = i;
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (top > 0) {
    const i = stack[--top];
    const x = i % width;
    if (x > 0) push(i - 1);
    if (x + 1 < width) push(i + 1);
    if (i >= width) push(i - width);
    if (i + width < mask.length) push(i + width);
  }
  // Fill with the paper's own grey, not white: a white surround brighter than the paper would pull
  // tesseract's threshold above the paper and turn it black.
  const hist = new Uint32Array(256);
  let kept = 0;
  for (let y = 0; y < img.height; y++) {
    const cell = Math.floor(y / factor) * width;
    for (let x = 0; x < img.width; x++) {
      if (mask[cell + Math.floor(x / factor)] !== 2) {
        hist[img.data[y * img.width + x]]++;
        kept++;
      }
    }
  }
  const fill = percentile(hist, kept, PAPER_PERCENTILE);
  const out = Uint8Array.from(img.data);
  for (let y = 0; y < img.height; y++) {
    const cell = Math.floor(y / factor) * width;
    for (let x = 0; x < img.width; x++) {
      if (mask[cell + Math.floor(x / factor)] === 2) out[y * img.width + x] = fill;
    }
  }
  return { data: out, width: img.width, height: img.height };
}

/**
 * Median height in pixels of the character-shaped ink blobs (8-connected components no wider than a
 * few characters, not rules or specks), or null when there are too few to tell. Receipts print mostly
 * capitals and digits, so this is close to the cap height.
 */
export function medianGlyphHeight(img: GreyImage): number | null {
  const factor = Math.max(1, Math.ceil(Math.sqrt((img.width * img.height) / MEASURE_MAX_PIXELS)));
  const { mask, width, height } = inkMask(img, otsuThreshold(img), factor);
  // Union-find over pixel labels, one pass with the four already-visited neighbours.
  const parent = new Int32Array(width * height).fill(-1);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      parent[i] = i;
      if (x > 0 && mask[i - 1]) union(i, i - 1);
      if (y > 0) {
        const up = i - width;
        if (mask[up]) union(i, up);
        if (x > 0 && mask[up - 1]) union(i, up - 1);
        if (x + 1 < width && mask[up + 1]) union(i, up + 1);
      }
    }
  }
  const boxes = new Map<number, [number, number, number, number]>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const root = find(i);
      const b = boxes.get(root);
      if (!b) boxes.set(root, [x, y, x, y]);
      else {
        if (x < b[0]) b[0] = x;
        if (x > b[2]) b[2] = x;
        b[3] = y;
      }
    }
  }
  const heights: number[] = [];
  for (const [x0, y0, x1, y1] of boxes.values()) {
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    // Specks, dashes and rules are not characters; neither is a blob taller than a tenth of the page.
    if (h < 4 || h > height / 10 || w > 3 * h || w * 8 < h) continue;
    heights.push(h);
  }
  if (heights.length < 20) return null;
  heights.sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] * factor;
}

export interface EnhanceOptions {
  /** Divide by the paper's brightness (flattenBackground). */
  flatten: boolean;
  /** Whiten dark regions touching the edge (clearEdgeInk). */
  clearEdges?: boolean;
  /** Scale so the median glyph is this many pixels tall; null keeps the size. */
  glyphHeight: number | null;
  /** Enlarge for glyphHeight by at most this (OCR time grows with the pixels); default the bounds'. */
  maxUpscale?: number;
}

export interface EnhanceBounds {
  /** Never produce more pixels than this. */
  maxPixels: number;
  /** Never enlarge by more than this. */
  maxUpscale: number;
}

/** Rescaling by less than this changes nothing tesseract notices, and costs a resample. */
const SCALE_TOLERANCE = 0.15;

/**
 * The factor that brings the median glyph to `target` pixels, bounded by the pixel budget and the
 * upscale limit; 1 when the text is already close to the target or cannot be measured.
 */
export function glyphScale(img: GreyImage, target: number, bounds: EnhanceBounds): number {
  const glyph = medianGlyphHeight(img);
  if (glyph === null) return 1;
  const wanted = target / glyph;
  const byArea = Math.sqrt(bounds.maxPixels / (img.width * img.height));
  const scale = Math.min(wanted, bounds.maxUpscale, byArea);
  return Math.abs(scale - 1) < SCALE_TOLERANCE ? 1 : scale;
}

/** Applies the chosen steps to a prepared greyscale image and encodes it as the PNG tesseract reads. */
export async function enhanceForOcr(img: GreyImage, options: EnhanceOptions, bounds: EnhanceBounds): Promise<PreparedImage> {
  // Edges first: once flattened, a dark table is as white as the paper and no longer told apart.
  const cleared = options.clearEdges ? clearEdgeInk(img) : img;
  const flat = options.flatten ? flattenBackground(cleared) : cleared;
  const limits = { ...bounds, maxUpscale: Math.min(bounds.maxUpscale, options.maxUpscale ?? Infinity) };
  const scale = options.glyphHeight === null ? 1 : glyphScale(flat, options.glyphHeight, limits);
  let pipeline = sharp(flat.data, { raw: { width: flat.width, height: flat.height, channels: 1 } });
  if (scale !== 1) {
    pipeline = pipeline.resize({
      width: Math.max(1, Math.round(flat.width * scale)),
      height: Math.max(1, Math.round(flat.height * scale)),
      fit: 'fill',
      kernel: 'lanczos3',
    });
  }
  const { data, info } = await pipeline.toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
  return { data, mime: 'image/png', width: info.width, height: info.height };
}
