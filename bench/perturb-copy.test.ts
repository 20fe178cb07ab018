import { mkdtemp, mkdir, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { perturbSet, perturbedCopy } from './perturb-copy';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perturb-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A 200 × 100 image, black on its left half and white on its right, stored with an EXIF orientation. */
async function halfBlack(path: string, orientation = 1): Promise<void> {
  const pixels = Buffer.alloc(200 * 100, 255);
  for (let y = 0; y < 100; y++) pixels.fill(0, y * 200, y * 200 + 100);
  await sharp(pixels, { raw: { width: 200, height: 100, channels: 1 } })
    .withMetadata({ orientation })
    .jpeg({ quality: 95 })
    .toFile(path);
}

describe('perturbedCopy', () => {
  it('scales the image as it is shown, EXIF orientation applied (stored 200 wide, shown 100)', async () => {
    // Orientation 6: stored 200 wide, shown 100 wide and 200 high.
    await halfBlack(join(dir, 'turned.jpg'), 6);
    const copy = await perturbedCopy(join(dir, 'turned.jpg'), dir, { turn: 0, scale: 0.5, quality: 'png', contrast: 1, blur: 0 });
    const meta = await sharp(copy).metadata();
    expect([meta.width, meta.height]).toEqual([50, 100]);
  });

  it('fades the tones about mid-grey and turns the page within a grey frame', async () => {
    await halfBlack(join(dir, 'page.jpg'));
    const faded = await perturbedCopy(join(dir, 'page.jpg'), dir, { turn: 0, scale: 1, quality: 'png', contrast: 0.5, blur: 0 });
    const { data, info } = await sharp(faded).greyscale().raw().toBuffer({ resolveWithObject: true });
    // Black becomes 64 and white 191 at half the contrast.
    expect(Math.abs(data[50 * info.width + 20]! - 64)).toBeLessThan(6);
    expect(Math.abs(data[50 * info.width + 180]! - 191)).toBeLessThan(6);

    await mkdir(join(dir, 'out'));
    const turned = await perturbedCopy(join(dir, 'page.jpg'), join(dir, 'out'), { turn: 5, scale: 1, quality: 80, contrast: 1, blur: 0 });
    const meta = await sharp(turned).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeGreaterThan(200);
    const corner = await sharp(turned).greyscale().extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
    expect(Math.abs(corner[0]! - 0xc8)).toBeLessThan(10);
  });
});

describe('perturbSet', () => {
  it('copies each image of the set and links its labels', async () => {
    const set = join(dir, 'set');
    await mkdir(join(set, 'images'), { recursive: true });
    await mkdir(join(set, 'labels'));
    await halfBlack(join(set, 'images', 'a.jpg'));
    await halfBlack(join(set, 'images', 'b.jpg'));
    await writeFile(join(set, 'images', 'notes.txt'), 'not an image');
    const out = join(dir, 'copy');
    expect(await perturbSet(set, out, { turn: 1.2, scale: 0.9, quality: 80, contrast: 1, blur: 0.8 })).toBe(2);
    expect((await readdir(join(out, 'images'))).sort()).toEqual(['a.jpg', 'b.jpg']);
    expect(await readlink(join(out, 'labels'))).toBe(join(set, 'labels'));
  });
});
