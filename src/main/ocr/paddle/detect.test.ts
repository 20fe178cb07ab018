import { describe, expect, it } from 'vitest';
import { detectionSize, regionsFromMap, trimOverlaps } from './detect';

const OPTIONS = { pixelThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5 };

/** A probability map with filled rectangles [x0, y0, x1, y1, p]. */
function map(width: number, height: number, rects: [number, number, number, number, number][]): Float32Array {
  const m = new Float32Array(width * height);
  for (const [x0, y0, x1, y1, p] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * width + x] = p;
  return m;
}

describe('detectionSize', () => {
  it('reduces to about the pixel budget, sides rounded to multiples of 32, and never enlarges', () => {
    expect(detectionSize(1000, 2000, 800_000)).toEqual({ width: 640, height: 1280 });
    expect(detectionSize(300, 100, 800_000)).toEqual({ width: 288, height: 96 });
  });
});

describe('regionsFromMap', () => {
  it('finds each line as its own region, grown back out and scaled to the page', () => {
    const m = map(100, 60, [
      [10, 10, 90, 16, 0.9],
      [10, 30, 50, 36, 0.95],
    ]);
    const regions = regionsFromMap(m, 100, 60, OPTIONS, 2, 2);
    expect(regions).toHaveLength(2);
    const [a, b] = [...regions].sort((p, q) => p.rect.cy - q.rect.cy);
    expect(a!.rect.cx).toBeCloseTo(100, 0);
    expect(a!.rect.cy).toBeCloseTo(26, 0);
    // 80 × 6 kernel grows by 80·6·1.5/172 ≈ 4.2 on each side, then doubles with the scale.
    expect(a!.rect.width).toBeCloseTo(2 * (80 + 2 * 4.19), 0);
    expect(a!.rect.height).toBeCloseTo(2 * (6 + 2 * 4.19), 0);
    expect(a!.score).toBeCloseTo(0.9);
    expect(b!.rect.width).toBeLessThan(a!.rect.width);
  });

  it('drops specks and regions the detector is unsure of', () => {
    const m = map(100, 60, [
      [10, 10, 12, 12, 0.99],
      [10, 30, 80, 38, 0.45],
    ]);
    expect(regionsFromMap(m, 100, 60, OPTIONS, 1, 1)).toEqual([]);
  });
});

describe('trimOverlaps', () => {
  const region = (cx: number, cy: number, width: number, height: number, angle = 0) => ({
    rect: { cx, cy, width, height, angle },
    score: 0.9,
  });

  it('cuts neighbours on one line back to the middle of their overlap', () => {
    // "Date:" (x 52.5..227.5) and "02/11/2023" (x 207..473), grown into each other.
    const [date, value] = trimOverlaps([region(140, 148, 175, 40), region(340, 147, 266, 36)]);
    expect(date!.rect.cx + date!.rect.width / 2).toBeCloseTo(217.25);
    expect(value!.rect.cx - value!.rect.width / 2).toBeCloseTo(217.25);
    expect(date!.rect.cx - date!.rect.width / 2).toBeCloseTo(52.5);
    expect(value!.rect.cx + value!.rect.width / 2).toBeCloseTo(473);
  });

  it('leaves apart boxes with a gap between them, boxes on other lines, boxes within boxes and upright text', () => {
    // A date line and a taller row of stars under it that reaches up into it.
    const regions = [
      region(100, 100, 100, 30),
      region(400, 100, 100, 30),
      region(150, 140, 200, 30),
      region(420, 160, 700, 77),
      region(600, 300, 200, 30, Math.PI / 2),
      region(600, 300, 200, 30, Math.PI / 2),
      region(300, 500, 400, 30),
      region(300, 500, 100, 30),
    ];
    expect(trimOverlaps(regions)).toEqual(regions);
  });
});
