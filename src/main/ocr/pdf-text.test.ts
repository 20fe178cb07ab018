import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptFileError } from '../ingest/errors';
import { spinningPdf } from '../testing/hostile-corpus';
import { textPdf } from '../testing/text-pdf';
import { readPdfText } from './pdf-text';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdf-text-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = async (name: string, data: Buffer) => {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('readPdfText', () => {
  it('reads lines in order with top-left boxes', async () => {
    const path = await write('r.pdf', textPdf(['CORNER CAFE', '12/03/2024', 'Latte 4.50', 'TOTAL 8.32']));
    const pages = await readPdfText(path);
    expect(pages).toHaveLength(1);
    const result = pages[0];
    expect(result?.text).toBe('CORNER CAFE\n12/03/2024\nLatte 4.50\nTOTAL 8.32');
    expect(result?.engine).toBe('pdf-text');
    expect([result?.width, result?.height]).toEqual([300, 842]);
    const [first, , , last] = result!.lines;
    expect(first!.words!.map((w) => w.text)).toEqual(['CORNER', 'CAFE']);
    // The ' operator moves one leading (14 pt) down from y 780 before the first line; 842 pt page.
    expect(first!.bbox.y1).toBeCloseTo(842 - (780 - 14), 0);
    expect(last!.bbox.y0).toBeGreaterThan(first!.bbox.y1);
    const [cafe0, cafe1] = first!.words!;
    expect(cafe1!.bbox.x0).toBeGreaterThan(cafe0!.bbox.x1);
    expect(cafe0!.bbox.x0).toBeCloseTo(40, 0);
  });

  it('gives null for a page without a text layer', async () => {
    expect(await readPdfText(await write('empty.pdf', textPdf([])))).toEqual([null]);
  });

  it('refuses a password-protected PDF clearly', async () => {
    const err = await failure(readPdfText(await write('locked.pdf', textPdf(['TOTAL 1.00'], { encrypt: true }))));
    expect(err).toBeInstanceOf(ReceiptFileError);
    expect((err as Error).message).toBe('Password-protected PDFs are not supported');
  });

  it('reports a garbage PDF as unreadable', async () => {
    const err = await failure(readPdfText(await write('bad.pdf', Buffer.from('%PDF-1.4\nnot really a pdf\n'))));
    expect(err).toBeInstanceOf(ReceiptFileError);
    expect((err as ReceiptFileError).code).toBe('unreadable');
    expect((err as Error).message).toMatch(/^The PDF could not be read: /);
  });

  it('refuses PDFs with more pages than the cap', async () => {
    const err = await failure(readPdfText(await write('long.pdf', textPdf(['TOTAL 1.00'])), { pageCap: 0 }));
    expect((err as ReceiptFileError).code).toBe('too_large');
  });

  // pdfjs never yields while it works through this one; on the calling thread no timer could stop it.
  it('stops a PDF that keeps the parser busy at its time limit, with timers still firing', async () => {
    const path = await write('spin.pdf', spinningPdf());
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const start = performance.now();
    const err = await failure(readPdfText(path, { timeoutMs: 1500 }));
    clearInterval(ticker);
    expect(err).toMatchObject({ code: 'unreadable', message: 'The PDF took longer than 1.5 s to read' });
    expect(performance.now() - start).toBeLessThan(5000);
    expect(ticks).toBeGreaterThan(10);
  });

  it("stops when its signal aborts, with the signal's reason", async () => {
    const path = await write('spin2.pdf', spinningPdf());
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled by the person')), 300);
    const err = await failure(readPdfText(path, { signal: controller.signal }));
    expect((err as Error).message).toBe('cancelled by the person');
  });

  it('reads the next PDF normally after one was stopped, and the one after that', async () => {
    const path = await write('after.pdf', textPdf(['AFTER THE SPIN', 'TOTAL 2.00']));
    expect((await readPdfText(path))[0]?.text).toBe('AFTER THE SPIN\nTOTAL 2.00');
    expect((await readPdfText(path))[0]?.text).toBe('AFTER THE SPIN\nTOTAL 2.00');
  });
});
