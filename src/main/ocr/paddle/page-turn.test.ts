import { describe, expect, it } from 'vitest';
import { corners, sampleQuad, type GreyImage } from './geometry';
import { isSideways, turnImage, turnRect } from './page-turn';

const region = (cx: number, cy: number, width: number, height: number, angle = 0) => ({
  rect: { cx, cy, width, height, angle },
  score: 0.9,
});

/** A white 200 × 100 image with a black bar (a "line of text") from x 20..120 at y 40..50. */
function page(): GreyImage {
  const data = new Uint8Array(200 * 100).fill(255);
  for (let y = 40; y < 50; y++) for (let x = 20; x < 120; x++) data[y * 200 + x] = 0;
  return { data, width: 200, height: 100 };
}

describe('isSideways', () => {
  it('tells a page whose lines run up and down from an upright one', () => {
    expect(isSideways([region(50, 50, 200, 20, Math.PI / 2), region(80, 50, 150, 20, -Math.PI / 2), region(50, 50, 60, 20)])).toBe(true);
    expect(isSideways([region(50, 50, 200, 20), region(50, 80, 150, 20, 0.05), region(50, 50, 60, 20, Math.PI / 2)])).toBe(false);
  });
});

describe('turnImage and turnRect', () => {
  it.each([90, 180, 270] as const)('move pixels and boxes alike (%i°)', (turn) => {
    const image = page();
    const bar = region(70, 45, 100, 10);
    const turned = turnImage(image, turn);
    const rect = turnRect(bar.rect, turn, image.width, image.height);
    expect([turned.width, turned.height]).toEqual(turn === 180 ? [200, 100] : [100, 200]);
    // The bar's box on the turned page holds the bar: all ink.
    const cut = sampleQuad(turned, corners({ ...rect, width: rect.width - 4, height: rect.height - 4 }), 6, 100);
    expect(Math.max(...cut.data)).toBeLessThan(40);
  });
});
