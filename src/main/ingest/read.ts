import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { ReceiptFileError, fsErrorReason } from './errors';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS, tooLargeReason, tooManyPixelsReason } from './limits';

/** Content types a receipt may have; everything else is rejected from its first bytes. */
export const SUPPORTED_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/tiff',
  'image/bmp',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/avif',
  'application/pdf',
] as const;
export type SupportedType = (typeof SUPPORTED_TYPES)[number];

/** Bytes collected before sniffing: what file-type needs to tell every format apart. */
export const SNIFF_BYTES = 4100;
const CHUNK_BYTES = 1024 * 1024;
/** onProgress fires when at least this much more of the file has been read. */
const PROGRESS_STEP = 0.02;

export interface ReadOptions {
  /** Larger files are refused before reading (default 200 MiB). */
  maxBytes?: number;
  /** Images with more pixels are refused from their header, before anything decodes them (default 100 MP). */
  maxPixels?: number;
  signal?: AbortSignal;
  /** Fraction 0..1 of the file read; called at most every 2 % and once with 1 at the end. */
  onProgress?: (fraction: number) => void;
  /**
   * A private folder: every byte hashed is also written to a new file there (`copy` in the result), so
   * what is read afterwards is exactly what was hashed, even if the original is changed or swapped.
   */
  copyDir?: string;
}

export interface ReadResult {
  /** Absolute path. */
  path: string;
  size: number;
  /** Hex sha-256 of every byte of the file. */
  sha256: string;
  /** Type from the content (never from the name); one of SUPPORTED_TYPES. */
  mime: SupportedType;
  /** Extension matching the content, e.g. 'jpg', 'png', 'tif', 'heic', 'pdf'. */
  ext: string;
  /** Images only: pixel size from the header (before EXIF rotation). */
  width?: number;
  height?: number;
  /** With `copyDir`: the copy of the bytes hashed; the caller removes it. */
  copy?: string;
}

const SUPPORTED = new Set<string>(SUPPORTED_TYPES);

/** Extensions people give images and PDFs; a name with one of these promises a receipt. */
const RECEIPT_EXTENSIONS = new Set([
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'png',
  'webp',
  'tif',
  'tiff',
  'bmp',
  'dib',
  'gif',
  'heic',
  'heif',
  'hif',
  'avif',
  'pdf',
]);

const KIND_BY_MIME: Record<string, string> = {
  'application/zip': 'a ZIP archive',
  'application/gzip': 'a gzip archive',
  'application/x-tar': 'a tar archive',
  'application/x-rar-compressed': 'a RAR archive',
  'application/x-7z-compressed': 'a 7-Zip archive',
  'application/x-msdownload': 'a Windows executable',
  'application/x-elf': 'a Linux executable',
  'application/x-mach-binary': 'a macOS executable',
  'application/x-sqlite3': 'an SQLite database',
  'application/x-cfb': 'an old Microsoft Office document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'a Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'an Excel workbook',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'a PowerPoint presentation',
  'application/vnd.oasis.opendocument.text': 'an OpenDocument text',
};

function describeContent(type: { ext: string; mime: string }): string {
  const kind =
    KIND_BY_MIME[type.mime] ??
    (type.mime.startsWith('video/')
      ? 'a video'
      : type.mime.startsWith('audio/')
        ? 'an audio file'
        : type.mime.startsWith('image/')
          ? `a ${type.ext.toUpperCase()} image, a format we cannot read`
          : `a .${type.ext} file`);
  return `${kind} (${type.mime})`;
}

/** "II*\0" / "MM\0*" with version 42 (TIFF) or 43 (BigTIFF). */
function isTiffHeader(b: Buffer): boolean {
  if (b.length < 4) return false;
  if (b[0] === 0x49 && b[1] === 0x49) return b.readUInt16LE(2) === 42 || b.readUInt16LE(2) === 43;
  if (b[0] === 0x4d && b[1] === 0x4d) return b.readUInt16BE(2) === 42 || b.readUInt16BE(2) === 43;
  return false;
}

/** The content's type when it is a receipt type; otherwise a ReceiptFileError naming what it is instead. */
async function sniff(header: Buffer, filePath: string): Promise<{ mime: SupportedType; ext: string }> {
  let type = await fileTypeFromBuffer(header);
  // file-type wants the first IFD, which scanners often write after the image data, beyond the sample.
  // A plain TIFF signature is enough here: sharp reads the real header next and refuses a broken one.
  if (!type && isTiffHeader(header)) type = { ext: 'tif', mime: 'image/tiff' };
  if (type && SUPPORTED.has(type.mime)) return { mime: type.mime as SupportedType, ext: type.ext };

  const content = type ? describeContent(type) : 'unrecognised (text or unknown binary)';
  const named = path.extname(filePath).slice(1).toLowerCase();
  if (RECEIPT_EXTENSIONS.has(named)) {
    throw new ReceiptFileError(`named .${named} but the content is ${content}`, 'type_mismatch');
  }
  throw new ReceiptFileError(
    type
      ? `not a receipt image or PDF: content is ${content}`
      : 'not a receipt image or PDF: unrecognised content (text or unknown binary)',
    'unsupported_type',
  );
}

/** libvips repeats lines and names the file; keep each distinct detail once, without the path. */
function libvipsDetail(message: string, filePath: string): string {
  const lines = message
    .split('\n')
    .map((line) =>
      line
        .replace(/^Input (file|buffer) has corrupt header:/, '')
        .replaceAll(`${filePath}:`, '')
        .trim(),
    )
    .filter(Boolean);
  return [...new Set(lines)].join('; ').slice(0, 200);
}

/**
 * Width and height from the image header only. sharp parses headers without decoding pixels; it cannot
 * read BMP at all, whose header is two integers at a fixed place.
 */
async function imageSize(filePath: string, mime: SupportedType, header: Buffer): Promise<{ width: number; height: number }> {
  if (mime === 'image/bmp') {
    if (header.length >= 26 && header.readUInt32LE(14) >= 40) {
      return { width: Math.abs(header.readInt32LE(18)), height: Math.abs(header.readInt32LE(22)) };
    }
    if (header.length >= 22 && header.readUInt32LE(14) === 12) {
      return { width: header.readUInt16LE(18), height: header.readUInt16LE(20) }; // OS/2 BITMAPCOREHEADER
    }
    throw new ReceiptFileError('image header is damaged: BMP header too short', 'bad_image');
  }
  let meta: Metadata;
  try {
    meta = await sharp(filePath, { limitInputPixels: false }).metadata();
  } catch (error) {
    const detail = libvipsDetail((error as Error).message, filePath);
    throw new ReceiptFileError(`image header is damaged${detail ? ` (${detail})` : ''}`, 'bad_image', { cause: error });
  }
  if (!meta.width || !meta.height) throw new ReceiptFileError('image header gives no pixel size', 'bad_image');
  return { width: meta.width, height: meta.height };
}

function openError(error: unknown): ReceiptFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ReceiptFileError('file vanished before it was read', 'vanished', { cause: error });
  if (code === 'EACCES' || code === 'EPERM') {
    return new ReceiptFileError('permission denied', 'permission_denied', { cause: error });
  }
  if (code === 'EISDIR') return new ReceiptFileError('is a folder, not a file', 'not_a_file', { cause: error });
  return new ReceiptFileError(`file ${fsErrorReason(error)}`, 'unreadable', { cause: error });
}

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('reading the file was cancelled'), { name: 'AbortError', cause: signal.reason });
}

/** Fills `buffer` from the start of the file; fewer bytes only at end of file. */
async function readHeader(fh: FileHandle, buffer: Buffer): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await fh.read(buffer, filled, buffer.length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

// O_NONBLOCK so that a path swapped for a named pipe cannot hang the open; regular files ignore it.
const OPEN_FLAGS = constants.O_NONBLOCK === undefined ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK;

/**
 * The one pass over a receipt file: sniffs the real type from the first bytes, checks an image's pixel
 * size from its header, and hashes every byte while streaming — never holding the file in memory.
 * Anything that is not a receipt type is refused after SNIFF_BYTES, however large the file.
 * Rejects with a ReceiptFileError (specific message, `bytesRead`) for a bad file, an AbortError on abort.
 */
export async function readReceiptFile(filePath: string, options: ReadOptions = {}): Promise<ReadResult> {
  const { maxBytes = DEFAULT_MAX_FILE_BYTES, maxPixels = DEFAULT_MAX_PIXELS, signal, onProgress, copyDir } = options;
  const absolute = path.resolve(filePath);
  if (signal?.aborted) throw abortError(signal);

  let fh: FileHandle;
  try {
    fh = await open(absolute, OPEN_FLAGS);
  } catch (error) {
    throw openError(error);
  }
  let bytesRead = 0;
  let copy: { path: string; fh: FileHandle } | undefined;
  try {
    const before = await fh.stat();
    if (!before.isFile()) throw new ReceiptFileError('not a regular file', 'not_a_file');
    const size = before.size;
    if (size === 0) throw new ReceiptFileError('file is empty', 'empty');
    if (size > maxBytes) throw new ReceiptFileError(tooLargeReason(size, maxBytes), 'too_large');

    const hash = createHash('sha256');
    const header = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    bytesRead = await readHeader(fh, header);
    const sniffed = header.subarray(0, bytesRead);
    hash.update(sniffed);
    const type = await sniff(sniffed, absolute);

    let dimensions: { width: number; height: number } | undefined;
    if (type.mime !== 'application/pdf') {
      dimensions = await imageSize(absolute, type.mime, sniffed);
      if (dimensions.width * dimensions.height > maxPixels) {
        throw new ReceiptFileError(tooManyPixelsReason(dimensions.width, dimensions.height, maxPixels), 'too_many_pixels');
      }
    }
    if (signal?.aborted) throw abortError(signal);
    if (copyDir) {
      const copyPath = path.join(copyDir, `${randomUUID()}.${type.ext}`);
      copy = { path: copyPath, fh: await open(copyPath, 'wx', 0o600) };
      await copy.fh.write(sniffed);
    }

    let reported = 0;
    // No `end`: reading on to the real end of file is how growth is noticed. Since size <= maxBytes,
    // stopping as soon as bytesRead passes size also enforces maxBytes on a file that grows.
    const stream = fh.createReadStream({ start: bytesRead, highWaterMark: CHUNK_BYTES, autoClose: false, signal });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      if (bytesRead > size) throw new ReceiptFileError('file changed while it was being read (it grew)', 'changed');
      hash.update(chunk);
      await copy?.fh.write(chunk);
      const fraction = bytesRead / size;
      if (onProgress && fraction - reported >= PROGRESS_STEP && fraction < 1) {
        reported = fraction;
        onProgress(fraction);
      }
    }
    const after = await fh.stat();
    if (bytesRead !== size || after.size !== size || after.mtimeMs !== before.mtimeMs) {
      throw new ReceiptFileError('file changed while it was being read', 'changed');
    }
    onProgress?.(1);
    await copy?.fh.close();
    return {
      path: absolute,
      size,
      sha256: hash.digest('hex'),
      mime: type.mime,
      ext: type.ext,
      ...dimensions,
      ...(copy && { copy: copy.path }),
    };
  } catch (error) {
    if (copy) {
      await copy.fh.close().catch(() => {});
      await rm(copy.path, { force: true });
    }
    if (signal?.aborted) throw abortError(signal);
    if (error instanceof ReceiptFileError) {
      error.bytesRead = bytesRead;
      throw error;
    }
    throw new ReceiptFileError(`file ${fsErrorReason(error)}`, 'unreadable', { bytesRead, cause: error });
  } finally {
    await fh.close();
  }
}
