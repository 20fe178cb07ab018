// Test support: an image that does not compress, for files over a size limit.
import sharp, { type Sharp } from 'sharp';

/** A side × side PNG of pseudo-random pixels (fixed seed): about 3 bytes per pixel. */
export function noisePng(side: number): Sharp {
  const pixels = Buffer.alloc(side * side * 3);
  let x = 2463534242;
  for (let i = 0; i < pixels.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pixels[i] = x & 0xff;
  }
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png();
}
