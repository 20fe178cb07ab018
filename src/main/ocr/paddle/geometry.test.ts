import { describe, expect, it } from 'vitest';
import { convexHull, corners, minAreaRect, sampleQuad, unclip } from './geometry';

describe('minAreaRect', () => {
  it('finds an axis-aligned rectangle with its long side as the text direction', () => {
    const pts = [];
    for (let x = 10; x <= 110; x += 5) for (const y of [20, 40]) pts.push({ x, y });
    const r = minAreaRect(convexHull(pts));
    expect(r.width).toBeCloseTo(100);
    expect(r.height).toBeCloseTo(20);
    expect(r.cx).toBeCloseTo(60);
    expect(r.cy).toBeCloseTo(30);
    expect(Math.abs(r.angle)).toBeLessThan(1e-9);
  });

  it('follows a tilted line and orders corners from the top-left along the text', () => {
    const a = (10 * Math.PI) / 180;
    const pts = [];
    for (let u = 0; u <= 200; u += 10)
      for (const v of [0, 30]) pts.push({ x: 50 + u * Math.cos(a) - v * Math.sin(a), y: 50 + u * Math.sin(a) + v * Math.cos(a) });
    const r = minAreaRect(convexHull(pts));
    expect(r.width).toBeCloseTo(200, 3);
    expect(r.height).toBeCloseTo(30, 3);
    expect(r.angle).toBeCloseTo(a, 6);
    const [tl, tr, br, bl] = corners(r);
    expect(tl.x).toBeCloseTo(50, 3);
    expect(tl.y).toBeCloseTo(50, 3);
    expect(tr.x).toBeGreaterThan(tl.x);
    expect(bl.y).toBeGreaterThan(tl.y);
    expect(br.x).toBeGreaterThan(bl.x);
  });

  it('describes a vertical line by its length, turned a quarter', () => {
    const pts = [];
    for (let y = 0; y <= 100; y += 10) for (const x of [0, 10]) pts.push({ x, y });
    const r = minAreaRect(convexHull(pts));
    expect(r.width).toBeCloseTo(100);
    expect(r.height).toBeCloseTo(10);
    expect(Math.abs(Math.abs(r.angle) - Math.PI / 2)).toBeLessThan(1e-9);
  });
});

describe('unclip', () => {
  it('moves each side out by area × ratio / perimeter', () => {
    const r = unclip({ cx: 0, cy: 0, width: 100, height: 10, angle: 0 }, 1.5);
    const d = (100 * 10 * 1.5) / 220;
    expect(r.width).toBeCloseTo(100 + 2 * d);
    expect(r.height).toBeCloseTo(10 + 2 * d);
  });
});

describe('sampleQuad', () => {
  it('cuts a region out upright at the asked height, keeping its proportions', () => {
    // A 200 × 100 image: dark left half, light right half.
    const width = 200,
      height = 100;
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = x < 100 ? 0 : 255;
    const out = sampleQuad({ data, width, height }, corners({ cx: 100, cy: 50, width: 160, height: 40, angle: 0 }), 20, 1000);
    expect(out.height).toBe(20);
    expect(out.width).toBe(80);
    expect(out.data[10 * out.width + 5]).toBe(0);
    expect(out.data[10 * out.width + 75]).toBe(255);
  });

  it('caps the width', () => {
    const data = new Uint8Array(100 * 10).fill(128);
    expect(sampleQuad({ data, width: 100, height: 10 }, corners({ cx: 50, cy: 5, width: 100, height: 2, angle: 0 }), 48, 300).width).toBe(
      300,
    );
  });
});
