// HEIC/HEIF phone photos. sharp's prebuilt libvips has no HEVC decoder, so they are decoded by libheif
// compiled to WebAssembly (heic-decode → libheif-js; no native build, the wasm is inlined in its JS) and
// handed to sharp as raw pixels, like bmp.ts does for BMP.
import decode from 'heic-decode';
import { ReceiptFileError } from '../ingest/errors';
import { tooManyPixelsReason } from '../ingest/limits';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

export async function decodeHeic(file: Buffer, maxPixels: number): Promise<RawImage> {
  let images: Awaited<ReturnType<typeof decode.all>>;
  try {
    images = await decode.all({ buffer: file });
  } catch (err) {
    throw new ReceiptFileError(`The HEIC photo could not be read: ${err instanceof Error ? err.message : String(err)}`, 'unreadable', { cause: err });
  }
  try {
    // The first top-level image is the photo; others are thumbnails or bursts.
    const image = images[0]!;
    // Sizes come from the container, so a decompression bomb is refused before its pixels exist.
    if (image.width * image.height > maxPixels) {
      throw new ReceiptFileError(`The ${tooManyPixelsReason(image.width, image.height, maxPixels)}`, 'too_many_pixels');
    }
    const { data, width, height } = await image.decode().catch((err: unknown) => {
      throw new ReceiptFileError(`The HEIC photo could not be decoded: ${err instanceof Error ? err.message : String(err)}`, 'unreadable', { cause: err });
    });
    return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height, channels: 4 };
  } finally {
    images.dispose();
  }
}
