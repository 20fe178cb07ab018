import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptFileError } from '../ingest/errors';
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

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

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
    expect(first!.words.map((w) => w.text)).toEqual(['CORNER', 'CAFE']);
    // The ' operator moves one leading (14 pt) down from y 780 before the first line; 842 pt page.
    expect(first!.bbox.y1).toBeCloseTo(842 - (780 - 14), 0);
    expect(last!.bbox.y0).toBeGreaterThan(first!.bbox.y1);
    const [cafe0, cafe1] = first!.words;
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
});
