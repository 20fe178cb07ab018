// Test fixtures: a scanned PDF the way a scanner or phone app writes one — each page is one embedded
// JPEG image (DCTDecode) drawn over the whole page, with no text layer. Pages may also be text (for
// mixed documents) or blank (for page-count bombs).
import sharp from 'sharp';
import { pdfStream, writePdf, type PdfObject } from './pdf-writer';

export type ScannedPage =
  /** An encoded image scanned at `dpi` (default 300); the page is the image's size at that resolution. */
  | { image: Buffer; dpi?: number; pageSize?: { width: number; height: number } }
  /** A page with a real text layer, like textPdf's. */
  | { text: string[] }
  /** A page with nothing on it, `size` in points (default A4). */
  | { blank: true; size?: { width: number; height: number } };

const PT_PER_INCH = 72;

export async function scannedPdf(pages: ScannedPage[]): Promise<Buffer> {
  // 1: catalog, 2: pages, 3: font; then per page: page, contents and (for images) the image.
  const objects: PdfObject[] = ['', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const kids: number[] = [];
  for (const page of pages) {
    const pageNo = objects.length + 1;
    kids.push(pageNo);
    objects.push(''); // the page itself, filled in below
    let size = { width: 595, height: 842 };
    let content = '';
    let resources = '';
    let image: PdfObject | undefined;
    if ('image' in page) {
      // Re-encode as baseline greyscale JPEG: what a scanner writes, and what DCTDecode always reads.
      const jpeg = await sharp(page.image).greyscale().jpeg({ quality: 90 }).toBuffer({ resolveWithObject: true });
      const dpi = page.dpi ?? 300;
      size = page.pageSize ?? { width: (jpeg.info.width * PT_PER_INCH) / dpi, height: (jpeg.info.height * PT_PER_INCH) / dpi };
      content = `q ${size.width} 0 0 ${size.height} 0 0 cm /Im0 Do Q`;
      resources = `/XObject << /Im0 ${pageNo + 2} 0 R >>`;
      image = {
        dict: `/Type /XObject /Subtype /Image /Width ${jpeg.info.width} /Height ${jpeg.info.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode`,
        data: jpeg.data,
      };
    } else if ('text' in page) {
      const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
      content = ['BT', '/F1 12 Tf', '14 TL', `40 ${size.height - 60} Td`, ...page.text.map((l) => `(${escape(l)}) '`), 'ET'].join('\n');
      resources = '/Font << /F1 3 0 R >>';
    } else if (page.size) {
      size = page.size;
    }
    objects[pageNo - 1] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${size.width} ${size.height}] /Resources << ${resources} >> /Contents ${pageNo + 1} 0 R >>`;
    objects.push(pdfStream(content));
    if (image) objects.push(image);
  }
  objects[0] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  return writePdf(objects);
}
