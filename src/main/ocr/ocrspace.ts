// OCR.space cloud engine (opt-in). Sends one receipt per request as multipart/form-data, streamed from
// disk, to https://api.ocr.space/parse/image or a self-hosted server speaking the same protocol.
//
// Privacy: this engine is only built when the user chose OCR.space AND stored a key; the factory refuses
// to build without a key, so with the engine off or no key no request is ever made. What is sent: the
// receipt file (or a shrunken JPEG copy when it is over the size limit), a generic file name
// ("receipt.jpg", never the local name or path), the OCR options below, and the key in the `apikey` header.
import { stat } from 'node:fs/promises';
import got, { RequestError, TimeoutError, UploadError } from 'got';
import sharp from 'sharp';
import type { OcrEngine, OcrInput, OcrOptions, OcrResult, PreparedImage } from './engine';
import { readOnce } from './read-once';
import { stackPages } from './stack-pages';
import { errorText, OCRSPACE_CONFIDENCE, ocrSpaceResponseSchema, readPages, type OcrSpaceResponse } from './ocrspace-response';
import { ReceiptFileError } from '../ingest/errors';
import { ocrSpaceUrlProblem } from '../../shared/contract';
import { multipartBody, type MultipartBody } from '../net/multipart';
import { createRateLimiter } from '../net/rate-limit';
import { backoffDelay, parseRetryAfter, sleep } from '../net/retry';

export const DEFAULT_OCRSPACE_URL = 'https://api.ocr.space/parse/image';

/** The key was refused. The whole batch should stop and show this once; the engine sends nothing more. */
export class OcrAuthError extends Error {
  readonly code = 'ocr_auth';
  constructor(message: string) {
    super(message);
    this.name = 'OcrAuthError';
  }
}

export interface OcrSpaceOptions {
  /** Endpoint: a self-hosted compatible server, or DEFAULT_OCRSPACE_URL when omitted or ''. http or https. */
  url?: string;
  apiKey: string;
  /** Uploads at once, 1–5 (default 3). */
  maxInFlight?: number;
  /** Requests started in any rolling minute, retries included (default 60). */
  requestsPerMinute?: number;
  timeouts?: {
    /** TCP/TLS connection set-up (default 10 s). */
    connectMs?: number;
    /** One whole attempt: upload, OCR on the server, answer (default 120 s). */
    totalMs?: number;
  };
  retries?: {
    /** Retries after the first attempt, on network errors, timeouts, 408, 429, 5xx (default 3). */
    limit?: number;
    /** Backoff before the first retry, doubled each time, with full jitter (default 1 s). */
    baseDelayMs?: number;
    /** Longest backoff between attempts (default 30 s). */
    maxDelayMs?: number;
    /** A Retry-After longer than this fails the file instead of holding the batch (default 120 s). */
    maxRetryAfterMs?: number;
  };
  /** OCR.space language code (default 'eng'). */
  language?: string;
  /** OCR.space engine 1 or 2 (default 2: better with numbers and mixed fonts on receipts). */
  ocrEngine?: 1 | 2;
  /** Largest file the service accepts, in bytes (default 1 MiB, the free tier). */
  fileSizeLimit?: number;
}

// OCR.space's `filetype` for each type it reads; anything else is sent as a prepared image.
const FILETYPES: Record<string, { filetype: string; ext: string }> = {
  'image/jpeg': { filetype: 'JPG', ext: 'jpg' },
  'image/png': { filetype: 'PNG', ext: 'png' },
  'application/pdf': { filetype: 'PDF', ext: 'pdf' },
  'image/tiff': { filetype: 'TIF', ext: 'tif' },
  'image/gif': { filetype: 'GIF', ext: 'gif' },
  'image/bmp': { filetype: 'BMP', ext: 'bmp' },
};

/** A JSON answer larger than this is not an OCR result; stop reading it. */
const MAX_ANSWER_BYTES = 20 * 1024 * 1024;
const RETRYABLE_CODES = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
// A 401/403 that talks about call counts is OCR.space's quota ("maximum 180 number of times within
// 3600 seconds"), not a bad key.
const QUOTA_WORDS = /maximum|number of times|rate limit|too many|quota/i;
const KEY_WORDS = /api ?key/i;

/** What gets uploaded for one receipt. */
interface Upload {
  body: MultipartBody;
  /** Size of the image the word boxes will refer to, when known before OCR. */
  width: number;
  height: number;
  notes: string[];
  /** The file's page (1-based) the upload is, when it is a prepared page. */
  filePage?: number;
}

/** One attempt's outcome that is worth another try. */
class Transient extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function createOcrSpaceEngine(options: OcrSpaceOptions): OcrEngine {
  if (!options.apiKey?.trim()) {
    throw new Error('OCR.space needs an API key: add one in Settings, or use the local (offline) engine');
  }
  let url: URL;
  try {
    url = new URL(options.url || DEFAULT_OCRSPACE_URL);
  } catch {
    throw new Error(`OCR.space address is not a valid link: ${options.url}`);
  }
  // The key goes with every request: never in clear text over a network.
  const problem = ocrSpaceUrlProblem(url.href);
  if (problem) throw new Error(`OCR.space address ${url.origin}: ${problem}`);
  const maxInFlight = options.maxInFlight ?? 3;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 5) {
    throw new RangeError(`maxInFlight must be 1–5, got ${maxInFlight}`);
  }
  const apiKey = options.apiKey.trim();
  const connectMs = options.timeouts?.connectMs ?? 10_000;
  const totalMs = options.timeouts?.totalMs ?? 120_000;
  const retryLimit = options.retries?.limit ?? 3;
  const backoff = {
    baseDelayMs: options.retries?.baseDelayMs ?? 1000,
    maxDelayMs: options.retries?.maxDelayMs ?? 30_000,
  };
  const maxRetryAfterMs = options.retries?.maxRetryAfterMs ?? 120_000;
  const fileSizeLimit = options.fileSizeLimit ?? 1024 * 1024;
  const fields = {
    language: options.language ?? 'eng',
    OCREngine: String(options.ocrEngine ?? 2),
    isOverlayRequired: 'true',
    isTable: 'true',
    scale: 'true',
    detectOrientation: 'true',
  };
  const limiter = createRateLimiter({ maxInFlight, requestsPerMinute: options.requestsPerMinute ?? 60 });
  const closing = new AbortController();
  let authError: OcrAuthError | undefined;

  /** One HTTP request. Returns the parsed answer, or throws Transient / a final error. */
  async function send(upload: Upload, signal: AbortSignal, onUpload: (fraction: number) => void) {
    // Checked again here: attempts queued behind the one that found a bad key must not go out.
    if (authError) throw authError;
    const request = got.post(url, {
      body: upload.body.open(),
      headers: {
        apikey: apiKey,
        accept: 'application/json',
        'content-type': upload.body.contentType,
        'content-length': String(upload.body.contentLength),
      },
      timeout: { connect: connectMs, secureConnect: connectMs, request: totalMs },
      retry: { limit: 0 },
      followRedirect: false,
      throwHttpErrors: false,
      signal,
    });
    request.on('uploadProgress', (progress) => {
      if (progress.total) onUpload(progress.transferred / progress.total);
    });
    request.on('downloadProgress', (progress) => {
      if (progress.transferred > MAX_ANSWER_BYTES) request.cancel('answer too large');
    });

    let response;
    try {
      response = await request;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof UploadError) {
        throw new ReceiptFileError(`Could not read the file to upload it: ${error.message}`, 'unreadable');
      }
      if (error instanceof TimeoutError) {
        throw new Transient(`OCR.space did not answer in time (${error.event} timeout)`);
      }
      if (error instanceof RequestError && error.code && RETRYABLE_CODES.has(error.code)) {
        throw new Transient(`network error talking to OCR.space (${error.code})`);
      }
      if (error instanceof RequestError && error.name === 'CancelError') {
        throw new ReceiptFileError('OCR.space sent an answer over 20 MB; it is not an OCR result', 'ocr_failed');
      }
      throw error;
    }

    const status = response.statusCode;
    const body = response.body;
    if (status === 401 || status === 403) {
      const said = body.slice(0, 300).trim();
      if (QUOTA_WORDS.test(said)) {
        throw new ReceiptFileError(`OCR.space refused the request: ${said}`, 'ocr_rate_limited');
      }
      authError = new OcrAuthError(
        `OCR.space refused the API key (HTTP ${status}${said ? `: ${said}` : ''}). Check the key in Settings; no more receipts will be sent.`,
      );
      throw authError;
    }
    if (status === 429 || status === 408 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      throw new Transient(`OCR.space answered HTTP ${status}`, retryAfterMs);
    }
    if (status < 200 || status >= 300) {
      const where = status >= 300 && status < 400 ? ` (redirect to ${response.headers.location ?? '?'})` : '';
      throw new ReceiptFileError(`OCR.space answered HTTP ${status}${where}`, 'ocr_failed');
    }

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ReceiptFileError('OCR.space answered with something that is not JSON', 'ocr_failed');
    }
    const parsed = ocrSpaceResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new ReceiptFileError(
        `OCR.space answered in an unexpected shape (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`,
        'ocr_failed',
      );
    }
    return parsed.data;
  }

  async function recognize(input: OcrInput, ocrOptions: OcrOptions = {}): Promise<OcrResult> {
    if (authError) throw authError;
    if (closing.signal.aborted) throw new Error('The OCR.space engine is closed');
    const signal = ocrOptions.signal ? AbortSignal.any([ocrOptions.signal, closing.signal]) : closing.signal;
    let reported = 0;
    // Retries restart the upload; the bar never goes back.
    const report = (fraction: number) => {
      if (fraction > reported) {
        reported = fraction;
        ocrOptions.onProgress?.(fraction);
      }
    };

    // One request per upload: the file itself, or each prepared page, stacked into one document.
    const uploads = await prepareUploads(input, fields, fileSizeLimit);
    const results: OcrResult[] = [];
    for (const [i, upload] of uploads.entries()) {
      const answer = await sendWithRetries(upload, signal, (fraction) => report((i + fraction * 0.5) / uploads.length));
      results.push(toResult(answer, upload));
      report((i + 1) / uploads.length);
    }
    return stackPages(
      results,
      uploads.map((u) => u.filePage),
    );
  }

  /** Sends one upload, retrying transient failures with backoff (or as Retry-After says). */
  async function sendWithRetries(upload: Upload, signal: AbortSignal, onUpload: (fraction: number) => void): Promise<OcrSpaceResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await limiter.add(() => send(upload, signal, onUpload), { signal });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (!(error instanceof Transient)) throw error;
        if (attempt >= retryLimit) {
          throw new ReceiptFileError(`OCR.space is unavailable: ${error.message} (tried ${attempt + 1} times)`, 'ocr_unavailable');
        }
        if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) {
          throw new ReceiptFileError(
            `OCR.space asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s before the next request; try this file again later`,
            'ocr_rate_limited',
          );
        }
        await sleep(error.retryAfterMs ?? backoffDelay(attempt, backoff), signal);
      }
    }
  }

  function toResult(answer: OcrSpaceResponse, upload: Upload): OcrResult {
    const pages = readPages(answer);
    const said = errorText(answer);
    if (!pages || answer.OCRExitCode === 3 || answer.OCRExitCode === 4 || answer.OCRExitCode > 4) {
      if (KEY_WORDS.test(said)) {
        authError = new OcrAuthError(`OCR.space refused the API key: ${said}. Check the key in Settings; no more receipts will be sent.`);
        throw authError;
      }
      throw new ReceiptFileError(
        `OCR.space could not read this receipt${said ? `: ${said}` : ` (exit code ${answer.OCRExitCode})`}`,
        'ocr_failed',
      );
    }
    const notes = [...upload.notes];
    if (!pages.hasLayout) notes.push('OCR.space returned text without word positions; layout hints are unavailable');
    notes.push(
      `OCR.space reports no confidence; word confidence is taken as ${OCRSPACE_CONFIDENCE * 100}%, so the receipt's own checks decide`,
    );
    return {
      text: pages.text,
      confidence: pages.lines.length > 0 ? OCRSPACE_CONFIDENCE : 0,
      lines: pages.lines,
      // Boxes are never outside the image the result claims.
      width: Math.max(upload.width, pages.extent.width),
      height: Math.max(upload.height, pages.extent.height),
      engine: 'ocrspace',
      notes,
      ...(pages.unread.length > 0 ? { warnings: pages.unread } : {}),
    };
  }

  return {
    name: 'ocrspace',
    // Asked again OCR.space would be sent the same file and answer the same, at a cost.
    read: (input, readOptions) => readOnce(recognize, input, readOptions),
    recognize,
    async close() {
      closing.abort(new Error('The OCR.space engine is closed'));
      limiter.clear();
      await limiter.onIdle();
    },
  };
}

/**
 * What to send: the file itself, streamed, when OCR.space reads its type, it fits the size limit and
 * all of it is to be read; otherwise each prepared (oriented, bounded) page, re-encoded as JPEG until
 * it fits.
 */
async function prepareUploads(input: OcrInput, fields: Record<string, string>, fileSizeLimit: number): Promise<Upload[]> {
  const known = FILETYPES[input.mime];
  const { size } = await stat(input.path);
  if (known && size <= fileSizeLimit && !input.partOfFile) {
    const { width, height } = await orientedSize(input);
    return [
      {
        body: multipartBody(
          { ...fields, filetype: known.filetype },
          { field: 'file', filename: `receipt.${known.ext}`, contentType: input.mime, source: { path: input.path, size } },
        ),
        width,
        height,
        notes: [],
      },
    ];
  }
  const why = input.partOfFile
    ? 'Only some pages of the PDF needed OCR'
    : known
      ? `The file is ${megabytes(size)}, over the ${megabytes(fileSizeLimit)} OCR.space limit`
      : `OCR.space does not read ${input.mime}`;
  const pages = await input.prepare();
  const uploads: Upload[] = [];
  for (const page of pages) uploads.push({ ...(await pageUpload(page, why, fields, fileSizeLimit)), filePage: page.filePage });
  return uploads;
}

async function pageUpload(prepared: PreparedImage, why: string, fields: Record<string, string>, fileSizeLimit: number): Promise<Upload> {
  if (prepared.data.length <= fileSizeLimit) {
    const type = FILETYPES[prepared.mime];
    return {
      body: multipartBody(
        { ...fields, filetype: type.filetype },
        { field: 'file', filename: `receipt.${type.ext}`, contentType: prepared.mime, source: { data: prepared.data } },
      ),
      width: prepared.width,
      height: prepared.height,
      notes: [`${why}: sent the prepared ${prepared.width}×${prepared.height} image instead`],
    };
  }

  const shrunk = await shrinkToJpeg(prepared.data, prepared.width, fileSizeLimit);
  if (!shrunk) {
    throw new ReceiptFileError(`${why}, and even a small JPEG copy did not fit under ${megabytes(fileSizeLimit)}`, 'too_large');
  }
  return {
    body: multipartBody(
      { ...fields, filetype: 'JPG' },
      { field: 'file', filename: 'receipt.jpg', contentType: 'image/jpeg', source: { data: shrunk.data } },
    ),
    width: shrunk.width,
    height: shrunk.height,
    notes: [`${why}: sent a ${shrunk.width}×${shrunk.height} JPEG copy at quality ${shrunk.quality} (${megabytes(shrunk.data.length)})`],
  };
}

/** Lower the JPEG quality first (keeps detail OCR needs), then the size, until the bytes fit. */
async function shrinkToJpeg(image: Buffer, width: number, limit: number) {
  for (const scale of [1, 0.75, 0.5, 0.35]) {
    for (const quality of [85, 70, 55, 40]) {
      const { data, info } = await sharp(image)
        .resize({ width: Math.max(1, Math.round(width * scale)) })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality })
        .toBuffer({ resolveWithObject: true });
      if (data.length <= limit) return { data, width: info.width, height: info.height, quality };
    }
  }
  return undefined;
}

/** Upright pixel size of an image file from its header, 0×0 when sharp cannot tell (e.g. PDF). */
async function orientedSize(input: OcrInput): Promise<{ width: number; height: number }> {
  if (!input.mime.startsWith('image/')) return { width: 0, height: 0 };
  try {
    const meta = await sharp(input.path).metadata();
    return meta.autoOrient ?? { width: meta.width ?? 0, height: meta.height ?? 0 };
  } catch {
    return { width: 0, height: 0 };
  }
}
