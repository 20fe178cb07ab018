// The accountant bundle: one ZIP with the CSV (gaining a `bundle_file` column), each receipt's original
// file under receipts/ named `YYYY-MM-DD_merchant_total.ext`, and optionally one PDF with a page per
// receipt in date order. Memory stays flat however big it gets: the rows are read once from one ledger
// snapshot into the CSV and a small manifest on disk, and the ZIP is then streamed entry by entry from
// those and the original files (yazl, with ZIP64 past 4 GB).
import { randomUUID } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, statSync, writeSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { BundleResult } from '../../shared/contract';
import type { ExportedReceipt } from '../ledger/rows';
import { formatMinor } from '../../shared/money';
import { BundleNamer } from './bundle-names';
import { pdfOfPages, type PdfPage } from './bundle-pdf';
import { exportCsv } from './csv';

export const BUNDLE_CSV = 'receipts.csv';
export const BUNDLE_PDF = 'receipts.pdf';
export const BUNDLE_FILES_DIR = 'receipts';

/** What phase two needs of each receipt, one JSON line per receipt in the manifest. */
export interface ManifestEntry {
  id: number;
  path: string;
  mime: string;
  /** Path inside the ZIP; '' when the original file is gone. */
  entry: string;
  mtimeMs: number;
  header: string;
}

export interface BundleOptions {
  /** With it, the bundle gets one PDF whose pages show these images (JPEG), one receipt at a time. */
  pageImage?: (receipt: ManifestEntry) => Promise<{ data: Buffer; width: number; height: number }>;
}

export async function exportBundle(
  rows: Iterable<ExportedReceipt>,
  target: string,
  options: BundleOptions = {},
): Promise<Omit<BundleResult, 'path'>> {
  const work = await mkdtemp(join(tmpdir(), 'rs-bundle-'));
  const temp = join(dirname(target), `.${basename(target)}.${randomUUID().slice(0, 8)}.tmp`);
  let zip: ZipFile | undefined;
  try {
    const csvPath = join(work, BUNDLE_CSV);
    const manifestPath = join(work, 'manifest.jsonl');
    const counts = writeCsvAndManifest(rows, csvPath, manifestPath);
    const receipts = (await counts.csv).rows;

    zip = new ZipFile();
    const written = pipeline(zip.outputStream, createWriteStream(temp, { flags: 'wx' }));
    written.catch(() => {}); // awaited below; a failure elsewhere first must not leave it unhandled
    const failed = new Promise<never>((_, reject) => zip!.once('error', reject));
    failed.catch(() => {});
    const build = (async () => {
      const z = zip!;
      await addFile(z, BUNDLE_CSV, csvPath, { compress: true });
      for await (const e of readManifest(manifestPath)) {
        if (e.entry) await addFile(z, e.entry, e.path, { compress: false, mtime: new Date(e.mtimeMs) });
      }
      if (options.pageImage) {
        const pdf = Readable.from(pdfOfPages(pdfPages(manifestPath, options.pageImage)));
        await addFile(z, BUNDLE_PDF, pdf, { compress: true });
      }
      z.end();
      await written;
    })();
    // The output file failing (e.g. a full disk) ends the export as well as any entry failing.
    await Promise.race([build, failed, written]);
    await rename(temp, target);
    return { receipts, files: counts.files, missing: receipts - counts.files, bytes: (await stat(target)).size };
  } catch (error) {
    (zip?.outputStream as Readable | undefined)?.destroy();
    await rm(temp, { force: true });
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Phase one: the CSV and the manifest from one pass over the rows (one ledger snapshot). */
function writeCsvAndManifest(rows: Iterable<ExportedReceipt>, csvPath: string, manifestPath: string) {
  const namer = new BundleNamer();
  const entries = new WeakMap<ExportedReceipt, string>();
  const counts = { files: 0, csv: undefined as unknown as Promise<{ rows: number }> };
  const fd = openSync(manifestPath, 'w');
  function* named(): Generator<ExportedReceipt> {
    for (const r of rows) {
      const found = fileStat(r.sourcePath);
      const entry = found ? `${BUNDLE_FILES_DIR}/${namer.name(r)}` : '';
      if (found) counts.files++;
      entries.set(r, entry);
      const line: ManifestEntry = { id: r.id, path: r.sourcePath, mime: r.mime, entry, mtimeMs: found?.mtimeMs ?? 0, header: headerOf(r) };
      writeSync(fd, `${JSON.stringify(line)}\n`);
      yield r;
    }
  }
  counts.csv = exportCsv(named(), csvPath, { bundle_file: (r) => entries.get(r) ?? '' }).finally(() => closeSync(fd));
  return counts;
}

/** The ledger fields on one line, as a PDF page's header. */
export function headerOf(r: ExportedReceipt): string {
  const money = (minor: number | null) =>
    minor === null ? null : `${formatMinor(minor, r.currency)}${r.currency ? ` ${r.currency}` : ''}`;
  const total = money(r.totalMinor);
  const tax = money(r.taxMinor);
  return [
    r.date ?? 'undated',
    r.merchant ?? 'unknown merchant',
    total === null ? 'no total' : `total ${total}`,
    tax === null ? null : `tax ${tax}`,
    r.category ?? 'uncategorised',
    r.paymentMethod,
    r.needsReview ? 'needs review' : null,
    `receipt #${r.id}`,
  ]
    .filter((part) => part !== null)
    .join(' \u00b7 ');
}

async function* readManifest(path: string): AsyncGenerator<ManifestEntry> {
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line) yield JSON.parse(line) as ManifestEntry;
  }
}

async function* pdfPages(manifestPath: string, image: NonNullable<BundleOptions['pageImage']>): AsyncGenerator<PdfPage> {
  for await (const e of readManifest(manifestPath)) {
    if (!e.entry) {
      yield { header: e.header, image: { problem: `The original file is no longer at ${e.path}.` } };
      continue;
    }
    try {
      const { data, width, height } = await image(e);
      yield { header: e.header, image: { jpeg: data, width, height } };
    } catch (error) {
      yield { header: e.header, image: { problem: `The receipt could not be drawn: ${(error as Error).message.split('\n')[0]}` } };
    }
  }
}

/**
 * Adds one entry and resolves once its bytes have been read, so entries are opened one at a time (the
 * file system and the ZIP writer set the pace; nothing piles up in memory).
 */
function addFile(zip: ZipFile, name: string, source: string | Readable, options: { compress: boolean; mtime?: Date }): Promise<void> {
  return new Promise((resolve, reject) => {
    zip.addReadStreamLazy(name, options, (cb) => {
      const stream = typeof source === 'string' ? createReadStream(source) : source;
      stream.once('end', resolve);
      stream.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`cannot add ${typeof source === 'string' ? source : name} to the bundle: ${error.code ?? error.message}`)),
      );
      cb(null, stream);
    });
  });
}

function fileStat(path: string): { mtimeMs: number } | null {
  try {
    const s = statSync(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}
