// The OCR.space engine against a real HTTP server on 127.0.0.1 that speaks the OCR.space protocol and
// records what it actually received (multipart parsed by undici's own FormData parser, not ours).
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { extractFields } from '../extract/extract';
import type { OcrInput } from './engine';
import { preparedInput, preparePages } from './prepare';
import { renderReceiptImage } from '../testing/receipt-image';
import { scannedPdf } from '../testing/scanned-pdf';
import { noisePng } from '../testing/noise';
import { createOcrSpaceEngine, DEFAULT_OCRSPACE_URL, OcrAuthError, type OcrSpaceOptions } from './ocrspace';
import { ReceiptFileError } from '../ingest/errors';
import { listenLocal, parseFormData, readBody, type LocalServer } from '../net/test-server';

interface Received {
  headers: IncomingHttpHeaders;
  bodyLength: number;
  fields: Record<string, string>;
  file?: { name: string; type: string; bytes: Buffer };
  at: number;
}

type Reply = { status?: number; headers?: Record<string, string>; body: string | object } | 'reset' | 'hang';

interface FakeOcrSpace {
  url: string;
  received: Received[];
  maxConcurrent: number;
}

let dir: string;
let servers: LocalServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocrspace-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** A server that answers request n (0-based) with reply(n). */
async function fakeOcrSpace(reply: (n: number, received: Received) => Reply): Promise<FakeOcrSpace> {
  const state: FakeOcrSpace = { url: '', received: [], maxConcurrent: 0 };
  let concurrent = 0;
  const server = await listenLocal(async (req, res) => {
    concurrent++;
    state.maxConcurrent = Math.max(state.maxConcurrent, concurrent);
    res.on('close', () => concurrent--);
    const body = await readBody(req);
    const form = await parseFormData(req.headers['content-type'] ?? '', body);
    const received: Received = { headers: req.headers, bodyLength: body.length, fields: {}, at: Date.now() };
    for (const [name, value] of form) {
      if (typeof value === 'string') received.fields[name] = value;
      else received.file = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
    }
    const n = state.received.push(received) - 1;
    const answer = reply(n, received);
    if (answer === 'reset') return req.socket.destroy();
    if (answer === 'hang') return;
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(text);
  });
  servers.push(server);
  state.url = `${server.origin}/parse/image`;
  return state;
}

const word = (WordText: string, Left: number, Top: number, Width = 40, Height = 12) => ({
  WordText,
  Left,
  Top,
  Width,
  Height,
});

const page = (lines: { LineText: string; Words: ReturnType<typeof word>[] }[], exit = 1) => ({
  TextOverlay: { Lines: lines, HasOverlay: true, Message: `Total lines: ${lines.length}` },
  TextOrientation: '0',
  FileParseExitCode: exit,
  ParsedText: lines.map((line) => line.LineText).join('\r\n'),
  ErrorMessage: '',
  ErrorDetails: '',
});

const SUCCESS = {
  ParsedResults: [
    page([
      { LineText: 'CAFE LUNA', Words: [word('CAFE', 10, 5), word('LUNA', 55, 5)] },
      { LineText: 'TOTAL 12.50', Words: [word('TOTAL', 10, 40, 50), word('12.50', 120, 41, 45, 13)] },
    ]),
  ],
  OCRExitCode: 1,
  IsErroredOnProcessing: false,
  ProcessingTimeInMilliseconds: '343',
  SearchablePDFURL: 'Searchable PDF not generated as it was not requested.',
};

const ok: Reply = { body: SUCCESS };

/** A real image on disk and an OcrInput for it, prepared by the real prepare step. */
async function receiptFile(name: string, image: Sharp, mime: string): Promise<OcrInput> {
  const path = join(dir, name);
  await writeFile(path, await image.toBuffer());
  const { size } = await stat(path);
  return { path, mime, size, prepare: () => preparePages(path, mime) };
}

const smallPng = () =>
  receiptFile(
    `small-${Math.random()}.png`,
    sharp({ create: { width: 200, height: 80, channels: 3, background: '#ffffff' } }).png(),
    'image/png',
  );

/** Pseudo-random pixels do not compress: a PNG of several hundred KB. */
const noisyPng = (side: number): Promise<OcrInput> => receiptFile(`noisy-${side}.png`, noisePng(side), 'image/png');

const fast: Partial<OcrSpaceOptions> = {
  retries: { limit: 2, baseDelayMs: 5, maxDelayMs: 20 },
  timeouts: { connectMs: 2000, totalMs: 10_000 },
};

function engineFor(server: FakeOcrSpace, extra: Partial<OcrSpaceOptions> = {}) {
  return createOcrSpaceEngine({ url: server.url, apiKey: 'test-key-123', ...fast, ...extra });
}

describe('createOcrSpaceEngine', () => {
  it('refuses to exist without a key, so nothing can be sent', async () => {
    const server = await fakeOcrSpace(() => ok);
    expect(() => createOcrSpaceEngine({ url: server.url, apiKey: '' })).toThrow(/needs an API key/);
    expect(() => createOcrSpaceEngine({ url: server.url, apiKey: '   ' })).toThrow(/needs an API key/);
    expect(server.received).toHaveLength(0);
  });

  it('refuses non-http addresses and out-of-range concurrency', () => {
    expect(() => createOcrSpaceEngine({ url: 'ftp://example.com/x', apiKey: 'k' })).toThrow(/https:\/\//);
    // The key goes with every request: plain http only to this computer.
    expect(() => createOcrSpaceEngine({ url: 'http://api.ocr.space/parse/image', apiKey: 'k' })).toThrow(
      'OCR.space address http://api.ocr.space: expected https:// (plain http is accepted only for a service on this computer)',
    );
    expect(() => createOcrSpaceEngine({ url: 'http://localhost:8080/parse', apiKey: 'k' })).not.toThrow();
    expect(() => createOcrSpaceEngine({ url: DEFAULT_OCRSPACE_URL, apiKey: 'k', maxInFlight: 9 })).toThrow(/1–5/);
    expect(() => createOcrSpaceEngine({ url: 'not a link', apiKey: 'k' })).toThrow(/not a valid link/);
    expect(DEFAULT_OCRSPACE_URL).toBe('https://api.ocr.space/parse/image');
  });
});

describe('OCR.space engine', () => {
  it('reads a receipt once, even one that fails the checks: asked again it would answer the same, for a fee', async () => {
    const server = await fakeOcrSpace(() => ok);
    const engine = engineFor(server);
    const input = preparedInput(await smallPng());
    const reading = await engine.read(input, { extract: (ocr) => extractFields(ocr, { dateOrder: 'DMY', defaultCurrency: 'USD' }) });
    await engine.close();

    expect(server.received).toHaveLength(1);
    expect(reading.fields).toMatchObject({ merchant: 'CAFE LUNA', totalMinor: 1250, date: null });
    expect(reading.ocr.engine).toBe('ocrspace');
  });

  it('streams the file with the documented fields and maps the overlay to lines, words and boxes', async () => {
    const server = await fakeOcrSpace(() => ok);
    const engine = engineFor(server, { language: 'ger', ocrEngine: 1 });
    const input = await smallPng();
    const progress: number[] = [];
    const result = await engine.recognize(input, { onProgress: (f) => progress.push(f) });
    await engine.close();

    expect(server.received).toHaveLength(1);
    const [got] = server.received;
    expect(got.headers.apikey).toBe('test-key-123');
    expect(Number(got.headers['content-length'])).toBe(got.bodyLength);
    expect(got.fields).toEqual({
      language: 'ger',
      OCREngine: '1',
      isOverlayRequired: 'true',
      isTable: 'true',
      scale: 'true',
      detectOrientation: 'true',
      filetype: 'PNG',
    });
    expect(got.file?.name).toBe('receipt.png');
    expect(got.file?.type).toBe('image/png');
    expect(got.file?.bytes.equals(await readFile(input.path))).toBe(true);

    expect(result.engine).toBe('ocrspace');
    expect(result.text).toBe('CAFE LUNA\nTOTAL 12.50');
    expect(result.lines.map((line) => line.words!.map((w) => w.text))).toEqual([
      ['CAFE', 'LUNA'],
      ['TOTAL', '12.50'],
    ]);
    expect(result.lines[1].words![1].bbox).toEqual({ x0: 120, y0: 41, x1: 165, y1: 54 });
    expect(result.lines[1].bbox).toEqual({ x0: 10, y0: 40, x1: 165, y1: 54 });
    expect(result.lines[0].words![0].confidence).toBe(0.75);
    expect([result.width, result.height]).toEqual([200, 80]);
    expect(result.notes?.join(' ')).toMatch(/no confidence/);

    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress).toContain(0.5);
  });

  it('sends a JPEG copy under the size limit when the file is too large, and says so', async () => {
    const server = await fakeOcrSpace(() => ok);
    const engine = engineFor(server, { fileSizeLimit: 60_000 });
    const input = await noisyPng(400);
    expect(input.size).toBeGreaterThan(60_000);
    const result = await engine.recognize(input);
    await engine.close();

    const [got] = server.received;
    expect(got.fields.filetype).toBe('JPG');
    expect(got.file?.name).toBe('receipt.jpg');
    expect(got.file?.type).toBe('image/jpeg');
    expect(got.file!.bytes.length).toBeLessThanOrEqual(60_000);
    const sent = await sharp(got.file!.bytes).metadata();
    expect(sent.format).toBe('jpeg');
    expect([result.width, result.height]).toEqual([sent.width, sent.height]);
    expect(result.notes?.[0]).toMatch(/over the .* OCR\.space limit: sent a \d+×\d+ JPEG copy at quality \d+/);
  });

  it('sends the prepared image for a type OCR.space does not read', async () => {
    const server = await fakeOcrSpace(() => ok);
    const engine = engineFor(server);
    const input = await receiptFile(
      'r.webp',
      sharp({ create: { width: 120, height: 60, channels: 3, background: '#fff' } }).webp(),
      'image/webp',
    );
    const result = await engine.recognize(input);
    await engine.close();
    expect(server.received[0].file?.type).toBe('image/png');
    expect(server.received[0].fields.filetype).toBe('PNG');
    expect(result.notes?.[0]).toMatch(/does not read image\/webp/);
  });

  it.each([
    ['a string', 3, 'Unable to recognize the file type'],
    ['an array', 4, ['E301: Timed out waiting for results', 'Please try again']],
  ])('fails the file with ErrorMessage as %s (OCRExitCode %i), without retrying', async (_shape, exit, message) => {
    const server = await fakeOcrSpace(() => ({
      body: { OCRExitCode: exit, IsErroredOnProcessing: true, ErrorMessage: message, ProcessingTimeInMilliseconds: '10' },
    }));
    const engine = engineFor(server);
    const error = await engine.recognize(await smallPng()).catch((e: unknown) => e);
    await engine.close();
    expect(error).toBeInstanceOf(ReceiptFileError);
    expect((error as ReceiptFileError).code).toBe('ocr_failed');
    expect((error as Error).message).toBe(
      `OCR.space could not read this receipt: ${Array.isArray(message) ? message.join('; ') : message}`,
    );
    expect(server.received).toHaveLength(1);
  });

  it('sends a small scanned PDF as the PDF itself', async () => {
    const server = await fakeOcrSpace(() => ok);
    const engine = engineFor(server);
    const path = join(dir, 'scan.pdf');
    await writeFile(path, await scannedPdf([{ image: await renderReceiptImage(['TOTAL 12.50'], { width: 300 }) }]));
    await engine.recognize(preparedInput({ path, mime: 'application/pdf', size: (await stat(path)).size }));
    await engine.close();
    expect(server.received).toHaveLength(1);
    expect(server.received[0].fields.filetype).toBe('PDF');
    expect(server.received[0].file?.bytes.equals(await readFile(path))).toBe(true);
  });

  it('sends each page of a PDF over the limit on its own and stacks the answers in page order', async () => {
    const second = { ...SUCCESS, ParsedResults: [page([{ LineText: 'TAX 1.00', Words: [word('TAX', 10, 5), word('1.00', 60, 5)] }])] };
    const server = await fakeOcrSpace((n) => ({ body: n === 0 ? SUCCESS : second }));
    const path = join(dir, 'two-pages.pdf');
    const image = await renderReceiptImage(['CAFE LUNA', 'TOTAL 12.50'], { width: 400 });
    await writeFile(path, await scannedPdf([{ image }, { image }]));
    const { size } = await stat(path);
    // One byte too many to send as it is; each prepared page fits.
    const engine = engineFor(server, { fileSizeLimit: size - 1 });
    const input = preparedInput({ path, mime: 'application/pdf', size });
    const progress: number[] = [];
    const result = await engine.recognize(input, { onProgress: (f) => progress.push(f) });
    await engine.close();
    expect(server.received).toHaveLength(2);
    const sent = await Promise.all(server.received.map((r) => sharp(r.file!.bytes).metadata()));
    expect(sent.map((m) => m.width)).toEqual([1000, 1000]);
    expect(result.text).toBe('CAFE LUNA\nTOTAL 12.50\nTAX 1.00');
    // The second answer's box (top 5 on its own page) sits below the whole first page.
    expect(result.lines[2].bbox.y0).toBe(sent[0]!.height! + 5);
    expect(result.notes?.[0]).toMatch(/over the .* OCR\.space limit: sent /);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress).toContain(0.5);
    expect(progress.at(-1)).toBe(1);
  });

  it('sends the prepared page, never the whole file, when only part of the file is to be read', async () => {
    const server = await fakeOcrSpace(() => ok);
    const engine = engineFor(server);
    const input = { ...(await smallPng()), partOfFile: true };
    const result = await engine.recognize(input);
    await engine.close();
    const [prepared] = await input.prepare();
    expect(server.received[0].file?.bytes.equals(prepared!.data)).toBe(true);
    expect(result.notes?.[0]).toMatch(/^Only some pages of the PDF needed OCR: sent the prepared/);
  });

  it('keeps the pages that parsed and warns of the one that did not (OCRExitCode 2)', async () => {
    const server = await fakeOcrSpace(() => ({
      body: {
        OCRExitCode: 2,
        IsErroredOnProcessing: false,
        ParsedResults: [
          page([{ LineText: 'PAGE ONE', Words: [word('PAGE', 0, 0), word('ONE', 50, 0)] }]),
          { FileParseExitCode: -10, ParsedText: '', ErrorMessage: '', ErrorDetails: '' },
          page([{ LineText: 'TOTAL 3.00', Words: [word('TOTAL', 0, 10), word('3.00', 50, 10)] }]),
        ],
      },
    }));
    const engine = engineFor(server);
    const result = await engine.recognize(await smallPng());
    await engine.close();
    expect(result.text).toBe('PAGE ONE\nTOTAL 3.00');
    // Page 3 sits below page 1 (whose lowest box ends at y=12).
    expect(result.lines[1].bbox.y0).toBe(22);
    expect(result.warnings).toEqual(['OCR.space could not read page 2: OCR engine parse error']);
    expect(result.notes).not.toContain('OCR.space could not read page 2: OCR engine parse error');
  });

  it('falls back to ParsedText lines when there is no overlay', async () => {
    const server = await fakeOcrSpace(() => ({
      body: {
        OCRExitCode: 1,
        IsErroredOnProcessing: false,
        ParsedResults: [
          {
            TextOverlay: { Lines: [], HasOverlay: false, Message: 'Text overlay is not provided' },
            FileParseExitCode: 1,
            ParsedText: 'SHOP\r\n\r\nTOTAL\t 9.99 \r\n',
          },
        ],
      },
    }));
    const engine = engineFor(server);
    const result = await engine.recognize(await smallPng());
    await engine.close();
    expect(result.text).toBe('SHOP\nTOTAL 9.99');
    expect(result.lines[1].words!.map((w) => w.text)).toEqual(['TOTAL', '9.99']);
    expect(result.notes?.join(' ')).toMatch(/without word positions/);
  });

  it('fails the file when no ParsedResults come back', async () => {
    const server = await fakeOcrSpace(() => ({ body: { OCRExitCode: 1, IsErroredOnProcessing: false } }));
    const engine = engineFor(server);
    await expect(engine.recognize(await smallPng())).rejects.toThrow(/could not read this receipt \(exit code 1\)/);
    await engine.close();
  });

  it('respects Retry-After on 429 and then succeeds', async () => {
    const server = await fakeOcrSpace((n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' } : ok));
    const engine = engineFor(server);
    const result = await engine.recognize(await smallPng());
    await engine.close();
    expect(result.text).toContain('TOTAL');
    expect(server.received).toHaveLength(2);
    // Our own backoff is at most 20 ms here; only Retry-After explains a wait of about a second.
    expect(server.received[1].at - server.received[0].at).toBeGreaterThanOrEqual(950);
  });

  it('fails the file instead of waiting when Retry-After is longer than allowed', async () => {
    const server = await fakeOcrSpace(() => ({ status: 429, headers: { 'retry-after': '3600' }, body: '' }));
    const engine = engineFor(server);
    const error = await engine.recognize(await smallPng()).catch((e: unknown) => e);
    await engine.close();
    expect((error as ReceiptFileError).code).toBe('ocr_rate_limited');
    expect((error as Error).message).toMatch(/wait 3600 s/);
    expect(server.received).toHaveLength(1);
  });

  it('retries a 500 and succeeds', async () => {
    const server = await fakeOcrSpace((n) => (n === 0 ? { status: 500, body: 'oops' } : ok));
    const engine = engineFor(server);
    await expect(engine.recognize(await smallPng())).resolves.toMatchObject({ text: 'CAFE LUNA\nTOTAL 12.50' });
    await engine.close();
    expect(server.received).toHaveLength(2);
  });

  it('gives up after the retry limit on persistent 503', async () => {
    const server = await fakeOcrSpace(() => ({ status: 503, body: 'down' }));
    const engine = engineFor(server);
    const error = await engine.recognize(await smallPng()).catch((e: unknown) => e);
    await engine.close();
    expect((error as ReceiptFileError).code).toBe('ocr_unavailable');
    expect((error as Error).message).toBe('OCR.space is unavailable: OCR.space answered HTTP 503 (tried 3 times)');
    expect(server.received).toHaveLength(3);
  });

  it('does not retry a 4xx that cannot succeed', async () => {
    const server = await fakeOcrSpace(() => ({ status: 400, body: 'bad request' }));
    const engine = engineFor(server);
    await expect(engine.recognize(await smallPng())).rejects.toThrow('OCR.space answered HTTP 400');
    await engine.close();
    expect(server.received).toHaveLength(1);
  });

  it('retries after the connection is reset', async () => {
    const server = await fakeOcrSpace((n) => (n === 0 ? 'reset' : ok));
    const engine = engineFor(server);
    await expect(engine.recognize(await smallPng())).resolves.toMatchObject({ engine: 'ocrspace' });
    await engine.close();
    expect(server.received).toHaveLength(2);
  });

  it('times out a server that never answers, retrying within the limit', async () => {
    const server = await fakeOcrSpace(() => 'hang');
    const engine = engineFor(server, { timeouts: { connectMs: 2000, totalMs: 300 }, retries: { limit: 1, baseDelayMs: 5 } });
    const error = await engine.recognize(await smallPng()).catch((e: unknown) => e);
    await engine.close();
    expect((error as ReceiptFileError).code).toBe('ocr_unavailable');
    expect((error as Error).message).toMatch(/did not answer in time \(request timeout\) \(tried 2 times\)/);
    expect(server.received).toHaveLength(2);
  });

  it('fails the file on an answer that is not JSON, without retrying', async () => {
    const server = await fakeOcrSpace(() => ({ body: '<html>Bad gateway</html>' }));
    const engine = engineFor(server);
    await expect(engine.recognize(await smallPng())).rejects.toThrow('OCR.space answered with something that is not JSON');
    await engine.close();
    expect(server.received).toHaveLength(1);
  });

  it('fails the file on JSON of the wrong shape', async () => {
    const server = await fakeOcrSpace(() => ({ body: { OCRExitCode: 'one', IsErroredOnProcessing: false } }));
    const engine = engineFor(server);
    await expect(engine.recognize(await smallPng())).rejects.toThrow(/unexpected shape \(OCRExitCode:/);
    await engine.close();
  });

  it('stops the whole batch after a refused key: one request, then fail fast without sending', async () => {
    const server = await fakeOcrSpace(() => ({ status: 403, body: 'The API key is invalid' }));
    const engine = engineFor(server, { maxInFlight: 1 });
    const inputs = await Promise.all([smallPng(), smallPng(), smallPng()]);
    const outcomes = await Promise.allSettled(inputs.map((input) => engine.recognize(input)));
    const later = await engine.recognize(await smallPng()).catch((e: unknown) => e);
    await engine.close();

    expect(server.received).toHaveLength(1);
    const errors = [...outcomes.map((o) => (o as PromiseRejectedResult).reason), later];
    for (const error of errors) expect(error).toBeInstanceOf(OcrAuthError);
    expect(new Set(errors).size).toBe(1);
    expect((later as Error).message).toMatch(/refused the API key \(HTTP 403: The API key is invalid\)/);
  });

  it('treats an "API key" processing error in a 200 answer as a refused key', async () => {
    const server = await fakeOcrSpace(() => ({
      body: { OCRExitCode: 99, IsErroredOnProcessing: true, ErrorMessage: ['API key invalid'] },
    }));
    const engine = engineFor(server);
    await expect(engine.recognize(await smallPng())).rejects.toBeInstanceOf(OcrAuthError);
    await expect(engine.recognize(await smallPng())).rejects.toBeInstanceOf(OcrAuthError);
    await engine.close();
    expect(server.received).toHaveLength(1);
  });

  it('treats a 403 about call limits as a per-file quota error, not a bad key', async () => {
    const server = await fakeOcrSpace((n) =>
      n === 0 ? { status: 403, body: 'You may only perform this action upto maximum 180 number of times within 3600 seconds' } : ok,
    );
    const engine = engineFor(server);
    await expect(engine.recognize(await smallPng())).rejects.toMatchObject({ code: 'ocr_rate_limited' });
    await expect(engine.recognize(await smallPng())).resolves.toMatchObject({ engine: 'ocrspace' });
    await engine.close();
    expect(server.received).toHaveLength(2);
  });

  it('keeps at most maxInFlight uploads open; one failure does not stop the others', async () => {
    const server = await fakeOcrSpace((n) => (n === 2 ? { status: 400, body: 'no' } : ok));
    const engine = engineFor(server, { maxInFlight: 2 });
    const inputs = await Promise.all(Array.from({ length: 6 }, () => smallPng()));
    const outcomes = await Promise.allSettled(inputs.map((input) => engine.recognize(input)));
    await engine.close();
    expect(server.received).toHaveLength(6);
    expect(server.maxConcurrent).toBeLessThanOrEqual(2);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
  });

  it('stops on cancel with the caller’s reason', async () => {
    const server = await fakeOcrSpace(() => 'hang');
    const engine = engineFor(server);
    const controller = new AbortController();
    const pending = engine.recognize(await smallPng(), { signal: controller.signal });
    while (server.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort(new Error('cancelled by user'));
    await expect(pending).rejects.toThrow('cancelled by user');
    await engine.close();
    expect(server.received).toHaveLength(1);
  });
});
