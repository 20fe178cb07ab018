// One PDF with a page per receipt, written as a stream: each page's JPEG is put in as it comes and
// dropped, and only the objects' byte offsets are kept for the cross-reference table at the end, so
// memory stays flat however many receipts there are. (pdf-lib would hold the whole document.)

/** A receipt page: a header line of its ledger fields above its image (a JPEG), or a reason there is none. */
export interface PdfPage {
  header: string;
  image: { jpeg: Buffer; width: number; height: number } | { problem: string };
}

const PAGE = { width: 595, height: 842 }; // A4 in points
const MARGIN = 30;
const HEADER_PT = 9;
/** Helvetica averages about half an em per character; longer headers are cut to stay on the page. */
const HEADER_CHARS = Math.floor((PAGE.width - 2 * MARGIN) / (HEADER_PT * 0.5));

/** Yields the PDF's bytes; `pages` are awaited one at a time. */
export async function* pdfOfPages(pages: AsyncIterable<PdfPage>): AsyncGenerator<Buffer> {
  const offsets: number[] = [];
  const pageIds: number[] = [];
  let length = 0;
  const chunk = (part: string | Buffer): Buffer => {
    const buf = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    length += buf.length;
    return buf;
  };
  const object = (id: number, body: string): Buffer => {
    offsets[id] = length;
    return chunk(`${id} 0 obj\n${body}\nendobj\n`);
  };
  function* stream(id: number, dict: string, data: Buffer): Generator<Buffer> {
    offsets[id] = length;
    yield chunk(`${id} 0 obj\n<< ${dict} /Length ${data.length} >>\nstream\n`);
    yield chunk(data);
    yield chunk('\nendstream\nendobj\n');
  }

  // Objects 1-3 are fixed: the catalog, the page tree (written last, once its kids are known) and the font.
  yield chunk('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  yield object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  yield object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  let next = 4;
  for await (const page of pages) {
    const pageId = next++;
    const contentId = next++;
    const imageId = 'jpeg' in page.image ? next++ : undefined;
    let content = `BT /F1 ${HEADER_PT} Tf ${MARGIN} ${PAGE.height - MARGIN} Td (${pdfText(page.header)}) Tj ET\n`;
    if ('jpeg' in page.image) {
      const { width, height } = page.image;
      const boxW = PAGE.width - 2 * MARGIN;
      const boxH = PAGE.height - 2 * MARGIN - 2 * HEADER_PT;
      const scale = Math.min(boxW / width, boxH / height);
      const [w, h] = [width * scale, height * scale];
      const y = PAGE.height - MARGIN - 2 * HEADER_PT - h;
      content += `q ${w.toFixed(2)} 0 0 ${h.toFixed(2)} ${(MARGIN + (boxW - w) / 2).toFixed(2)} ${y.toFixed(2)} cm /Im0 Do Q\n`;
      yield* stream(
        imageId!,
        `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode`,
        page.image.jpeg,
      );
    } else {
      content += `BT /F1 ${HEADER_PT + 2} Tf ${MARGIN} ${PAGE.height / 2} Td (${pdfText(page.image.problem)}) Tj ET\n`;
    }
    yield* stream(contentId, '', Buffer.from(content, 'latin1'));
    const xobject = imageId === undefined ? '' : ` /XObject << /Im0 ${imageId} 0 R >>`;
    yield object(
      pageId,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Contents ${contentId} 0 R /Resources << /Font << /F1 3 0 R >>${xobject} >> >>`,
    );
    pageIds.push(pageId);
  }
  yield object(2, `<< /Type /Pages /Count ${pageIds.length} /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] >>`);
  const xref = length;
  const entries = Array.from({ length: next - 1 }, (_, i) => `${String(offsets[i + 1]).padStart(10, '0')} 00000 n \n`);
  yield chunk(
    `xref\n0 ${next}\n0000000000 65535 f \n${entries.join('')}trailer\n<< /Size ${next} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
  );
}

/** A PDF string literal in WinAnsi (Latin-1 here): other characters become '?', long text is cut. */
function pdfText(text: string): string {
  const line = text.length > HEADER_CHARS ? `${text.slice(0, HEADER_CHARS - 1)}\u2026` : text;
  return [...line]
    .map((ch) => (ch === '\u2026' ? '\x85' : /[\x20-\x7e\xa0-\xff]/.test(ch) ? ch : '?'))
    .join('')
    .replace(/[()\\]/g, '\\$&');
}
