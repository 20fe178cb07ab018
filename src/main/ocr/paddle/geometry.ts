// Plane geometry for text boxes: the smallest rotated rectangle around a region, growing it, and
// sampling its pixels upright at a given height. Pure functions on plain arrays, so they test alone.

export interface Point {
  x: number;
  y: number;
}

/**
 * A rotated rectangle as its four corners, clockwise from the top-left of the text it holds:
 * p[0]→p[1] runs along the text (its top edge), p[0]→p[3] down across it.
 */
export type Quad = [Point, Point, Point, Point];

const cross = (o: Point, a: Point, b: Point): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** Convex hull (Andrew's monotone chain), counter-clockwise in y-down image coordinates. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length <= 2) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

export interface RotatedRect {
  cx: number;
  cy: number;
  /** Length along the text direction. */
  width: number;
  /** Length across it. */
  height: number;
  /** Direction of the text, radians, in (-π/2, π/2]: 0 is left to right. */
  angle: number;
}

/** The minimum-area rectangle around a convex hull (rotating calipers over its edges). */
export function minAreaRect(hull: Point[]): RotatedRect {
  if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, angle: 0 };
  let best: { area: number; rect: RotatedRect } | undefined;
  const n = hull.length;
  for (let i = 0; i < n; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % n]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const [ux, uy] = len > 0 ? [(b.x - a.x) / len, (b.y - a.y) / len] : [1, 0];
    let minU = Infinity,
      maxU = -Infinity,
      minV = Infinity,
      maxV = -Infinity;
    for (const p of hull) {
      const u = p.x * ux + p.y * uy;
      const v = -p.x * uy + p.y * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (best && area >= best.area) continue;
    const cu = (minU + maxU) / 2;
    const cv = (minV + maxV) / 2;
    best = {
      area,
      rect: orient({ cx: cu * ux - cv * uy, cy: cu * uy + cv * ux, width: maxU - minU, height: maxV - minV, angle: Math.atan2(uy, ux) }),
    };
  }
  return best!.rect;
}

/** The same rectangle described with its long side as the text direction, the angle in (-π/2, π/2]. */
function orient(r: RotatedRect): RotatedRect {
  let { width, height, angle } = r;
  if (height > width) {
    [width, height] = [height, width];
    angle += Math.PI / 2;
  }
  while (angle > Math.PI / 2) angle -= Math.PI;
  while (angle <= -Math.PI / 2) angle += Math.PI;
  return { ...r, width, height, angle };
}

/**
 * Grows a rectangle found on a shrunk text kernel back to the text's extent, as DB's "unclip" does:
 * each side moves out by area × ratio / perimeter.
 */
export function unclip(r: RotatedRect, ratio: number): RotatedRect {
  const d = (r.width * r.height * ratio) / (2 * (r.width + r.height) || 1);
  return { ...r, width: r.width + 2 * d, height: r.height + 2 * d };
}

/** The axis-aligned box around some points. */
export function pointBounds(points: readonly Point[]): { x0: number; y0: number; x1: number; y1: number } {
  return {
    x0: Math.min(...points.map((p) => p.x)),
    y0: Math.min(...points.map((p) => p.y)),
    x1: Math.max(...points.map((p) => p.x)),
    y1: Math.max(...points.map((p) => p.y)),
  };
}

/** The corners of a rectangle: top-left, top-right, bottom-right, bottom-left of its text. */
export function corners(r: RotatedRect): Quad {
  const ux = Math.cos(r.angle),
    uy = Math.sin(r.angle);
  const hw = r.width / 2,
    hh = r.height / 2;
  const at = (u: number, v: number): Point => ({ x: r.cx + u * ux - v * uy, y: r.cy + u * uy + v * ux });
  return [at(-hw, -hh), at(hw, -hh), at(hw, hh), at(-hw, hh)];
}

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * The pixels of `quad` sampled upright into an image `outHeight` tall, its width keeping the quad's
 * proportions (at most `maxWidth`). Bilinear, averaging a grid of samples per pixel when shrinking so
 * thin strokes are not skipped.
 */
export function sampleQuad(image: GreyImage, quad: Quad, outHeight: number, maxWidth: number): GreyImage {
  const [p0, p1, , p3] = quad;
  const along = Math.hypot(p1.x - p0.x, p1.y - p0.y);
  const across = Math.hypot(p3.x - p0.x, p3.y - p0.y);
  const width = Math.max(1, Math.min(maxWidth, Math.round((outHeight * along) / Math.max(1, across))));
  const out = new Uint8Array(width * outHeight);
  const ux = (p1.x - p0.x) / width,
    uy = (p1.y - p0.y) / width;
  const vx = (p3.x - p0.x) / outHeight,
    vy = (p3.y - p0.y) / outHeight;
  // Samples per output pixel along each axis: enough that neighbouring samples are ≤ 1 source pixel apart.
  const su = Math.max(1, Math.min(4, Math.ceil(Math.hypot(ux, uy))));
  const sv = Math.max(1, Math.min(4, Math.ceil(Math.hypot(vx, vy))));
  const { data, width: w, height: h } = image;
  const pixel = (x: number, y: number): number => {
    const xc = Math.min(w - 1, Math.max(0, x));
    const yc = Math.min(h - 1, Math.max(0, y));
    const x0 = Math.floor(xc),
      y0 = Math.floor(yc);
    const x1 = Math.min(w - 1, x0 + 1),
      y1 = Math.min(h - 1, y0 + 1);
    const fx = xc - x0,
      fy = yc - y0;
    const top = data[y0 * w + x0]! * (1 - fx) + data[y0 * w + x1]! * fx;
    const bottom = data[y1 * w + x0]! * (1 - fx) + data[y1 * w + x1]! * fx;
    return top * (1 - fy) + bottom * fy;
  };
  for (let j = 0; j < outHeight; j++) {
    for (let i = 0; i < width; i++) {
      let sum = 0;
      for (let b = 0; b < sv; b++) {
        const v = j + (b + 0.5) / sv;
        for (let a = 0; a < su; a++) {
          const u = i + (a + 0.5) / su;
          sum += pixel(p0.x + u * ux + v * vx - 0.5, p0.y + u * uy + v * vy - 0.5);
        }
      }
      out[j * width + i] = Math.round(sum / (su * sv));
    }
  }
  return { data: out, width, height: outHeight };
}
