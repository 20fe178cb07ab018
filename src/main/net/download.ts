// Add a receipt from a link: download it safely into the app's receipt folder.
//
// Everything about the answer is distrusted: the status, type and length are checked before the body is
// read, the first bytes must be an image or PDF whatever the server claims, the size cap holds even when
// Content-Length lies, and the file name comes from the content's hash, never from the URL or
// Content-Disposition. The body goes to a `.part` file that is renamed into place only when complete and
// valid, and removed on every failure (and at the next start, after a crash). No hop, first or redirected,
// reaches a private, loopback or link-local address unless the pasted link named that address itself.
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import got, { RequestError, TimeoutError } from 'got';
import { ReceiptFileError } from '../ingest/errors';
import { formatBytes, MIB } from '../ingest/limits';
import { SNIFF_BYTES, SUPPORTED_TYPES } from '../ingest/read';
import { consentedHost, guardedLookup, PrivateAddressError, refusedLiteral, type Lookup } from './address-guard';
import { redactLink } from './redact-link';

export interface DownloadOptions {
  /** Folder the receipt is saved in (created if missing). */
  destDir: string;
  /** Larger downloads are refused (default 50 MB). */
  maxBytes?: number;
  /** Connecting, waiting for the answer, and any pause in the body longer than this fail (default 30 s). */
  timeoutMs?: number;
  /** Redirects followed at most (default 3). */
  maxRedirects?: number;
  signal?: AbortSignal;
  /** Fraction 0..1 received, when the server says how much is coming. */
  onProgress?: (fraction: number) => void;
  /** Resolves host names (default: the system's DNS). */
  lookup?: Lookup;
}

export interface DownloadedReceipt {
  /** Absolute path of the saved file inside destDir. */
  path: string;
  sha256: string;
  size: number;
  /** Type from the content's first bytes. */
  mime: string;
  /** The address the receipt came from after redirects. */
  finalUrl: string;
}

const SUPPORTED = new Set<string>(SUPPORTED_TYPES);
const ALLOWED_CONTENT_TYPE = /^(image\/[\w.+-]+|application\/pdf|application\/octet-stream)$/;

const fail = (message: string, code = 'download_failed') => new ReceiptFileError(message, code);

const PART = '.part';

/** Removes the `.part` files a crash left in `destDir`: at start, before any download of this run. */
export async function removePartialDownloads(destDir: string): Promise<void> {
  const names = await readdir(destDir).catch(() => []);
  await Promise.all(names.filter((n) => n.startsWith('.') && n.endsWith(PART)).map((n) => unlink(join(destDir, n)).catch(() => {})));
}

const privateAddress = (error: PrivateAddressError) =>
  fail(`Refused to download: ${error.message}. Paste a link with that address itself to fetch from it`, 'private_address');

function checkScheme(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fail(`Only http and https links can be downloaded, not ${url.protocol.replace(/:$/, '')}:`, 'unsupported_url');
  }
}

/** What the first bytes are: a receipt type, or a specific reason to refuse. */
async function sniff(head: Buffer): Promise<{ mime: string; ext: string }> {
  let type = await fileTypeFromBuffer(head);
  // Scanners often put the TIFF directory after the pixels, beyond what file-type looks at.
  if (!type && /^(II\*\0|MM\0\*)/.test(head.subarray(0, 4).toString('latin1'))) type = { ext: 'tif', mime: 'image/tiff' };
  if (type && SUPPORTED.has(type.mime)) return type;
  if (type) throw fail(`The link returned a .${type.ext} file (${type.mime}), not a receipt image or PDF`, 'unsupported_type');
  const text = head
    .subarray(0, 512)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (text.startsWith('<')) throw fail('The link returned a web page, not a receipt', 'unsupported_type');
  throw fail('The link did not return an image or PDF (unrecognised content)', 'unsupported_type');
}

function networkError(error: unknown, timeoutMs: number): ReceiptFileError | unknown {
  if (error instanceof TimeoutError) {
    return error.event === 'socket' || error.event === 'read'
      ? fail(`The download stalled: nothing arrived for ${timeoutMs / 1000} s`, 'download_timeout')
      : fail(`The server did not answer within ${timeoutMs / 1000} s (${error.event})`, 'download_timeout');
  }
  if (error instanceof RequestError) {
    if (error.cause instanceof PrivateAddressError) return privateAddress(error.cause);
    const reason =
      error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
        ? 'the host name was not found'
        : error.code === 'ECONNREFUSED'
          ? 'the server refused the connection'
          : error.code === 'ECONNRESET' || error.code === 'ERR_STREAM_PREMATURE_CLOSE'
            ? 'the connection was cut off'
            : error.code?.startsWith('HPE_')
              ? // Node's HTTP parser: e.g. more body than the Content-Length announced.
                'the server sent a malformed answer (more or different data than it announced)'
              : `${error.code ?? 'network error'}: ${error.message}`;
    return fail(`Could not download the receipt: ${reason}`);
  }
  return error;
}

export async function downloadReceipt(url: string, options: DownloadOptions): Promise<DownloadedReceipt> {
  const maxBytes = options.maxBytes ?? 50 * MIB;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRedirects = options.maxRedirects ?? 3;
  const { signal } = options;

  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw fail('That is not a valid link', 'bad_url');
  }
  checkScheme(current);
  const consented = consentedHost(current);
  const dnsLookup = guardedLookup(consented, options.lookup);
  await mkdir(options.destDir, { recursive: true });
  const partPath = join(options.destDir, `.${randomUUID()}${PART}`);

  const visited = new Set<string>([current.href]);
  try {
    for (let redirects = 0; ; redirects++) {
      const refused = refusedLiteral(current, consented);
      if (refused) throw privateAddress(refused);
      const body = got.stream(current, {
        dnsLookup,
        followRedirect: false,
        throwHttpErrors: false,
        retry: { limit: 0 },
        // connect/response bound the start; socket is an idle timer, so a stalled body fails too.
        timeout: { lookup: timeoutMs, connect: timeoutMs, secureConnect: timeoutMs, response: timeoutMs, socket: timeoutMs },
        headers: { accept: 'image/*, application/pdf;q=0.9, */*;q=0.1' },
        signal,
      });
      let response;
      try {
        response = await new Promise<import('got').Response>((resolve, reject) => {
          body.once('response', resolve);
          body.once('error', reject);
        });
      } catch (error) {
        body.destroy();
        if (signal?.aborted) throw signal.reason;
        throw networkError(error, timeoutMs);
      }

      const status = response.statusCode;
      if (status >= 300 && status < 400 && response.headers.location) {
        body.destroy();
        if (redirects >= maxRedirects) throw fail(`The link redirected more than ${maxRedirects} times`, 'too_many_redirects');
        const next = new URL(response.headers.location, current);
        checkScheme(next);
        if (visited.has(next.href)) throw fail(`The link redirects in a loop (back to ${redactLink(next.href)})`, 'redirect_loop');
        visited.add(next.href);
        current = next;
        continue;
      }
      if (status < 200 || status >= 300) {
        body.destroy();
        throw fail(`The link answered HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`);
      }
      const contentType = (response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      // A missing type is left to the magic-byte check below.
      if (contentType && !ALLOWED_CONTENT_TYPE.test(contentType)) {
        body.destroy();
        throw fail(
          contentType === 'text/html'
            ? 'The link returned a web page, not a receipt'
            : `The link returned ${contentType}, not an image or PDF`,
          'unsupported_type',
        );
      }
      const declared = Number(response.headers['content-length']);
      const hasLength = response.headers['content-length'] !== undefined && Number.isFinite(declared);
      if (hasLength && declared > maxBytes) {
        body.destroy();
        throw fail(`The download is ${formatBytes(declared)}; the limit is ${formatBytes(maxBytes)}`, 'too_large');
      }

      const saved = await saveBody(body, partPath, {
        maxBytes,
        onProgress: hasLength && declared > 0 ? (n) => options.onProgress?.(Math.min(1, n / declared)) : undefined,
      }).catch((error: unknown) => {
        if (signal?.aborted) throw signal.reason;
        throw networkError(error, timeoutMs);
      });
      options.onProgress?.(1);
      const path = await moveIntoPlace(partPath, options.destDir, saved);
      return { path, sha256: saved.sha256, size: saved.size, mime: saved.mime, finalUrl: current.href };
    }
  } finally {
    await unlink(partPath).catch(() => {});
  }
}

/** Streams the body to `partPath`: hash and size while writing, type from the first bytes, size cap. */
async function saveBody(
  body: Readable,
  partPath: string,
  options: { maxBytes: number; onProgress?: (received: number) => void },
): Promise<{ sha256: string; size: number; mime: string; ext: string }> {
  const hash = createHash('sha256');
  let size = 0;
  let type: { mime: string; ext: string } | undefined;
  let head: Buffer[] = [];
  let headBytes = 0;

  const out = createWriteStream(partPath, { flags: 'wx' });
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > options.maxBytes) {
            throw fail(`The download is larger than the ${formatBytes(options.maxBytes)} limit`, 'too_large');
          }
          hash.update(chunk);
          options.onProgress?.(size);
          if (type) {
            yield chunk;
            continue;
          }
          // Hold the first bytes back until there are enough to tell the type: nothing that is not a
          // receipt is written to disk.
          head.push(chunk);
          headBytes += chunk.length;
          if (headBytes >= SNIFF_BYTES) {
            type = await sniff(Buffer.concat(head));
            yield* head;
            head = [];
          }
        }
        if (!type) {
          if (headBytes === 0) throw fail('The link returned an empty file', 'unsupported_type');
          type = await sniff(Buffer.concat(head));
          yield* head;
        }
      },
      out,
    );
  } catch (error) {
    // A failure before the file finished opening would otherwise create it after the caller removed it.
    if (!out.closed) await once(out, 'close');
    throw error;
  }
  return { sha256: hash.digest('hex'), size, mime: type!.mime, ext: type!.ext };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Links the finished .part to `<sha256 prefix>.<ext>` without ever replacing a file: if the name is
 * taken by the same content, that file is the result; by different content, the full hash names it.
 */
async function moveIntoPlace(partPath: string, destDir: string, saved: { sha256: string; ext: string }): Promise<string> {
  for (const name of [saved.sha256.slice(0, 16), saved.sha256]) {
    const target = join(destDir, `${name}.${saved.ext}`);
    try {
      await linkExclusive(partPath, target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if ((await sha256Of(target)) === saved.sha256) return target;
    }
  }
  throw fail('A different file already uses this receipt’s name in the download folder', 'name_conflict');
}

/** Creates `target` with the content of `source`; fails with EEXIST rather than overwrite. */
async function linkExclusive(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Some file systems (FAT, some network shares) have no hard links.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    await copyFile(source, target, constants.COPYFILE_EXCL);
  }
}
