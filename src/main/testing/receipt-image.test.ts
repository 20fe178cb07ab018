import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptImage, writeReceiptImage } from './receipt-image';

const LINES = ['CORNER CAFE', 'Latte 4.50', 'TOTAL 8.32'];

/** Mean absolute difference of two same-sized images' grey pixels, 0..255. */
async function meanDiff(a: Buffer, b: Buffer): Promise<number> {
  const [pa, pb] = await Promise.all([a, b].map((img) => sharp(img).rotate().greyscale().raw().toBuffer({ resolveWithObject: true })));
  expect([pa.info.width, pa.info.height]).toEqual([pb.info.width, pb.info.height]);
  let sum = 0;
  for (let i = 0; i < pa.data.length; i++) sum += Math.abs(pa.data[i] - pb.data[i]);
  return sum / pa.data.length;
}

describe('renderReceiptImage', () => {
  let upright: Buffer;
  beforeAll(async () => {
    upright = await renderReceiptImage(LINES);
  });

  it('renders a greyscale PNG of the requested width with dark text on white', async () => {
    const meta = await sharp(upright).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(640);
    expect(meta.height).toBeGreaterThan(3 * 28);
    expect(meta.channels).toBe(1);
    const stats = await sharp(upright).stats();
    expect(stats.channels[0].min).toBeLessThan(60);
    expect(stats.channels[0].max).toBe(255);
    // Mostly paper.
    expect(stats.channels[0].mean).toBeGreaterThan(200);
  });

  it('grows with font size and wraps lines that do not fit the width', async () => {
    const big = await sharp(await renderReceiptImage(LINES, { fontSize: 56 })).metadata();
    const small = await sharp(upright).metadata();
    expect(big.height).toBeGreaterThan(small.height * 1.5);
    const long = 'ITEM '.repeat(40).trim();
    const wrapped = await sharp(await renderReceiptImage([long], { width: 400 })).metadata();
    expect(wrapped.width).toBe(400);
    expect(wrapped.height).toBeGreaterThan(small.height);
  });

  it('writes JPEG when asked', async () => {
    const meta = await sharp(await renderReceiptImage(LINES, { format: 'jpeg' })).metadata();
    expect(meta.format).toBe('jpeg');
  });

  it('turns the receipt clockwise', async () => {
    const turned = await renderReceiptImage(LINES, { rotate: 90 });
    const meta = await sharp(turned).metadata();
    const base = await sharp(upright).metadata();
    expect([meta.width, meta.height]).toEqual([base.height, base.width]);
    // Turning it back gives the upright receipt pixel for pixel.
    expect(await meanDiff(await sharp(turned).rotate(270).png().toBuffer(), upright)).toBe(0);
  });

  it.each([2, 3, 4, 5, 6, 7, 8])(
    'stores pixels for EXIF orientation %i so that honouring the tag shows the receipt upright',
    async (orientation) => {
      const image = await renderReceiptImage(LINES, { exifOrientation: orientation });
      expect((await sharp(image).metadata()).orientation).toBe(orientation);
      // rotate() applies the tag; the result must be the upright receipt.
      expect(await meanDiff(image, upright)).toBe(0);
      // Ignoring the tag shows something else (unless the dimensions already differ).
      const raw = await sharp(image).withMetadata({ orientation: 1 }).png().toBuffer();
      const rawMeta = await sharp(raw).metadata();
      if (rawMeta.width === 640) expect(await meanDiff(raw, upright)).toBeGreaterThan(5);
    },
  );

  it('sets the orientation tag on JPEG output too', async () => {
    const image = await renderReceiptImage(LINES, { format: 'jpeg', exifOrientation: 6 });
    const meta = await sharp(image).metadata();
    expect(meta.orientation).toBe(6);
    // Stored sideways, shown upright.
    expect(meta.height).toBe(640);
    expect(meta.autoOrient.width).toBe(640);
  });

  it('adds the same noise every time', async () => {
    const a = await renderReceiptImage(LINES, { noise: true });
    const b = await renderReceiptImage(LINES, { noise: true });
    expect(a.equals(b)).toBe(true);
    expect(await meanDiff(a, upright)).toBeGreaterThan(3);
  });

  it('rejects an orientation outside 1..8', async () => {
    await expect(renderReceiptImage(LINES, { exifOrientation: 9 })).rejects.toThrow(RangeError);
  });
});

describe('writeReceiptImage', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'receipt-image-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the rendered image to the path', async () => {
    const path = join(dir, 'r.jpg');
    await writeReceiptImage(path, LINES, { format: 'jpeg' });
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await sharp(path).metadata()).width).toBe(640);
  });
});
