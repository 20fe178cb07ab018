// Experimental image preparations, measured against the app's prepareImage by running
// `bench/ocr-cache.ts --variant NAME` and then `bench/accuracy.ts --variant NAME`. Each starts from the
// app's prepared image (or its options) so the difference measured is the one step added.
import sharp, { type Sharp } from 'sharp';
import type { PreparedImage } from '../src/main/ocr/engine';
import { prepareImage } from '../src/main/ocr/prepare';

type Prepare = (path: string, mime: string) => Promise<PreparedImage>;

async function after(base: PreparedImage, step: (s: Sharp) => Sharp): Promise<PreparedImage> {
  const { data, info } = await step(sharp(base.data)).png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
  return { data, mime: 'image/png', width: info.width, height: info.height };
}

/**
 * Skew of the text lines in degrees, by projection profiles: rotated the right way, dark pixels gather
 * in rows, so the row sums vary the most. Searched on a small binarised copy; the angle is returned.
 */
export async function estimateSkew(image: Buffer, maxAngle = 12, step = 1): Promise<number> {
  const small = await sharp(image).greyscale().resize({ width: 400 }).threshold(150).png().toBuffer();
  let best = { angle: 0, score: -1 };
  for (let angle = -maxAngle; angle <= maxAngle; angle += step) {
    const { data, info } = await sharp(small)
      .rotate(angle, { background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rows: number[] = [];
    for (let y = 0; y < info.height; y++) {
      let dark = 0;
      for (let x = 0; x < info.width; x++) if (data[(y * info.width + x) * info.channels] < 128) dark++;
      rows.push(dark);
    }
    let score = 0;
    for (let y = 1; y < rows.length; y++) score += (rows[y] - rows[y - 1]) ** 2;
    if (score > best.score) best = { angle, score };
  }
  return best.angle;
}

export const PREP_VARIANTS: Record<string, Prepare> = {
  /** Only EXIF orientation: what OCR sees without any preparation. */
  raw: async (path) => {
    const { data, info } = await sharp(path).rotate().png().toBuffer({ resolveWithObject: true });
    return { data, mime: 'image/png', width: info.width, height: info.height };
  },
  /** Less / more upscaling of narrow images than the default 1400 px. */
  w1000: (path, mime) => prepareImage(path, mime, { minWidth: 1000 }),
  w2000: (path, mime) => prepareImage(path, mime, { minWidth: 2000 }),
  /** Contrast stretch: faded thermal paper and grey photos. */
  normalise: async (path, mime) => after(await prepareImage(path, mime), (s) => s.normalise()),
  /** Local contrast (CLAHE): uneven light and shadows across a photo. */
  clahe: async (path, mime) => after(await prepareImage(path, mime), (s) => s.clahe({ width: 64, height: 64, maxSlope: 3 })),
  /** Straighten text lines tilted by a hand-held photo. */
  deskew: async (path, mime) => {
    const base = await prepareImage(path, mime);
    const angle = await estimateSkew(base.data);
    return angle === 0 ? base : after(base, (s) => s.rotate(angle, { background: '#ffffff' }));
  },
  /** Mild sharpening after the upscale. */
  sharpen: async (path, mime) => after(await prepareImage(path, mime), (s) => s.sharpen({ sigma: 1 })),
};
