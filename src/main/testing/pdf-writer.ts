// Test fixtures: writes a minimal valid PDF from its objects, computing the xref table's byte offsets
// (a reader that checks them, like pdf.js, would otherwise repair or reject the file).

/** A stream object: its dictionary entries (without /Length, which is computed) and its bytes. */
export interface PdfStream {
  dict: string;
  data: Buffer;
}

export type PdfObject = string | PdfStream;

/** A stream of PDF operators (text, latin1). */
export const pdfStream = (content: string, dict = ''): PdfStream => ({ dict, data: Buffer.from(content, 'latin1') });

/** Object i (0-based) becomes `i+1 0 obj`; the catalog must be object 1. `trailer` adds trailer entries. */
export function writePdf(objects: PdfObject[], trailer = ''): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0].length;
  const push = (part: Buffer | string) => {
    const buf = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    parts.push(buf);
    length += buf.length;
  };
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(length);
    push(`${i + 1} 0 obj\n`);
    if (typeof obj === 'string') push(obj);
    else {
      push(`<< ${obj.dict} /Length ${obj.data.length} >>\nstream\n`);
      push(obj.data);
      push('\nendstream');
    }
    push('\nendobj\n');
  });
  const xref = length;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  push(offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join(''));
  push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailer} >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
