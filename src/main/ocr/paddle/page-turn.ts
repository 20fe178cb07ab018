// Which way up a page is, from what detection already found: text lines run across an upright page,
// so a page whose lines mostly run up or down was photographed sideways; the line classifier then
// says whether the lines, made horizontal, are upside down. Pixels and boxes turn together, so the
// classifier reads the lines the detector found.
import { corners, pointBounds, type GreyImage, type RotatedRect } from './geometry';
import type { TextRegion } from './detect';
import type { Turn } from '../engine';

/** Only clearly line-shaped regions tell a direction (a square blob could be either). */
const LINE_SHAPE = 2;

/** True when most of the page's line length runs vertically. */
export function isSideways(regions: readonly TextRegion[]): boolean {
  let across = 0;
  let upDown = 0;
  for (const { rect } of regions) {
    if (rect.width < LINE_SHAPE * rect.height) continue;
    if (Math.abs(Math.sin(rect.angle)) > Math.SQRT1_2) upDown += rect.width;
    else across += rect.width;
  }
  return upDown > across;
}

/** The image turned `turn` degrees clockwise. */
export function turnImage(image: GreyImage, turn: Turn): GreyImage {
  if (turn === 0) return image;
  const { data, width: w, height: h } = image;
  const [W, H] = turn === 180 ? [w, h] : [h, w];
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x]!;
      if (turn === 90) out[x * W + (h - 1 - y)] = v;
      else if (turn === 180) out[(h - 1 - y) * W + (w - 1 - x)] = v;
      else out[(w - 1 - x) * W + y] = v;
    }
  }
  return { data: out, width: W, height: H };
}

/** A rectangle on an image `width` × `height` as it lies once the image is turned `turn` degrees clockwise. */
export function turnRect(rect: RotatedRect, turn: Turn, width: number, height: number): RotatedRect {
  if (turn === 0) return rect;
  const { cx, cy } = rect;
  const [x, y] = turn === 90 ? [height - cy, cx] : turn === 180 ? [width - cx, height - cy] : [cy, width - cx];
  let angle = rect.angle + (turn * Math.PI) / 180;
  while (angle > Math.PI / 2) angle -= Math.PI;
  while (angle <= -Math.PI / 2) angle += Math.PI;
  return { ...rect, cx: x, cy: y, angle };
}

/** The axis-aligned box around a rotated rectangle, clamped to the image. */
export function boundingBox(rect: RotatedRect, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  return clampBox(pointBounds(corners(rect)), width, height);
}

/** A box cut to the image `width` × `height`. */
export const clampBox = (b: { x0: number; y0: number; x1: number; y1: number }, width: number, height: number) => ({
  x0: Math.max(0, b.x0),
  y0: Math.max(0, b.y0),
  x1: Math.min(width, b.x1),
  y1: Math.min(height, b.y1),
});
