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
import { resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { perturbSet, type Look } from './perturb-copy';

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
const look: Look = {
  turn: Number(values.turn),
  scale: Number(values.scale),
  quality: values.quality === 'png' ? 'png' : Number(values.quality),
  contrast: Number(values.contrast),
  blur: Number(values.blur),
};
const { turn, scale, quality, contrast, blur } = look;
const valid = Number.isFinite(turn) && scale > 0 && contrast > 0 && blur >= 0 && (quality === 'png' || (quality >= 1 && quality <= 100));
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
const count = await perturbSet(resolve(positionals[0]), out, look);
const described = [
  `turned ${turn}°`,
  `scaled ${scale}`,
  `contrast ${contrast}`,
  `blur ${blur}`,
  quality === 'png' ? 'PNG' : `JPEG ${quality}`,
];
console.log(`${out}: ${count} images (${described.join(', ')})`);
