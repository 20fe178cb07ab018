// PP-OCR text detection (DB, "differentiable binarisation"): the model gives each pixel of a reduced
// page a probability of being inside text; connected regions above a threshold are text lines, each
// grown back to the line's extent and described by a rotated rectangle in page pixels.
import { convexHull, corners, minAreaRect, pointBounds, unclip, type GreyImage, type Point, type RotatedRect } from './geometry';

export interface DetectOptions {
  /**
   * The detector reads the page reduced to at most this many pixels (its sides multiples of 32).
   * Cost grows with the area; too small and receipt print merges into blobs.
   */
  maxPixels: number;
  /** Probability above which a pixel is text (DB's `thresh`). */
  pixelThreshold: number;
  /** Mean probability a region needs to be kept as a line (DB's `box_thresh`). */
  boxThreshold: number;
  /** How far a region is grown back out (DB's `unclip_ratio`). */
  unclipRatio: number;
}

/** One detected line: a rotated rectangle in page pixels and the detector's mean probability, 0..1. */
export interface TextRegion {
  rect: RotatedRect;
  score: number;
}

/** ImageNet normalisation the detector was trained with, per channel (the page is grey, so all alike in value). */
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;
/** Regions thinner than this (in detector pixels) are specks, not text. */
const MIN_SIDE = 3;

/** The detector's input size for a page: area within maxPixels, never enlarged, sides multiples of 32. */
export function detectionSize(width: number, height: number, maxPixels: number): { width: number; height: number } {
  const scale = Math.min(1, Math.sqrt(maxPixels / (width * height)));
  const snap = (n: number) => Math.max(32, Math.round((n * scale) / 32) * 32);
  return { width: snap(width), height: snap(height) };
}

/** A grey image as the detector's [1, 3, H, W] float input. */
export function detectionTensor(image: GreyImage): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const mean = MEAN[c]!,
      std = STD[c]!;
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = (image.data[i]! / 255 - mean) / std;
  }
  return out;
}

/**
 * The text regions in a probability map (`width` × `height`, row-major), scaled by `scaleX`/`scaleY`
 * to page pixels. Regions are 8-connected runs of pixels above the threshold.
 */
export function regionsFromMap(
  map: Float32Array,
  width: number,
  height: number,
  options: Pick<DetectOptions, 'pixelThreshold' | 'boxThreshold' | 'unclipRatio'>,
  scaleX: number,
  scaleY: number,
): TextRegion[] {
  const label = new Int32Array(width * height).fill(-1);
  const regions: TextRegion[] = [];
  const stack: number[] = [];
  for (let start = 0; start < map.length; start++) {
    if (label[start] !== -1 || map[start]! <= options.pixelThreshold) continue;
    // Flood fill one region, keeping each row's leftmost and rightmost pixel for the hull and the
    // probability sum for the score.
    const id = regions.length;
    label[start] = id;
    stack.push(start);
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    let sum = 0;
    let count = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width,
        y = (i - x) / width;
      sum += map[i]!;
      count++;
      if (!(rowMin.get(y)! <= x)) rowMin.set(y, x);
      if (!(rowMax.get(y)! >= x)) rowMax.set(y, x);
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (label[j] === -1 && map[j]! > options.pixelThreshold) {
            label[j] = id;
            stack.push(j);
          }
        }
      }
    }
    const points: Point[] = [];
    for (const [y, x0] of rowMin) {
      const x1 = rowMax.get(y)! + 1;
      points.push({ x: x0, y }, { x: x1, y }, { x: x0, y: y + 1 }, { x: x1, y: y + 1 });
    }
    regions.push({ rect: minAreaRect(convexHull(points)), score: sum / count });
  }
  return regions
    .filter((r) => Math.min(r.rect.width, r.rect.height) >= MIN_SIDE && r.score >= options.boxThreshold)
    .map((r) => ({ score: r.score, rect: toPage(unclip(r.rect, options.unclipRatio), scaleX, scaleY) }))
    .filter((r) => Math.min(r.rect.width, r.rect.height) >= MIN_SIDE + 2);
}

/** A rectangle in detector pixels scaled to page pixels (the two scales differ slightly after snapping). */
function toPage(r: RotatedRect, sx: number, sy: number): RotatedRect {
  const ux = Math.cos(r.angle) * sx,
    uy = Math.sin(r.angle) * sy;
  const vx = -Math.sin(r.angle) * sx,
    vy = Math.cos(r.angle) * sy;
  return {
    cx: r.cx * sx,
    cy: r.cy * sy,
    width: r.width * Math.hypot(ux, uy),
    height: r.height * Math.hypot(vx, vy),
    angle: Math.atan2(uy, ux),
  };
}

/** Regions whose text runs within this angle of the horizontal (sine) are trimmed along their line. */
const LEVEL = 0.2;
/** Two regions are on one line when their heights overlap by this share of the taller one. */
const SAME_LINE = 0.5;

/**
 * Neighbours on one printed line whose grown boxes overlap are each cut back to the middle of the
 * overlap. Growing a region back to its text's extent can reach into the next word across a narrow
 * gap, and the recogniser then reads that word's edge as a character of its own ("Date: C" beside
 * "02/11/2023", "TOTAL" beside "-25.00"). For pages the right way up: run after the turn is settled.
 */
export function trimOverlaps(regions: readonly TextRegion[]): TextRegion[] {
  const out = regions.map((r) => ({ ...r, rect: { ...r.rect } }));
  const level = out.filter((r) => Math.abs(Math.sin(r.rect.angle)) < LEVEL).sort((a, b) => a.rect.cx - b.rect.cx);
  const box = (r: TextRegion) => pointBounds(corners(r.rect));
  for (const [i, left] of level.entries()) {
    for (const right of level.slice(i + 1)) {
      const a = box(left),
        b = box(right);
      const overlapY = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      const overlapX = a.x1 - b.x0;
      // Only a neighbour that starts inside this box and ends beyond it: not one box within another.
      if (overlapX <= 0 || b.x1 <= a.x1 || b.x0 <= a.x0 || overlapY < SAME_LINE * Math.max(a.y1 - a.y0, b.y1 - b.y0)) continue;
      shorten(left.rect, overlapX / 2, 'end');
      shorten(right.rect, overlapX / 2, 'start');
    }
  }
  return out;
}

/** Moves one end of a level rectangle in by `by` (measured along x). */
function shorten(r: RotatedRect, by: number, end: 'start' | 'end'): void {
  const along = by / Math.cos(r.angle);
  r.width = Math.max(1, r.width - along);
  const shift = (end === 'end' ? -along : along) / 2;
  r.cx += shift * Math.cos(r.angle);
  r.cy += shift * Math.sin(r.angle);
}
