// How well pages turned sideways or upside down are read the right way up, and what upright pages pay.
//
//   npm run bench:orientation -- [DIR] [--limit N] [--rotations 0,90,180,270] [--date-order DMY|MDY]
//        [--label-order DMY|MDY|either] [--workers N] [--engine paddle|tesseract]
//
// DIR is a labelled set (default ../shared/receipts/sroie); the first N images (default 30; 0: all)
// are prepared as the app prepares them, turned clockwise by each rotation in memory and read by the
// engine (default tesseract; its first reading only: no second pass). Per rotation: how many pages were read the
// right way up, how many upright pages were turned (false turns), field accuracy against the labels,
// agreement with the upright reading, recognitions per page and seconds per receipt.
import { readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import PQueue from 'p-queue';
import { extractFields } from '../src/main/extract/extract';
import type { OcrResult, Turn } from '../src/main/ocr/engine';
import { turnedPage } from '../src/main/ocr/tesseract/orientation';
import { preparePages } from '../src/main/ocr/prepare';
import { createTesseractEngine } from '../src/main/ocr/tesseract/tesseract';
import { createPaddleEngine } from '../src/main/ocr/paddle/paddle-engine';
import type { DateOrder, ExtractedFields } from '../src/shared/model';
import { formatScore, loadLabels, scoreSet, type LabelOrder } from './accuracy-score';
import { MIME } from './ocr-cache';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: 'string', default: '30' },
    rotations: { type: 'string', default: '0,90,180,270' },
    'date-order': { type: 'string', default: 'DMY' },
    'label-order': { type: 'string' },
    workers: { type: 'string', default: '2' },
    engine: { type: 'string', default: 'tesseract' },
  },
});
const dir = resolve(positionals[0] ?? '../shared/receipts/sroie');
const dateOrder = values['date-order'].toUpperCase() as DateOrder;
const rotations = values.rotations.split(',').map(Number) as Turn[];
const workers = Number(values.workers);
if ((dateOrder !== 'DMY' && dateOrder !== 'MDY') || rotations.some((r) => ![0, 90, 180, 270].includes(r)) || !(workers >= 1)) {
  console.error(
    'usage: npm run bench:orientation -- [DIR] [--limit N] [--rotations 0,90,180,270] [--date-order DMY|MDY] [--label-order DMY|MDY|either] [--workers N]',
  );
  process.exit(2);
}

const limit = Number(values.limit);
const names = (await readdir(join(dir, 'images'))).filter((f) => MIME[extname(f).toLowerCase()]).sort();
const sample = limit > 0 ? names.slice(0, limit) : names;
const labels = await loadLabels(dir, (values['label-order'] as LabelOrder | undefined) ?? dateOrder);
const tesseract = values.engine === 'tesseract' ? createTesseractEngine({ workers }) : undefined;
const engine = tesseract ?? createPaddleEngine();
// PP-OCR reads each page once: its turn comes from the same reading.
const recognitions = () => tesseract?.stats().recognitions ?? 0;
const stem = (name: string) => basename(name, extname(name));
/** The turn at which the engine reads the right way up a page the bench turned by `rotation`. */
const uprightTurn = (rotation: Turn): Turn => ((360 - rotation) % 360) as Turn;

const same = (a: ExtractedFields, b: ExtractedFields) => a.totalMinor === b.totalMinor && a.date === b.date;
const upright = new Map<string, ExtractedFields>();
try {
  for (const rotation of rotations) {
    const results = new Map<string, { fields: ExtractedFields; ocrText: string }>();
    let rightWayUp = 0;
    let wrongTurns = 0;
    let agree = 0;
    const before = recognitions();
    const queue = new PQueue({ concurrency: workers });
    const t0 = performance.now();
    for (const name of sample) {
      void queue.add(async () => {
        const pages = await preparePages(join(dir, 'images', name), MIME[extname(name).toLowerCase()]!);
        const turned = await Promise.all(pages.map((p) => (rotation === 0 ? p : turnedPage(p, rotation))));
        const ocr: OcrResult = await engine.recognize({ path: name, mime: 'image/png', size: 0, prepare: async () => turned });
        const turn = ocr.pages?.[0]?.turn ?? 0;
        if (turn === uprightTurn(rotation)) rightWayUp++;
        else if (turn !== 0) wrongTurns++;
        const fields = extractFields(ocr, { dateOrder, defaultCurrency: 'USD' });
        results.set(stem(name), { fields, ocrText: ocr.text });
        if (rotation === 0) upright.set(stem(name), fields);
        else if (upright.has(stem(name)) && same(upright.get(stem(name))!, fields)) agree++;
      });
    }
    await queue.onIdle();
    const seconds = (performance.now() - t0) / 1000;
    const perReceipt = tesseract ? `recognitions per receipt ${((recognitions() - before) / sample.length).toFixed(2)}, ` : '';
    console.log(
      `rotation ${rotation}°: ${sample.length} receipts, read the right way up ${rightWayUp}/${sample.length}, turned wrongly ${wrongTurns}`,
    );
    console.log(`  ${perReceipt}${(seconds / sample.length).toFixed(2)} s per receipt (${workers} at once)`);
    if (rotation !== 0 && upright.size > 0) console.log(`  same total and date as the upright reading: ${agree}/${upright.size}`);
    console.log(formatScore(`  ${basename(dir)} at ${rotation}°`, scoreSet(labels, results)).replace(/\n/g, '\n  '));
  }
} finally {
  await engine.close();
}
