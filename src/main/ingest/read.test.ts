import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Sharp } from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReceiptFileError } from './errors';
import { hasMkfifo, isRoot } from './test-helpers';
import { SNIFF_BYTES, readReceiptFile, type ReadOptions } from './read';
import { pngClaiming, sparseFile as sparse } from '../testing/hostile-corpus';

const GIB = 1024 ** 3;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'read-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const at = (name: string) => path.join(dir, name);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function noise(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
}

/** Resolves to the ReceiptFileError the read rejects with (and fails the test if it succeeds). */
async function readError(file: string, options?: ReadOptions): Promise<ReceiptFileError> {
  const error = await readReceiptFile(file, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReceiptFileError);
  return error as ReceiptFileError;
}

/** A one-page PDF with a correct xref table. */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A ZIP archive holding one stored (uncompressed) file. */
function minimalZip(name: string, data: Buffer): Buffer {
  const n = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(n.length, 28);
  const cdOffset = local.length + n.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + n.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

/** A 24-bit BMP header claiming width × height (pixel data only for tiny sizes). */
function bmp(width: number, height: number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const pixels = width * height <= 64 ? rowBytes * height : 16;
  const b = Buffer.alloc(54 + pixels, 0x7f);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(0, 6);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(-height, 22); // top-down rows
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(0, 30);
  return b;
}

describe('readReceiptFile: accepted content', () => {
  it('reads a JPEG: type from content, pixel size, sha-256 of every byte', async () => {
    const file = at('r.jpg');
    await noise(64, 48).jpeg().toFile(file);
    expect(await readReceiptFile(file)).toEqual({
      path: file,
      size: readFileSync(file).length,
      sha256: sha256(file),
      mime: 'image/jpeg',
      ext: 'jpg',
      width: 64,
      height: 48,
    });
  });

  it('accepts a PNG named .jpg as a PNG: content wins over the name', async () => {
    const file = at('photo.jpg');
    await noise(30, 20).png().toFile(file);
    expect(await readReceiptFile(file)).toMatchObject({ mime: 'image/png', ext: 'png', width: 30, height: 20 });
  });

  it.each([
    ['webp', 'image/webp', (s: Sharp) => s.webp()],
    ['gif', 'image/gif', (s: Sharp) => s.gif()],
    ['avif', 'image/avif', (s: Sharp) => s.avif()],
  ] as const)('reads %s', async (ext, mime, encode) => {
    const file = at(`r.${ext}`);
    await encode(noise(40, 30)).toFile(file);
    expect(await readReceiptFile(file)).toMatchObject({ mime, width: 40, height: 30, sha256: sha256(file) });
  });

  it('reads a TIFF whose first IFD lies beyond the sniffed bytes', async () => {
    const file = at('scan.tif');
    await noise(300, 200).tiff().toFile(file);
    // The case this covers: file-type alone cannot tell from the sample.
    expect(await fileTypeFromBuffer(readFileSync(file).subarray(0, SNIFF_BYTES))).toBeUndefined();
    expect(await readReceiptFile(file)).toMatchObject({ mime: 'image/tiff', ext: 'tif', width: 300, height: 200 });
  });

  it('reads a BMP, whose size comes from its header (sharp cannot open BMP)', async () => {
    const file = at('r.bmp');
    writeFileSync(file, bmp(4, 3));
    expect(await readReceiptFile(file)).toMatchObject({ mime: 'image/bmp', width: 4, height: 3 });
  });

  it('reads a PDF, with no pixel size', async () => {
    const file = at('r.pdf');
    writeFileSync(file, minimalPdf());
    const result = await readReceiptFile(file);
    expect(result).toEqual({ path: file, size: result.size, sha256: sha256(file), mime: 'application/pdf', ext: 'pdf' });
  });

  it('hashes a multi-chunk file exactly and reports progress every few percent, ending at 1', async () => {
    const file = at('big.pdf');
    const filler = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < filler.length; i++) filler[i] = (i * 31) & 0xff;
    writeFileSync(file, Buffer.concat([minimalPdf(), filler]));
    const fractions: number[] = [];
    const result = await readReceiptFile(file, { onProgress: (f) => fractions.push(f) });
    expect(result.sha256).toBe(sha256(file));
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions.length).toBeLessThanOrEqual(51);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i] - fractions[i - 1]).toBeGreaterThanOrEqual(0.02);
  });

  it('copies exactly the bytes it hashed to a private file in copyDir', async () => {
    const file = at('big.pdf');
    writeFileSync(file, Buffer.concat([minimalPdf(), Buffer.alloc(3 * 1024 * 1024, 0x20)]));
    const copyDir = mkdtempSync(path.join(dir, 'copies-'));
    const result = await readReceiptFile(file, { copyDir });
    expect(result.path).toBe(file);
    expect(path.dirname(result.copy!)).toBe(copyDir);
    expect(result.copy).toMatch(/\.pdf$/);
    expect(sha256(result.copy!)).toBe(result.sha256);
    expect(statSync(result.copy!).mode & 0o777).toBe(0o600);
    expect(readdirSync(copyDir)).toHaveLength(1);
  });

  it('resolves a relative path', async () => {
    const file = at('r.pdf');
    writeFileSync(file, minimalPdf());
    expect((await readReceiptFile(path.relative(process.cwd(), file))).path).toBe(file);
  });
});

describe('readReceiptFile: refused content', () => {
  it('names both the extension and the content for a text file named .jpg', async () => {
    const file = at('receipt.jpg');
    writeFileSync(file, 'TOTAL 12.50\n'.repeat(50));
    const error = await readError(file);
    expect(error.message).toBe('named .jpg but the content is unrecognised (text or unknown binary)');
    expect(error.code).toBe('type_mismatch');
  });

  it('refuses a text file with a neutral name', async () => {
    const file = at('notes.txt');
    writeFileSync(file, 'hello');
    const error = await readError(file);
    expect(error.message).toBe('not a receipt image or PDF: unrecognised content (text or unknown binary)');
    expect(error.code).toBe('unsupported_type');
  });

  it('says a ZIP is a ZIP', async () => {
    const file = at('receipts.zip');
    writeFileSync(file, minimalZip('hello.txt', Buffer.from('hello world')));
    const error = await readError(file);
    expect(error.message).toBe('not a receipt image or PDF: content is a ZIP archive (application/zip)');
  });

  it('names an executable renamed .jpg', async () => {
    const file = at('invoice.jpg');
    writeFileSync(file, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(8000, 0x90)]));
    const error = await readError(file);
    expect(error.message).toBe('named .jpg but the content is a Windows executable (application/x-msdownload)');
  });

  it('refuses a sparse 3 GB executable from its first bytes, not reading the rest', async () => {
    const file = at('huge.pdf');
    sparse(file, Buffer.from('MZ this is not a receipt'), 3 * GIB);
    const fractions: number[] = [];
    const error = await readError(file, { maxBytes: 4 * GIB, onProgress: (f) => fractions.push(f) });
    expect(error.message).toBe('named .pdf but the content is a Windows executable (application/x-msdownload)');
    expect(error.bytesRead).toBe(SNIFF_BYTES);
    expect(fractions).toEqual([]);
  });

  it('refuses a file over maxBytes before reading it', async () => {
    const file = at('huge.jpg');
    sparse(file, Buffer.from([0xff, 0xd8, 0xff]), 3 * GIB);
    const error = await readError(file);
    expect(error.message).toBe('file is 3 GB; the limit is 200 MB');
    expect(error.code).toBe('too_large');
    expect(error.bytesRead).toBe(0);
  });

  it('refuses an image whose header claims 50000 × 50000 px, without decoding it', async () => {
    const file = at('bomb.png');
    writeFileSync(file, await pngClaiming(50_000, 50_000));
    const error = await readError(file);
    expect(error.message).toBe('image is 50000 × 50000 px (2500 MP); the limit is 100 MP');
    expect(error.code).toBe('too_many_pixels');
    // Within the limit the same crafted header passes the check (so the check is what refused it).
    expect(await readReceiptFile(file, { maxPixels: 3_000_000_000 })).toMatchObject({ width: 50_000, height: 50_000 });
  });

  it('applies the pixel cap to a BMP header too', async () => {
    const file = at('bomb.bmp');
    writeFileSync(file, bmp(20_000, 10_000));
    expect((await readError(file)).message).toBe('image is 20000 × 10000 px (200 MP); the limit is 100 MP');
  });

  it('refuses an image whose header cannot be parsed', async () => {
    const file = at('broken.png');
    writeFileSync(file, (await noise(8, 8).png().toBuffer()).subarray(0, 20)); // PNG signature, IHDR cut short
    const error = await readError(file);
    expect(error.code).toBe('bad_image');
    expect(error.message).toBe('image header is damaged');
  });

  it('names what libvips found wrong in a damaged JPEG header, once', async () => {
    const file = at('broken.jpg');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5000, 0x41)]));
    expect(await readError(file)).toMatchObject({
      code: 'bad_image',
      message: 'image header is damaged (VipsJpeg: Unsupported marker type 0x41)',
    });
  });

  it('refuses an empty file', async () => {
    const file = at('empty.jpg');
    writeFileSync(file, '');
    expect(await readError(file)).toMatchObject({ message: 'file is empty', code: 'empty' });
  });
});

describe('readReceiptFile: files that change or go away', () => {
  async function pdfOfSize(name: string, bytes: number): Promise<string> {
    const file = at(name);
    writeFileSync(file, Buffer.concat([minimalPdf(), Buffer.alloc(bytes, 0x20)]));
    return file;
  }

  it('notices a file that grows while it is read', async () => {
    const file = await pdfOfSize('growing.pdf', 8 * 1024 * 1024);
    let grown = false;
    const onProgress = () => {
      if (!grown) appendFileSync(file, Buffer.alloc(4 * 1024 * 1024, 0x20));
      grown = true;
    };
    const error = await readError(file, { onProgress });
    expect(error.code).toBe('changed');
    expect(error.message).toBe('file changed while it was being read (it grew)');
  });

  it('leaves no copy behind when the file changes while it is read', async () => {
    const file = await pdfOfSize('growing.pdf', 8 * 1024 * 1024);
    const copyDir = mkdtempSync(path.join(dir, 'copies-'));
    const onProgress = () => appendFileSync(file, Buffer.alloc(1024 * 1024, 0x20));
    expect((await readError(file, { onProgress, copyDir })).code).toBe('changed');
    expect(readdirSync(copyDir)).toEqual([]);
  });

  it('notices a file that shrinks while it is read', async () => {
    const file = await pdfOfSize('shrinking.pdf', 8 * 1024 * 1024);
    let cut = false;
    const onProgress = () => {
      if (!cut) truncateSync(file, 5 * 1024 * 1024);
      cut = true;
    };
    expect(await readError(file, { onProgress })).toMatchObject({
      code: 'changed',
      message: 'file changed while it was being read',
    });
  });

  it('says a file vanished when it is gone', async () => {
    expect(await readError(at('gone.jpg'))).toMatchObject({ message: 'file vanished before it was read', code: 'vanished' });
  });

  it('refuses a folder', async () => {
    expect((await readError(dir)).code).toBe('not_a_file');
  });

  it.skipIf(!hasMkfifo)('refuses a named pipe without waiting for a writer', async () => {
    const fifo = at('pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    expect(await readError(fifo)).toMatchObject({ message: 'not a regular file', code: 'not_a_file' });
  });

  it('says permission denied for an unreadable file (root may read it anyway)', async () => {
    const file = at('locked.pdf');
    writeFileSync(file, minimalPdf());
    chmodSync(file, 0o000);
    if (isRoot) {
      expect((await readReceiptFile(file)).sha256).toBe(sha256(file));
    } else {
      expect(await readError(file)).toMatchObject({ message: 'permission denied', code: 'permission_denied' });
    }
  });
});

describe('readReceiptFile: cancel', () => {
  it('rejects with an AbortError when aborted before it starts', async () => {
    const file = at('r.pdf');
    writeFileSync(file, minimalPdf());
    const controller = new AbortController();
    controller.abort();
    await expect(readReceiptFile(file, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects with an AbortError when aborted mid-read', async () => {
    const file = at('big.pdf');
    writeFileSync(file, Buffer.concat([minimalPdf(), Buffer.alloc(8 * 1024 * 1024, 0x20)]));
    const controller = new AbortController();
    const fractions: number[] = [];
    const reading = readReceiptFile(file, {
      signal: controller.signal,
      onProgress: (f) => {
        fractions.push(f);
        controller.abort();
      },
    });
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(fractions).toHaveLength(1);
  });
});
