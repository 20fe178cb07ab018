// File names for receipts inside an accountant bundle: `YYYY-MM-DD_merchant_total.ext`, made of letters,
// digits, '-', '_' and '.', so they are valid on Windows, macOS and Linux, and unique ignoring case
// (Windows and macOS folders do not tell "Shell" from "SHELL").
import type { Receipt } from '../../shared/model';
import { formatMinor } from '../../shared/money';

const MERCHANT_CHARS = 40;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'image/gif': 'gif',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'application/pdf': 'pdf',
};

export class BundleNamer {
  private readonly used = new Set<string>();

  name(r: Pick<Receipt, 'date' | 'merchant' | 'totalMinor' | 'currency' | 'mime' | 'fileName'>): string {
    const total = r.totalMinor === null ? 'no-total' : formatMinor(r.totalMinor, r.currency);
    const stem = `${r.date ?? 'undated'}_${safeWord(r.merchant ?? '') || 'unknown'}_${total}`;
    const ext = extensionOf(r.mime, r.fileName);
    let name = `${stem}.${ext}`;
    for (let n = 2; this.used.has(name.toLowerCase()); n++) name = `${stem}_${n}.${ext}`;
    this.used.add(name.toLowerCase());
    return name;
  }
}

/** Letters and digits of any script, runs of anything else as one '-', accents dropped. */
function safeWord(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MERCHANT_CHARS)
    .replace(/-+$/, '');
}

function extensionOf(mime: string, fileName: string): string {
  const known = EXTENSIONS[mime];
  if (known) return known;
  const ext = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1];
  return ext ? ext.toLowerCase() : 'bin';
}
