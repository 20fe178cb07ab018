import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReceiptImage } from '../testing/receipt-image';
import { clearEdgeInk, enhanceForOcr, flattenBackground, glyphScale, medianGlyphHeight, otsuThreshold, type GreyImage } from './enhance';
import { createTesseractEngine } from './tesseract/tesseract';

const LINES = ['CORNER CAFE', '12 HIGH STREET', 'LATTE 4.50', 'MUFFIN 3.82', 'TOTAL 8.32', 'THANK YOU'];

async function grey(png: Buffer): Promise<GreyImage> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** A blank image filled by `value(x, y)`. */
function paint(width: number, height: number, value: (x: number, y: number) => number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { data, width, height };
}

const at = (img: GreyImage, x: number, y: number) => img.data[y * img.width + x];

/** Print on a square grid every 40 px: the pixel's own paper level scaled down, as ink absorbs light. */
const isInk = (x: number, y: number) => x % 40 >= 10 && x % 40 < 14 && y % 40 >= 10 && y % 40 < 30;

describe('flattenBackground', () => {
  // A photo lit from the right: paper from 110 on the left to 240 on the right, ink at 40% of it.
  const paper = (x: number) => 110 + (130 * x) / 399;
  const photo = paint(400, 300, (x, y) => Math.round(isInk(x, y) ? 0.4 * paper(x) : paper(x)));

  it('turns unevenly lit paper (near) white and keeps the print dark against it', () => {
    const flat = flattenBackground(photo);
    for (const [x, y] of [
      [2, 2],
      [200, 150],
      [398, 297],
    ]) {
      expect(at(flat, x, y)).toBeGreaterThanOrEqual(225);
    }
    expect(at(flat, 11, 15)).toBeLessThan(120); // ink in the dark corner
    expect(at(flat, 371, 15)).toBeLessThan(120); // ink in the bright one
  });

  it('lets one global threshold separate print from paper, which it could not before', () => {
    const misread = (img: GreyImage) => {
      const t = otsuThreshold(img);
      let wrong = 0;
      for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (at(img, x, y) <= t !== isInk(x, y)) wrong++;
      return wrong;
    };
    expect(misread(photo)).toBeGreaterThan(10_000);
    expect(misread(flattenBackground(photo))).toBe(0);
  });
});

describe('clearEdgeInk', () => {
  // Paper with print inside a black 30 px frame, like a scan with the lid's shadow round it.
  const framed = paint(300, 200, (x, y) => {
    if (x < 30 || y < 30 || x >= 270 || y >= 170) return 10;
    return isInk(x, y) ? 30 : 230;
  });

  it('paints a dark frame round the page in the paper grey and leaves the print inside alone', () => {
    const out = clearEdgeInk(framed);
    expect([at(out, 0, 0), at(out, 5, 100), at(out, 299, 199), at(out, 150, 190)]).toEqual([230, 230, 230, 230]);
    for (let y = 30; y < 170; y++) {
      for (let x = 30; x < 270; x++) expect(at(out, x, y)).toBe(at(framed, x, y));
    }
  });

  it('leaves a page without dark edges unchanged', () => {
    const page = paint(120, 80, (x, y) => (isInk(x, y) ? 30 : 230));
    expect(clearEdgeInk(page).data).toEqual(page.data);
  });
});

describe('medianGlyphHeight', () => {
  it('measures the height of printed characters, doubling with the font size', async () => {
    const small = medianGlyphHeight(await grey(await renderReceiptImage(LINES, { fontSize: 24 })));
    const large = medianGlyphHeight(await grey(await renderReceiptImage(LINES, { fontSize: 48, width: 1280 })));
    // DejaVu Sans Mono capitals are ~0.73 of the font size.
    expect(small).toBeGreaterThanOrEqual(15);
    expect(small).toBeLessThanOrEqual(20);
    expect(large! / small!).toBeGreaterThan(1.8);
    expect(large! / small!).toBeLessThan(2.2);
  });

  it('is null on a page with no characters, only rules and specks', () => {
    const page = paint(400, 400, (x, y) => (y % 50 === 0 || (x % 97 === 3 && y % 89 === 5) ? 0 : 255));
    expect(medianGlyphHeight(page)).toBeNull();
  });
});

describe('glyphScale', () => {
  it('scales text to the target height, within the pixel budget, and not for a small difference', async () => {
    const img = await grey(await renderReceiptImage(LINES, { fontSize: 24 }));
    const glyph = medianGlyphHeight(img)!;
    const roomy = { maxPixels: 100e6, maxUpscale: 4 };
    expect(glyphScale(img, glyph * 2, roomy)).toBeCloseTo(2, 5);
    expect(glyphScale(img, glyph * 1.1, roomy)).toBe(1);
    expect(glyphScale(img, glyph * 2, { maxPixels: img.width * img.height * 2, maxUpscale: 4 })).toBeCloseTo(Math.SQRT2, 5);
    expect(glyphScale(img, glyph * 8, roomy)).toBe(4);
  });
});

describe('enhanceForOcr', () => {
  it('encodes a one-channel PNG, rescaled to the glyph height asked for', async () => {
    const img = await grey(await renderReceiptImage(LINES, { fontSize: 24 }));
    const glyph = medianGlyphHeight(img)!;
    const out = await enhanceForOcr(img, { flatten: true, clearEdges: true, glyphHeight: glyph * 2 }, { maxPixels: 100e6, maxUpscale: 4 });
    expect([out.mime, out.width]).toEqual(['image/png', img.width * 2]);
    const meta = await sharp(out.data).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([out.width, out.height, 1]);
    const capped = await enhanceForOcr(
      img,
      { flatten: false, glyphHeight: glyph * 2, maxUpscale: 1.5 },
      { maxPixels: 100e6, maxUpscale: 4 },
    );
    expect(capped.width).toBe(Math.round(img.width * 1.5));
  });
});

describe('with tesseract', () => {
  const engine = createTesseractEngine({ workers: 1 });
  afterAll(() => engine.close());
  const bounds = { maxPixels: 16e6, maxUpscale: 4 };
  const read = (img: GreyImage, options: Parameters<typeof enhanceForOcr>[1]) =>
    engine.recognize({ path: 'framed.png', mime: 'image/png', size: 0, prepare: async () => [await enhanceForOcr(img, options, bounds)] });

  it('reads faint print inside a black scanner frame only once the frame is cleared', async () => {
    // Grey print on grey paper, with the lid's black edge on three sides: the frame pulls tesseract's
    // global threshold down below the print, and it reads an empty page.
    const faint = await sharp(await renderReceiptImage(LINES, { width: 700 }))
      .linear(0.3, 165)
      .png()
      .toBuffer();
    const framed = await grey(await sharp(faint).extend({ top: 12, left: 8, right: 10, background: '#080808' }).png().toBuffer());
    const plain = await read(framed, { flatten: false, glyphHeight: null });
    expect(plain.text.trim()).toBe('');
    const cleared = await read(framed, { flatten: false, clearEdges: true, glyphHeight: null });
    expect(cleared.text).toContain('TOTAL 8.32');
  });
});
