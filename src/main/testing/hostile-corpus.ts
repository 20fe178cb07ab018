// Test fixtures: a folder of every kind of hostile or broken input a person might drop (issue 6), mixed
// with a few good receipts under awkward names. Everything is generated; nothing is copied from real data.
import { openSync, closeSync, ftruncateSync, writeSync } from 'node:fs';
import { appendFile, chmod, mkdir, open, readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { pdfStream, writePdf } from './pdf-writer';
import { renderReceiptImage } from './receipt-image';
import { textPdf } from './text-pdf';

export interface GoodReceipt {
  name: string;
  totalMinor: number;
}

export interface HostileCorpus {
  dir: string;
  /** Receipts that must each be saved exactly once. */
  good: GoodReceipt[];
  /**
   * How `locked.jpg` is made unreadable: chmod 000, or (for root, who reads any mode) a link to a
   * kernel attribute that refuses reads to everyone. null: neither works here.
   */
  unreadable: 'chmod' | 'kernel-attribute' | null;
  /** Deletes `zz-vanishing.png` (a good receipt) between the folder walk and its read. */
  vanish(): Promise<void>;
  /** Keeps appending to `zz-growing.pdf` until the returned function is called. */
  keepChanging(): () => void;
}

export const NAMES = {
  empty: 'empty.jpg',
  truncatedJpeg: 'truncated.jpg',
  truncatedPng: 'truncated.png',
  text: 'notes.jpg',
  executable: 'program.jpg',
  htmlPolyglot: 'page.jpg',
  bomb: 'bomb.png',
  manyPages: 'pages.pdf',
  hugePage: 'huge-page.pdf',
  encrypted: 'locked.pdf',
  spinning: 'spin.pdf',
  selfLink: 'self.jpg',
  unreadable: 'locked.jpg',
  sparse3GB: 'backup.img',
  vanishing: 'zz-vanishing.png',
  growing: 'zz-growing.pdf',
} as const;

/** Pages in `pages.pdf`: a book, not a receipt. */
export const MANY_PAGES = 5000;

const GIB = 1024 ** 3;

/** A receipt image whose total is `cents`, distinct per `title` so no two are duplicates. */
const receipt = (title: string, cents: number, format: 'png' | 'jpeg' = 'png') =>
  renderReceiptImage([title, 'Date: 14/03/2024', 'Coffee 2.00', `TOTAL ${(cents / 100).toFixed(2)}`], { format });

/** A small real PNG whose IHDR is patched to claim width × height, with a correct chunk CRC. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await renderReceiptImage(['X'], { width: 200 });
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29); // CRC over "IHDR" + 13 data bytes
  return png;
}

/** One empty page per page, under a single Pages node. */
function manyPagesPdf(pages: number): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`];
  for (let i = 0; i < pages; i++) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 842] >>');
  return writePdf(objects);
}

/**
 * The largest page PDF allows (200 × 200 in) scaled by UserUnit to kilometres, showing an image that
 * claims 50,000 × 50,000 px from a few bytes of Flate data: what a rasteriser must refuse to allocate.
 */
function hugePagePdf(): Buffer {
  return writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 /Resources << /XObject << /Im 5 0 R >> >> /Contents 4 0 R >>',
    pdfStream('q 14400 0 0 14400 0 0 cm /Im Do Q'),
    pdfStream(
      'x\x9c\x03\x00\x00\x00\x00\x01',
      '/Type /XObject /Subtype /Image /Width 50000 /Height 50000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode',
    ),
  ]);
}

/**
 * Form XObjects nested `depth` deep, each drawing a letter and the next form twice: 2^depth text runs
 * from a few KB. pdfjs works through them without ever yielding to the event loop.
 */
export function spinningPdf(depth = 24): Buffer {
  const first = 6;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 842] /Resources << /Font << /F1 4 0 R >> /XObject << /X ${first} 0 R >> >> /Contents 5 0 R >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    pdfStream('BT /F1 12 Tf 40 780 Td (TOTAL 1.00) Tj ET /X Do'),
  ];
  for (let k = 0; k < depth; k++) {
    const last = k === depth - 1;
    const resources = `/Resources << /Font << /F1 4 0 R >> ${last ? '' : `/XObject << /X ${first + k + 1} 0 R >>`} >>`;
    objects.push(
      pdfStream(`BT /F1 1 Tf (a) Tj ET${last ? '' : ' /X Do /X Do'}`, `/Type /XObject /Subtype /Form /BBox [0 0 300 842] ${resources}`),
    );
  }
  return writePdf(objects);
}

/** A sparse file: `head` then a hole up to `size`, taking no disk. */
export function sparseFile(file: string, head: Buffer, size: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

/** Kernel attributes that are write-only: the kernel refuses to open them for reading, even for root. */
const WRITE_ONLY_ATTRIBUTES = ['/sys/bus/pci/rescan', '/sys/bus/cpu/uevent', '/sys/bus/platform/uevent', '/sys/kernel/mm/ksm/run'];

async function refusesReading(path: string): Promise<boolean> {
  try {
    await (await open(path, 'r')).close();
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES';
  }
}

async function makeUnreadable(file: string, content: Buffer): Promise<HostileCorpus['unreadable']> {
  if (process.getuid?.() !== 0) {
    await writeFile(file, content);
    await chmod(file, 0o000);
    return 'chmod';
  }
  for (const attribute of WRITE_ONLY_ATTRIBUTES) {
    if (await refusesReading(attribute)) {
      await symlink(attribute, file);
      return 'kernel-attribute';
    }
  }
  return null;
}

/** Writes the corpus into `dir` (which must exist and be empty). */
export async function writeHostileCorpus(dir: string): Promise<HostileCorpus> {
  const at = (name: string) => join(dir, name);
  const good: GoodReceipt[] = [
    { name: 'new\nline.png', totalMinor: 1101 },
    { name: 'with  spaces .png', totalMinor: 1202 },
    { name: 'レシート ü.png', totalMinor: 1303 },
    // 255 bytes, the most one path component may hold: 'ü' is 2 bytes in UTF-8.
    { name: `${'ü'.repeat(123)}-long.png`, totalMinor: 1404 },
    // A PNG with a ZIP (holding HTML) glued on: the image is what counts, the payload is never opened.
    { name: 'polyglot.png', totalMinor: 1505 },
  ];
  for (const [i, r] of good.entries()) {
    const image = await receipt(`GOOD SHOP ${i + 1}`, r.totalMinor);
    const payload =
      r.name === 'polyglot.png'
        ? Buffer.from('PK\x03\x04\x14\x00\x00\x00<html><script>alert(1)</script></html>', 'latin1')
        : Buffer.alloc(0);
    await writeFile(at(r.name), Buffer.concat([image, payload]));
  }

  const jpeg = await receipt('CUT SHORT JPEG', 999, 'jpeg');
  const png = await receipt('CUT SHORT PNG', 998);
  await writeFile(at(NAMES.empty), '');
  await writeFile(at(NAMES.truncatedJpeg), jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
  await writeFile(at(NAMES.truncatedPng), png.subarray(0, Math.floor(png.length * 0.6)));
  await writeFile(at(NAMES.text), 'Shopping list: milk, eggs, bread.\n'.repeat(50));
  // The start of the very program running this: a real executable, renamed.
  await writeFile(at(NAMES.executable), (await readFile(process.execPath)).subarray(0, 64 * 1024));
  // A JPEG signature in front of a web page.
  await writeFile(
    at(NAMES.htmlPolyglot),
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<html><body><script>alert(1)</script></body></html>\n'.repeat(40))]),
  );
  await writeFile(at(NAMES.bomb), await pngClaiming(50_000, 50_000));
  await writeFile(at(NAMES.manyPages), manyPagesPdf(MANY_PAGES));
  await writeFile(at(NAMES.hugePage), hugePagePdf());
  await writeFile(at(NAMES.encrypted), textPdf(['LOCKED STORE', 'TOTAL 9.99'], { encrypt: true }));
  await writeFile(at(NAMES.spinning), spinningPdf());
  await symlink(NAMES.selfLink, at(NAMES.selfLink));
  // A folder linking back to its parent: walking it naively never ends.
  await mkdir(at('loop'));
  await symlink('..', at('loop/back'));
  const unreadable = await makeUnreadable(at(NAMES.unreadable), await receipt('LOCKED AWAY', 777, 'jpeg'));
  // 3 GB of nothing behind an ordinary text line: not an image, and far over the size limit.
  sparseFile(at(NAMES.sparse3GB), Buffer.from('disk image backup\n'), 3 * GIB);
  await writeFile(at(NAMES.vanishing), await receipt('GONE BEFORE READ', 1606));
  // Big enough that reading it takes many chunks, so appends land while it is read.
  await writeFile(at(NAMES.growing), Buffer.concat([textPdf(['GROWING STORE', 'TOTAL 1.00']), Buffer.alloc(24 * 1024 * 1024, 0x20)]));

  return {
    dir,
    good,
    unreadable,
    vanish: () => unlink(at(NAMES.vanishing)),
    keepChanging() {
      const timer = setInterval(() => void appendFile(at(NAMES.growing), Buffer.alloc(4096, 0x20)), 1);
      return () => clearInterval(timer);
    },
  };
}
