import { describe, expect, it } from 'vitest';
import { growthOf } from './memory-growth';

describe('growthOf', () => {
  it('finds a steady growth through swings from sample to sample', () => {
    // +20 MB per 1,000 files, with swings of up to ±15 MB from sample to sample: 50 samples over 1,000 files.
    const marks = Array.from({ length: 50 }, (_, i) => ({ done: 1000 + i * 20, mb: 600 + 0.02 * i * 20 + 15 * Math.sin(i * 2.3) }));
    expect(Math.abs(marks[1]!.mb - marks[0]!.mb)).toBeGreaterThan(10);
    const growth = growthOf(marks)!;
    expect(growth.samples).toBe(50);
    expect(growth.mbPerThousand).toBeGreaterThan(10);
    expect(growth.mbPerThousand).toBeLessThan(30);
    expect(growth.standardError).toBeGreaterThan(0);
    expect(growth.mbPerThousand).toBeGreaterThan(2 * growth.standardError);
  });

  it('reads a flat run as flat, with an error that covers zero', () => {
    const marks = [590, 602, 585, 598, 594, 584, 600, 591].map((mb, i) => ({ done: 1000 + i * 125, mb }));
    const growth = growthOf(marks)!;
    expect(Math.abs(growth.mbPerThousand)).toBeLessThan(2 * growth.standardError);
  });

  it('does not read a slow swing, which neighbouring samples share, as growth', () => {
    // ±8 MB swinging over ~900 files: fitted through half a swing it slopes, but no sample is independent.
    const marks = Array.from({ length: 50 }, (_, i) => ({ done: 1000 + i * 20, mb: 600 + 8 * Math.sin(i / 7 + 2) }));
    const growth = growthOf(marks)!;
    expect(growth.mbPerThousand).toBeGreaterThan(5);
    expect(growth.autocorrelation).toBeGreaterThan(0.9);
    expect(Math.abs(growth.mbPerThousand)).toBeLessThan(2 * growth.standardError);
  });

  it('needs three samples at different counts', () => {
    expect(
      growthOf([
        { done: 1, mb: 1 },
        { done: 2, mb: 2 },
      ]),
    ).toBeUndefined();
    expect(growthOf([1, 2, 3].map((mb) => ({ done: 5, mb })))).toBeUndefined();
  });
});
