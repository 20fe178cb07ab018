import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptFileError } from '../ingest/errors';
import { renderReceiptImage, writeReceiptImage } from '../testing/receipt-image';
import { scannedPdf } from '../testing/scanned-pdf';
import { makeThumbnail, ocrScale, preparePages, preparePdfPages, prepareImage } from './prepare';

const LINES = ['CORNER CAFE', 'Latte 4.50', 'TOTAL 8.32'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prepare-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function receipt(name: string, options: Parameters<typeof writeReceiptImage>[2] = {}) {
  const path = join(dir, name);
  await writeReceiptImage(path, LINES, options);
  return path;
}

const expectFileError = async (promise: Promise<unknown>, code: string, message: RegExp) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReceiptFileError);
  expect((err as ReceiptFileError).code).toBe(code);
  expect((err as ReceiptFileError).message).toMatch(message);
};

/** Mean absolute difference of two same-sized images' grey pixels, 0..255. */
async function meanDiff(a: Buffer, b: Buffer): Promise<number> {
  const [pa, pb] = await Promise.all([a, b].map((img) => sharp(img).greyscale().raw().toBuffer({ resolveWithObject: true })));
  expect([pa!.info.width, pa!.info.height]).toEqual([pb!.info.width, pb!.info.height]);
  let sum = 0;
  for (let i = 0; i < pa!.data.length; i++) sum += Math.abs(pa!.data[i]! - pb!.data[i]!);
  return sum / pa!.data.length;
}

describe('ocrScale', () => {
  const opts = { minWidth: 1400, maxSide: 4000 }; // explicit, not the defaults
  it('enlarges narrow images to minWidth, at most 4x', () => {
    expect(ocrScale(700, 1500, opts)).toBe(2);
    expect(ocrScale(200, 300, opts)).toBe(4);
  });
  it('leaves mid-sized images alone', () => {
    expect(ocrScale(1600, 3000, opts)).toBe(1);
  });
  it('shrinks wide images to maxSide wide', () => {
    expect(ocrScale(8000, 2000, opts)).toBe(0.5);
  });
  it('shrinks big images to maxSide² pixels', () => {
    expect(ocrScale(5000, 8000, opts)).toBeCloseTo(Math.sqrt(16 / 40), 10);
  });
  it('keeps the width of a long till receipt while its area fits', () => {
    expect(ocrScale(1400, 8000, opts)).toBe(1);
    // Upscaling stops where the area bound is reached.
    expect(ocrScale(1000, 12000, opts)).toBeCloseTo(Math.sqrt(16 / 12), 10);
  });
});

describe('prepareImage', () => {
  it('outputs a greyscale PNG and upscales a narrow receipt to minWidth', async () => {
    const path = await receipt('small.jpg', { width: 500, format: 'jpeg' });
    const src = await sharp(path).metadata();
    const out = await prepareImage(path, 'image/jpeg', { minWidth: 1000 });
    expect(out.mime).toBe('image/png');
    expect(out.width).toBe(1000);
    expect(out.height).toBe(Math.round(src.height * 2));
    const meta = await sharp(out.data).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', out.width, out.height, 1]);
  });

  it('downscales a big image to maxSide wide', async () => {
    const path = await receipt('big.png', { width: 2400, fontSize: 200 });
    const src = await sharp(path).metadata();
    expect(src.height).toBeLessThan(src.width);
    const out = await prepareImage(path, 'image/png', { maxSide: 1200 });
    expect(out.width).toBe(1200);
    expect(out.height).toBe(Math.round(src.height / 2));
  });

  it('turns an image upright by its EXIF orientation', async () => {
    const path = await receipt('sideways.jpg', { format: 'jpeg', exifOrientation: 6 });
    const src = await sharp(path).metadata();
    expect(src.width).toBeLessThan(src.height); // stored sideways
    const out = await prepareImage(path, 'image/jpeg', { minWidth: 640 });
    expect([out.width, out.height]).toEqual([src.height, src.width]);
    expect((await sharp(out.data).metadata()).orientation).toBeUndefined();
  });

  it('reads only the first page of a multi-page TIFF', async () => {
    const page = (colour: string) =>
      sharp({ create: { width: 200, height: 100, channels: 3, background: colour } })
        .png()
        .toBuffer();
    const path = join(dir, 'two-pages.tiff');
    await sharp([await page('#ffffff'), await page('#000000')], { join: { animated: true } })
      .tiff()
      .toFile(path);
    expect((await sharp(path).metadata()).pages).toBe(2);
    const out = await prepareImage(path, 'image/tiff', { minWidth: 400 });
    expect([out.width, out.height]).toEqual([400, 200]);
    const stats = await sharp(out.data).stats();
    expect(stats.channels[0].mean).toBe(255); // the white first page, not the black second
  });

  it('prepares every page of a multi-page TIFF, in order', async () => {
    const path = join(dir, 'two-receipt-pages.tiff');
    const pages = [await renderReceiptImage(['CORNER CAFE', 'Latte 4.50']), await renderReceiptImage(['TAX 0.62', 'TOTAL 8.32'])];
    // As RGB: sharp joins one-channel pages into an odd five-band image no scanner writes.
    const rgb = await Promise.all(pages.map((p) => sharp(p).toColourspace('srgb').png().toBuffer()));
    await sharp(rgb, { join: { animated: true } })
      .tiff({ compression: 'lzw' })
      .toFile(path);
    const out = await preparePages(path, 'image/tiff', { minWidth: 640 });
    expect(out).toHaveLength(2);
    for (const [i, page] of out.entries()) expect(await meanDiff(page.data, pages[i]!)).toBe(0);
    await expectFileError(
      preparePages(path, 'image/tiff', { pageCap: 1 }),
      'too_large',
      /^The TIFF has 2 pages; receipts over 1 pages are refused$/,
    );
  });

  it('refuses types it cannot decode', async () => {
    await expectFileError(prepareImage(join(dir, 'x.txt'), 'text/plain'), 'unsupported_type', /text\/plain/);
  });

  it('reports a broken HEIC photo as unreadable, not a decoder trace', async () => {
    // An AVIF container whose image item claims HEVC coding but holds AV1 data.
    const avif = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
      .avif()
      .toBuffer();
    const heic = Buffer.from(avif.toString('latin1').replaceAll('av01', 'hvc1').replaceAll('avif', 'heic'), 'latin1');
    const path = join(dir, 'photo.heic');
    await writeFile(path, heic);
    await expectFileError(prepareImage(path, 'image/heic'), 'unreadable', /^The HEIC photo could not be (read|decoded): /);
    await expectFileError(makeThumbnail(path, 'image/heic', 100), 'unreadable', /HEIC/);
  });

  it('reports a damaged image as unreadable', async () => {
    const good = await sharp(await receipt('whole.jpg', { format: 'jpeg' })).toBuffer();
    const path = join(dir, 'damaged.jpg');
    await writeFile(path, good.subarray(0, Math.floor(good.length / 2)));
    await expectFileError(prepareImage(path, 'image/jpeg'), 'unreadable', /could not be decoded/);
  });

  it('refuses images over the pixel limit before decoding them', async () => {
    const path = await receipt('limit.png');
    await expectFileError(prepareImage(path, 'image/png', { maxPixels: 10_000 }), 'too_large', /too large/);
  });
});

/** A BMP written by hand: 24-bit bottom-up, or 8-bit grey palette top-down (negative height). */
function bmp(grey: Buffer, width: number, height: number, bpp: 24 | 8): Buffer {
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  const paletteSize = bpp === 8 ? 256 * 4 : 0;
  const offset = 54 + paletteSize;
  const file = Buffer.alloc(offset + stride * height);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(offset, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(bpp === 8 ? -height : height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(bpp, 28);
  for (let i = 0; i < paletteSize / 4; i++) file.fill(i, 54 + i * 4, 54 + i * 4 + 3);
  for (let y = 0; y < height; y++) {
    const row = offset + (bpp === 8 ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const v = grey[y * width + x]!;
      if (bpp === 8) file[row + x] = v;
      else file.fill(v, row + x * 3, row + x * 3 + 3);
    }
  }
  return file;
}

describe('BMP receipts', () => {
  let grey: { data: Buffer; width: number; height: number };
  beforeAll(async () => {
    const png = await receipt('for-bmp.png', { width: 500 });
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    grey = { data, width: info.width, height: info.height };
  });

  it.each([24, 8] as const)('prepares a %i-bit BMP like the same image as PNG', async (bpp) => {
    const path = join(dir, `r${bpp}.bmp`);
    await writeFile(path, bmp(grey.data, grey.width, grey.height, bpp));
    const out = await prepareImage(path, 'image/bmp', { minWidth: 1000 });
    expect([out.width, out.height]).toEqual([1000, Math.round(grey.height * 2)]);
    const fromBmp = await sharp(out.data).raw().toBuffer();
    const fromPng = await sharp((await prepareImage(join(dir, 'for-bmp.png'), 'image/png', { minWidth: 1000 })).data)
      .raw()
      .toBuffer();
    expect(fromBmp.equals(fromPng)).toBe(true);
  });

  it('makes a thumbnail of a BMP', async () => {
    const path = join(dir, 'thumb.bmp');
    await writeFile(path, bmp(grey.data, grey.width, grey.height, 24));
    const thumb = await makeThumbnail(path, 'image/bmp', 100);
    expect(Math.max(thumb.width, thumb.height)).toBe(100);
    expect((await sharp(thumb.data).metadata()).format).toBe('jpeg');
  });

  it('reports a truncated BMP as unreadable and a huge one as too large', async () => {
    const full = bmp(grey.data, grey.width, grey.height, 24);
    const cut = join(dir, 'cut.bmp');
    await writeFile(cut, full.subarray(0, full.length / 2));
    await expectFileError(prepareImage(cut, 'image/bmp'), 'unreadable', /BMP .*truncated/);
    await expectFileError(prepareImage(cut, 'image/bmp', { maxPixels: 1000 }), 'too_large', /too large/);
  });
});

describe('makeThumbnail', () => {
  it('makes an upright JPEG no larger than maxSize', async () => {
    const path = await receipt('thumb.jpg', { format: 'jpeg', exifOrientation: 6 });
    const oriented = (await sharp(path).metadata()).autoOrient;
    const thumb = await makeThumbnail(path, 'image/jpeg', 200);
    const meta = await sharp(thumb.data).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([thumb.width, thumb.height]);
    expect(thumb.width).toBe(200); // upright receipt is landscape, so width is the long side
    expect(thumb.height).toBe(Math.round((200 * oriented.height) / oriented.width));
  });

  it('does not enlarge small images', async () => {
    const path = await receipt('tiny.png', { width: 120, fontSize: 10 });
    const src = await sharp(path).metadata();
    const thumb = await makeThumbnail(path, 'image/png', 1000);
    expect([thumb.width, thumb.height]).toEqual([src.width, src.height]);
  });

  it("previews a PDF's first page and a HEIC photo", async () => {
    const scan = await renderReceiptImage(LINES, { width: 900 });
    const path = join(dir, 'scan.pdf');
    await writeFile(path, await scannedPdf([{ image: scan }, { text: ['page two'] }]));
    const pdf = await makeThumbnail(path, 'application/pdf', 300);
    expect([pdf.width, pdf.height]).toEqual([300, Math.round((300 * (await sharp(scan).metadata()).height) / 900)]);
    expect((await sharp(pdf.data).metadata()).format).toBe('jpeg');
    const heic = await makeThumbnail(HEIC_FIXTURE, 'image/heic', 320);
    expect([heic.width, heic.height]).toEqual([320, 162]);
  });
});

// A 640 × 324 receipt photo encoded once with libheif's heif-enc (x265, -q 60) from
// renderReceiptImage(['HARBOUR DELI', '9 Quay Road', 'Date: 21/06/2024', 'Bagel 3.80', 'Coffee 2.70', 'TOTAL 6.50']):
// sharp's prebuilt libheif cannot encode HEVC and we found no npm package that does, so this 10 KB file
// is committed rather than generated.
const HEIC_FIXTURE = fileURLToPath(new URL('./fixtures/receipt.heic', import.meta.url));

describe('HEIC photos', () => {
  it('decodes an HEVC-coded HEIC into the same pixels as its source, give or take compression', async () => {
    const out = await prepareImage(HEIC_FIXTURE, 'image/heic', { minWidth: 640 });
    expect([out.width, out.height]).toEqual([640, 324]);
    const source = await renderReceiptImage(['HARBOUR DELI', '9 Quay Road', 'Date: 21/06/2024', 'Bagel 3.80', 'Coffee 2.70', 'TOTAL 6.50']);
    expect(await meanDiff(out.data, source)).toBeLessThan(6);
  });

  it('refuses a HEIC over the pixel limit from its container, before decoding', async () => {
    await expectFileError(
      prepareImage(HEIC_FIXTURE, 'image/heic', { maxPixels: 200_000 }),
      'too_many_pixels',
      /^The image is 640 × 324 px/,
    );
  });
});

describe('scanned PDF pages', () => {
  it('renders each page for OCR and leaves blank pages out', async () => {
    const scan = await renderReceiptImage(LINES, { width: 1200 });
    const path = join(dir, 'duplex.pdf');
    await writeFile(path, await scannedPdf([{ image: scan }, { blank: true, size: { width: 200, height: 200 } }, { image: scan }]));
    const pages = await preparePdfPages(path);
    expect(pages.map((p) => p && [p.width, p.mime, p.filePage])).toEqual([[1200, 'image/png', 1], null, [1200, 'image/png', 3]]);
    expect(await preparePages(path, 'application/pdf')).toHaveLength(2);
    const blank = join(dir, 'blank.pdf');
    await writeFile(blank, await scannedPdf([{ blank: true, size: { width: 200, height: 200 } }]));
    await expectFileError(
      preparePages(blank, 'application/pdf'),
      'unreadable',
      /^The PDF has nothing on its pages to read \(blank pages, or images too large to decode\)$/,
    );
  });
});
