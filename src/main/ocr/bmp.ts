// Decodes Windows BMP to raw RGB pixels, because sharp (libvips) cannot read BMP. Covers what scanners
// and Paint write: uncompressed 1/4/8-bit palette, 24-bit, and 32-bit (plain or standard bit masks).
// Our own ~60 lines: the npm BMP decoders are unmaintained (bmp-js last published 2017).
import { ReceiptFileError } from '../ingest/errors';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;

const damaged = (why: string) => new ReceiptFileError(`The BMP image could not be decoded: ${why}`, 'unreadable');

export function decodeBmp(file: Buffer, maxPixels: number): RawImage {
  if (file.length < 54 || file.toString('latin1', 0, 2) !== 'BM') throw damaged('not a BMP file');
  const headerSize = file.readUInt32LE(14);
  if (headerSize < 40) throw new ReceiptFileError('OS/2 BMP images are not supported', 'unsupported_type');
  const width = file.readInt32LE(18);
  const rawHeight = file.readInt32LE(22);
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0; // negative height: rows stored top row first
  const bpp = file.readUInt16LE(28);
  const compression = file.readUInt32LE(30);
  if (width <= 0 || height === 0) throw damaged('the header gives no pixel size');
  if (width * height > maxPixels) {
    throw new ReceiptFileError(`The image is too large to read (more than ${Math.round(maxPixels / 1e6)} megapixels)`, 'too_large');
  }
  const standardMasks =
    compression === BI_BITFIELDS &&
    bpp === 32 &&
    file.length >= 66 &&
    file.readUInt32LE(54) === 0x00ff0000 &&
    file.readUInt32LE(58) === 0x0000ff00 &&
    file.readUInt32LE(62) === 0x000000ff;
  if (![1, 4, 8, 24, 32].includes(bpp) || !(compression === BI_RGB || standardMasks)) {
    throw new ReceiptFileError(`This kind of BMP (${bpp}-bit, compression ${compression}) is not supported`, 'unsupported_type');
  }
  const palette = bpp <= 8 ? 14 + headerSize + (compression === BI_BITFIELDS ? 12 : 0) : 0;
  const colours = bpp <= 8 ? file.readUInt32LE(46) || 1 << bpp : 0;
  const pixels = file.readUInt32LE(10);
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (pixels + stride * height > file.length || palette + colours * 4 > pixels) {
    throw damaged('the file is truncated');
  }
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = pixels + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let p: number; // offset of a B,G,R triple in the file
      if (bpp >= 24) {
        p = row + x * (bpp / 8);
      } else {
        const bit = x * bpp;
        const index = (file[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        if (index >= colours) throw damaged('a pixel points outside the palette');
        p = palette + index * 4;
      }
      out[o] = file[p + 2]!;
      out[o + 1] = file[p + 1]!;
      out[o + 2] = file[p]!;
    }
  }
  return { data: out, width, height, channels: 3 };
}
