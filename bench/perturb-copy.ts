// A receipt photo or scan taken a little differently: turned by a small angle, rescaled, faded or
// blurred, and saved again (see bench/perturb.ts).
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { MIME } from './ocr-cache';

export interface Look {
  /** Degrees, clockwise. */
  turn: number;
  scale: number;
  /** JPEG quality 1–100, or 'png'. */
  quality: number | 'png';
  /** Tones scaled about mid-grey: 1 leaves them, 0.6 is faded thermal print. */
  contrast: number;
  /** A Gaussian's sigma in pixels; 0 for none. */
  blur: number;
}

/** Writes the copy of one image; returns its path. */
export async function perturbedCopy(path: string, outDir: string, look: Look): Promise<string> {
  const meta = await sharp(path).metadata();
  // The width as the photo is shown: EXIF orientation may swap its sides.
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  let copy = sharp(path)
    .rotate()
    .resize({ width: Math.max(1, Math.round(width * look.scale)), kernel: 'lanczos3' })
    // A grey that is neither paper nor ink fills the corners the turn uncovers, as a table would.
    .rotate(look.turn, { background: '#c8c8c8' });
  if (look.contrast !== 1) copy = copy.linear(look.contrast, 128 * (1 - look.contrast));
  // sharp's blur takes sigmas from 0.3.
  if (look.blur >= 0.3) copy = copy.blur(look.blur);
  const png = look.quality === 'png';
  const target = join(outDir, `${basename(path, extname(path))}.${png ? 'png' : 'jpg'}`);
  await (look.quality === 'png' ? copy.png() : copy.jpeg({ quality: look.quality })).toFile(target);
  return target;
}

/** Copies every image of a labelled set (DIR/images, DIR/labels) to OUT/images, linking OUT/labels to the set's. */
export async function perturbSet(dir: string, out: string, look: Look): Promise<number> {
  await mkdir(join(out, 'images'), { recursive: true });
  if (!existsSync(join(out, 'labels'))) await symlink(join(dir, 'labels'), join(out, 'labels'));
  const names = (await readdir(join(dir, 'images'))).filter((f) => MIME[extname(f).toLowerCase()]).sort();
  for (const name of names) await perturbedCopy(join(dir, 'images', name), join(out, 'images'), look);
  return names.length;
}
