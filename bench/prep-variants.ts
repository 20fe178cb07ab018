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
  /** Mild sharpening after the upscale. */
  sharpen: async (path, mime) => after(await prepareImage(path, mime), (s) => s.sharpen({ sigma: 1 })),
};
