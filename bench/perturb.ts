// Copies of a labelled set taken a little differently: turned by a small angle, rescaled, faded or
// blurred, and saved again as JPEG. Rules that read a receipt for a reason hold on such a copy; a rule
// fitted to one receipt's exact reading breaks there. So the tune half, perturbed, shows brittle rules
// without spending the report half. The copies go outside the project (the receipts are never copied
// into it).
//
//   npm run bench:perturb -- DIR --out OUTDIR [--turn DEGREES] [--scale S] [--quality Q|png]
//        [--contrast C] [--blur SIGMA]
//
// A negative turn is written --turn=-1.5. --contrast scales the tones about mid-grey (0.6: faded
// thermal print); --blur is a Gaussian's sigma in pixels (0.8: a photo a little out of focus).
//
// Writes OUTDIR/images/<stem>.jpg (or .png) and links OUTDIR/labels to DIR/labels. Then, for example:
//   npx tsx bench/ocr-cache.ts OUTDIR --engine paddle
//   npm run bench:extract -- OUTDIR --date-order DMY --cached --engine paddle --half tune --misses
// (the cache is named after OUTDIR's folder name, so give each copy its own name).
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { MIME } from './ocr-cache';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    turn: { type: 'string', default: '1.2' },
    scale: { type: 'string', default: '0.9' },
    quality: { type: 'string', default: '80' },
    contrast: { type: 'string', default: '1' },
    blur: { type: 'string', default: '0' },
  },
});
const dir = resolve(positionals[0] ?? '');
const [turn, scale, contrast, blur] = [Number(values.turn), Number(values.scale), Number(values.contrast), Number(values.blur)];
const png = values.quality === 'png';
const quality = Number(values.quality);
const valid = Number.isFinite(turn) && scale > 0 && contrast > 0 && blur >= 0 && (png || (quality >= 1 && quality <= 100));
if (!positionals[0] || !values.out || !valid) {
  console.error(
    'usage: npm run bench:perturb -- DIR --out OUTDIR [--turn DEGREES] [--scale S] [--quality 1-100|png] [--contrast C] [--blur SIGMA]',
  );
  process.exit(2);
}
const out = resolve(values.out);
const project = resolve('.');
if (out === project || out.startsWith(project + sep)) {
  console.error('--out must be outside the project: the receipts are not copied into it');
  process.exit(2);
}

await mkdir(join(out, 'images'), { recursive: true });
if (!existsSync(join(out, 'labels'))) await symlink(join(dir, 'labels'), join(out, 'labels'));
const names = (await readdir(join(dir, 'images'))).filter((f) => MIME[extname(f).toLowerCase()]).sort();
for (const name of names) {
  const path = join(dir, 'images', name);
  const meta = await sharp(path).metadata();
  // The width as the photo is shown: EXIF orientation may swap its sides.
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  let copy = sharp(path)
    .rotate()
    .resize({ width: Math.max(1, Math.round(width * scale)), kernel: 'lanczos3' })
    // A grey that is neither paper nor ink fills the corners the turn uncovers, as a table would.
    .rotate(turn, { background: '#c8c8c8' });
  if (contrast !== 1) copy = copy.linear(contrast, 128 * (1 - contrast));
  // sharp's blur takes sigmas from 0.3.
  if (blur >= 0.3) copy = copy.blur(blur);
  const target = join(out, 'images', `${basename(name, extname(name))}.${png ? 'png' : 'jpg'}`);
  await (png ? copy.png() : copy.jpeg({ quality })).toFile(target);
}
const look = [`turned ${turn}°`, `scaled ${scale}`, `contrast ${contrast}`, `blur ${blur}`, png ? 'PNG' : `JPEG ${quality}`];
console.log(`${out}: ${names.length} images (${look.join(', ')})`);
