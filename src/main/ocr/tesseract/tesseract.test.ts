// Real tesseract.js workers on generated receipts; kept to a handful of small images (CI has 2 cores).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReceiptImage, type ReceiptImageOptions } from '../../testing/receipt-image';
import type { OcrInput } from '../engine';
import { preparePages } from '../prepare';
import { createTesseractEngine, type TesseractEngine } from './tesseract';

const LINES = ['CORNER CAFE', '12 Main St', 'Date: 14/03/2024', 'Latte 4.50', 'Muffin 3.20', 'SUBTOTAL 7.70', 'TAX 0.62', 'TOTAL 8.32'];

let dir: string;
let engine: TesseractEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tesseract-'));
  engine = createTesseractEngine({ workers: 2 });
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

async function receiptInput(name: string, options: ReceiptImageOptions = {}): Promise<OcrInput & { prepares: number }> {
  const path = join(dir, name);
  await writeReceiptImage(path, LINES, options);
  const mime = options.format === 'jpeg' ? 'image/jpeg' : 'image/png';
  const input = {
    path,
    mime,
    size: (await stat(path)).size,
    prepares: 0,
    prepare: () => {
      input.prepares++;
      return preparePages(path, mime);
    },
  };
  return input;
}

describe('tesseract engine', () => {
  it('reads a receipt into lines and words with boxes and confidences, reporting progress', async () => {
    const progress: number[] = [];
    const result = await engine.recognize(await receiptInput('plain.png'), {
      onProgress: (f) => progress.push(f),
    });
    expect(result.engine).toBe('tesseract');
    expect(result.text).toContain('CORNER CAFE');
    expect(result.text).toMatch(/TOTAL 8\.32$/);
    expect(result.lines.map((l) => l.text)).toEqual(LINES);
    expect(result.confidence).toBeGreaterThan(0.7);
    for (const line of result.lines) {
      expect(line.bbox.x1).toBeGreaterThan(line.bbox.x0);
      expect(line.bbox.y1).toBeGreaterThan(line.bbox.y0);
      expect(line.bbox.x1).toBeLessThanOrEqual(result.width);
      expect(line.bbox.y1).toBeLessThanOrEqual(result.height);
      for (const word of line.words!) {
        expect(word.confidence).toBeGreaterThan(0);
        expect(word.confidence).toBeLessThanOrEqual(1);
        expect(word.bbox.x0).toBeGreaterThanOrEqual(line.bbox.x0);
        expect(word.bbox.x1).toBeLessThanOrEqual(line.bbox.x1);
      }
    }
    // Lines come top to bottom.
    const tops = result.lines.map((l) => l.bbox.y0);
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
    const total = result.lines.at(-1)!.words!;
    expect(total.map((w) => w.text)).toEqual(['TOTAL', '8.32']);
    expect(total[1].bbox.x0).toBeGreaterThan(total[0].bbox.x1);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
  });

  it('reads a noisy sideways phone photo once prepare has applied its EXIF orientation', async () => {
    const result = await engine.recognize(await receiptInput('sideways.jpg', { format: 'jpeg', exifOrientation: 6, noise: true }));
    expect(result.text).toContain('CORNER CAFE');
    expect(result.text).toContain('TOTAL 8.32');
    expect(result.width).toBeGreaterThan(result.height);
  });

  it('reuses its workers across calls, never starting more than asked for', async () => {
    const before = engine.stats();
    const inputs = await Promise.all([1, 2, 3, 4].map((i) => receiptInput(`reuse-${i}.png`, { width: 400 })));
    const results = await Promise.all(inputs.map((input) => engine.recognize(input)));
    for (const r of results) expect(r.text).toContain('8.32');
    const after = engine.stats();
    expect(after.workersStarted).toBeLessThanOrEqual(2);
    expect(after.workersAlive).toBe(after.workersStarted);
    expect(after.recognitions).toBe(before.recognitions + 4);
  });

  it('reads a multi-page input page by page, as one document with the pages stacked in order', async () => {
    const [one, two] = await Promise.all([
      receiptInput('page-1.png', { width: 500 }),
      (async () => {
        const path = join(dir, 'page-2.png');
        await writeReceiptImage(path, ['SUBTOTAL 7.70', 'TAX 0.62', 'TOTAL 8.32'], { width: 500 });
        return preparePages(path, 'image/png');
      })(),
    ]);
    const pages = [...(await one.prepare()), ...two];
    const before = engine.stats().recognitions;
    const progress: number[] = [];
    const result = await engine.recognize({ ...one, prepare: async () => pages }, { onProgress: (f) => progress.push(f) });
    expect(engine.stats().recognitions).toBe(before + 2);
    expect(result.lines.map((l) => l.text)).toEqual([...LINES, 'SUBTOTAL 7.70', 'TAX 0.62', 'TOTAL 8.32']);
    expect([result.width, result.height]).toEqual([pages[0]!.width, pages[0]!.height + pages[1]!.height]);
    // Page two's lines sit below page one.
    expect(result.lines[LINES.length]!.bbox.y0).toBeGreaterThanOrEqual(pages[0]!.height);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
  });

  it('rejects an already aborted request without preparing the image', async () => {
    const input = await receiptInput('aborted.png');
    const controller = new AbortController();
    controller.abort();
    await expect(engine.recognize(input, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(input.prepares).toBe(0);
  });

  it('abandons a recognition that is aborted midway and keeps serving others', async () => {
    const controller = new AbortController();
    const aborted = engine.recognize(await receiptInput('midway.png'), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const next = await engine.recognize(await receiptInput('after-abort.png'));
    expect(next.text).toContain('TOTAL 8.32');
  });
});

describe('tesseract engine lifecycle', () => {
  it('replaces a worker after recycleAfter recognitions', async () => {
    const recycling = createTesseractEngine({ workers: 1, recycleAfter: 2 });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await recycling.recognize(await receiptInput(`recycle-${i}.png`, { width: 400 }));
        expect(r.text).toContain('8.32');
      }
      expect(recycling.stats()).toMatchObject({ workersStarted: 2, workersAlive: 1, recognitions: 3 });
    } finally {
      await recycling.close();
    }
  });

  it('close() ends every worker, fails queued work and refuses new work', async () => {
    const closing = createTesseractEngine({ workers: 1 });
    await closing.recognize(await receiptInput('before-close.png', { width: 400 }));
    expect(closing.stats().workersAlive).toBe(1);
    const [running, queued] = await Promise.all([1, 2].map((i) => receiptInput(`pending-${i}.png`)));
    // Once the first is being recognised, a second one queues behind it for the only worker; close
    // midway through the first. Both must fail as closed, not hang or finish.
    let second: Promise<unknown> | undefined;
    let closed: Promise<void> | undefined;
    let events = 0;
    const first = closing.recognize(running, {
      onProgress: () => {
        events++;
        second ??= closing.recognize(queued);
        if (events === 3) closed = closing.close();
      },
    });
    await expect(first).rejects.toThrow(/closed/);
    await expect(second).rejects.toThrow(/closed/);
    await closed;
    expect(closing.stats().workersAlive).toBe(0);
    await expect(closing.recognize(await receiptInput('after-close.png'))).rejects.toThrow(/closed/);
  });

  it('fails with a clear message when the language data is missing', async () => {
    const broken = createTesseractEngine({ workers: 1, langPath: dir });
    try {
      await expect(broken.recognize(await receiptInput('no-lang.png'))).rejects.toThrow(
        /Could not start the OCR engine: English language data is missing/,
      );
    } finally {
      await broken.close();
    }
  });
});
