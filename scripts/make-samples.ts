// Writes samples/: a handful of invented receipts in every kind of file the app reads, so a fresh
// clone has something to scan (`npm run scan -- samples`). Run with `npx tsx scripts/make-samples.ts`.
// The merchants are made up; the pixels come from the same generators the tests use. Currencies are
// printed as codes where PP-OCR's character set has no sign (no £ or €). Photos get a
// slight tilt, grain and uneven light, the way a phone on a desk takes them.
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { renderReceiptImage } from '../src/main/testing/receipt-image';
import { scannedPdf } from '../src/main/testing/scanned-pdf';
import { textPdf } from '../src/main/testing/text-pdf';

const root = join(import.meta.dirname, '..');
const out = join(root, 'samples');

// The desk the receipt lies on, and how much darker the far corner is than the lamp-lit one.
const DESK_GREY = 96;
const SHADE = 0.3;

/** A receipt as a phone photo: on a desk, turned `tilt` degrees, lit from the top left. */
async function photo(lines: string[], tilt: number): Promise<Buffer> {
  const paper = await renderReceiptImage(lines, { noise: true });
  const { data, info } = await sharp(paper)
    .extend({ top: 24, bottom: 24, left: 24, right: 24, background: { r: DESK_GREY, g: DESK_GREY, b: DESK_GREY } })
    .rotate(tilt, { background: { r: DESK_GREY, g: DESK_GREY, b: DESK_GREY } })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const lit = Buffer.alloc(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const far = (x / width + y / height) / 2;
      lit[y * width + x] = Math.round(data[y * width + x] * (1 - SHADE * far));
    }
  }
  return sharp(lit, { raw: { width, height, channels: 1 } })
    .jpeg({ quality: 70, mozjpeg: true })
    .toBuffer();
}

const scan = (lines: string[]) => renderReceiptImage(lines, { noise: true });

async function main(): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const write = (name: string, bytes: Buffer) => writeFile(join(out, name), bytes);

  await write(
    'cafe-lumen.jpg',
    await photo(
      [
        'CAFE LUMEN',
        '12 Rue des Tilleuls, Lyon',
        '14.03.2025  08:42',
        'Croissant       2.40',
        'Cafe creme      3.60',
        "Jus d'orange    4.20",
        'TOTAL EUR      10.20',
        'Carte bancaire',
      ],
      2.5,
    ),
  );
  await write(
    'north-trail-outfitters.jpg',
    await photo(
      [
        'NORTH TRAIL OUTFITTERS',
        '480 Pine St, Boulder, CO 80302',
        'Date: 11/23/2024',
        'Wool socks      18.00',
        'Trail map        9.95',
        'Subtotal        27.95',
        'Tax 4.15%        1.16',
        'TOTAL          $29.11',
        'VISA ****4421',
      ],
      -2,
    ),
  );
  await write(
    'kettle-and-crumb.jpg',
    await photo(
      [
        'THE KETTLE & CRUMB',
        '3 Minster Yard, York',
        '2025-01-09 13:05',
        'Tea for two       6.80',
        'Scone             3.25',
        'TOTAL GBP        10.05',
        'Cash',
      ],
      1.5,
    ),
  );
  await write(
    'bergblick-apotheke.png',
    await sharp(
      await scan([
        'BERGBLICK APOTHEKE',
        'Seestrasse 8, Zurich',
        'Datum: 05.02.2025',
        'Halstabletten    8.90',
        'Pflaster         6.50',
        'Sonnencreme      8.50',
        'TOTAL CHF       23.90',
      ]),
    )
      .png({ palette: true, colours: 16 })
      .toBuffer(),
  );
  await write(
    'sakura-home-goods-2-pages.pdf',
    await scannedPdf([
      {
        image: await scan([
          'SAKURA HOME GOODS',
          'Osaka',
          'Date: 2024/10/02',
          'Tea cups x2    ¥1,600',
          'Chopsticks      ¥480',
          'Linen napkins   ¥900',
        ]),
        dpi: 150,
      },
      { image: await scan(['Page 2', 'Tea tin         ¥300', 'TOTAL         ¥3,280', 'Thank you']), dpi: 150 },
    ]),
  );
  await write(
    'papertrail-invoice.pdf',
    textPdf([
      'PAPERTRAIL STATIONERY',
      'Order 10492',
      'Invoice date: 30/09/2024',
      'Notebook A5          12.00',
      'Fountain pen         38.50',
      'Ink cartridges        6.00',
      'Subtotal             56.50',
      'GST                   5.65',
      'Total AUD            62.15',
    ]),
  );
  // No HEVC encoder ships on npm (sharp's libheif only decodes it): the HEIC is the test fixture
  // encoded once with heif-enc (see src/main/ocr/prepare.test.ts), an invented deli's receipt.
  await copyFile(join(root, 'src/main/ocr/fixtures/receipt.heic'), join(out, 'harbour-deli.heic'));
}

await main();
