// Writes a minimal valid one-page PDF whose text layer holds the given lines (Helvetica, top down), the
// way a shop's e-mailed receipt is made.
import { pdfStream, writePdf, type PdfObject } from './pdf-writer';

export function textPdf(lines: string[], options: { encrypt?: boolean } = {}): Buffer {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = ['BT', '/F1 12 Tf', '14 TL', '40 780 Td', ...lines.map((l) => `(${escape(l)}) '`), 'ET'].join('\n');
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    pdfStream(stream),
  ];
  // A standard-security-handler dictionary with a bogus user password hash: readers must ask for a password.
  if (options.encrypt) {
    objects.push(`<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> >>`);
  }
  const encrypt = options.encrypt ? ` /Encrypt ${objects.length} 0 R /ID [<${'00'.repeat(16)}> <${'00'.repeat(16)}>]` : '';
  return writePdf(objects, encrypt);
}
