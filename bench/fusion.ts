// npm run bench:fusion [-- DIR] [--limit N] — what rewriting the PP-OCR models' activations as they load
// (`src/main/ocr/paddle/fuse-activations.ts`) saves: the bare engine reads each scan with the packaged
// graphs and with the rewritten ones, alternating which goes first so the machine's drift falls on both,
// and compares the text of every line. Default DIR: ../shared/receipts/sroie/images; N: 40.
import { parseArgs } from 'node:util';
import { readReceiptFile } from '../src/main/ingest/read';
import { createPaddleEngine } from '../src/main/ocr/paddle/paddle-engine';
import { readOnce, scanImages } from './scan-images';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { limit: { type: 'string' } } });
const limit = Number(values.limit ?? 40);
const { dir, images: all } = scanImages(positionals[0]);
const images = all.slice(0, limit);

const engines = { packaged: createPaddleEngine({ fuseActivations: false }), fused: createPaddleEngine() };
type Side = keyof typeof engines;
try {
  const files = await Promise.all(images.map((path) => readReceiptFile(path)));
  const read = (side: Side, file: (typeof files)[number]) => readOnce(engines[side], file);
  // Models loaded and warm on both sides before timing.
  await read('packaged', files[0]!);
  await read('fused', files[0]!);
  const ms: Record<Side, number> = { packaged: 0, fused: 0 };
  let sameReceipts = 0;
  let lines = 0;
  const differing: string[] = [];
  for (const [i, file] of files.entries()) {
    const text = {} as Record<Side, string[]>;
    for (const side of (i % 2 ? ['fused', 'packaged'] : ['packaged', 'fused']) as Side[]) {
      const t0 = performance.now();
      const result = await read(side, file);
      ms[side] += performance.now() - t0;
      text[side] = result.lines.map((l) => l.text);
    }
    lines += text.packaged.length;
    if (text.packaged.join('\n') === text.fused.join('\n')) sameReceipts++;
    else differing.push(`${file.path}: ${text.packaged.filter((l, k) => l !== text.fused[k]).length} lines`);
  }
  const n = files.length;
  console.log(`${n} receipts from ${dir}, one at a time, each read by both`);
  console.log(`packaged models: ${(ms.packaged / n).toFixed(0)} ms a receipt`);
  console.log(
    `rewritten models: ${(ms.fused / n).toFixed(0)} ms a receipt (${((1 - ms.fused / ms.packaged) * 100).toFixed(1)}% less time)`,
  );
  console.log(`same text: ${sameReceipts} of ${n} receipts (${lines} lines)`);
  for (const d of differing) console.log(`  differs: ${d}`);
} finally {
  await Promise.all(Object.values(engines).map((e) => e.close()));
}
