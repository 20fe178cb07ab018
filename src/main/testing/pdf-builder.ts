// Test fixtures: assembles PDF bytes from numbered objects with a correct xref table (offsets computed,
// not guessed), so fixtures state only the objects that matter to them.

/** A stream object: `dict` entries plus the computed /Length. */
export function pdfStream(content: string, dict = ''): string {
  return `<<${dict ? ` ${dict}` : ''} /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

/** Object n is `objects[n - 1]`; object 1 must be the catalog. `trailer` adds entries to the trailer. */
export function buildPdf(objects: string[], trailer = ''): Buffer {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailer} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
