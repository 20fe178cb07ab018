// A multi-page receipt is one document to the extractor: its pages' OCR results are stacked top to
// bottom in reading order, each page's boxes moved below the page before. Pages are scaled to the
// widest page's width (as a viewer fits pages to width), so a text-layer page in PDF points and an
// OCR'd page in pixels share one coordinate space.
import { meanWordConfidence, moveLine, type Box, type OcrPage, type OcrResult, type StackedPage } from './engine';

const move = (b: Box, scale: number, top: number): Box => ({
  x0: b.x0 * scale,
  y0: b.y0 * scale + top,
  x1: b.x1 * scale,
  y1: b.y1 * scale + top,
});

/** One progress figure for pages read side by side: the mean of each page's fraction done. */
export function pageProgress(pages: number, onProgress?: (fraction: number) => void): (page: number, fraction: number) => void {
  const done = new Array<number>(pages).fill(0);
  return (page, fraction) => {
    done[page] = fraction;
    onProgress?.(done.reduce((a, b) => a + b, 0) / pages);
  };
}

/**
 * Each page's turn and the file page it is (`filePages`, 1-based, in the order of `pages`, where the
 * caller knows them); undefined when every page was read as it is and no file page is known.
 */
function pagesRead(pages: OcrResult[], filePages: readonly (number | undefined)[]): OcrPage[] | undefined {
  const read = pages.map((p, i): OcrPage => {
    const filePage = filePages[i] ?? p.pages?.[0]?.filePage;
    return { turn: p.pages?.[0]?.turn ?? 0, ...(filePage !== undefined && { filePage }) };
  });
  return read.some((p) => p.turn !== 0 || p.filePage !== undefined) ? read : undefined;
}

/** One document of the pages read from a file, in order; `filePages` says which page of the file each is. */
export function stackPages(pages: OcrResult[], filePages: readonly (number | undefined)[] = []): OcrResult {
  if (pages.length === 0) throw new RangeError('stackPages needs at least one page');
  const read = pagesRead(pages, filePages);
  if (pages.length === 1) return read ? { ...pages[0]!, pages: read } : pages[0]!;
  const width = Math.max(...pages.map((p) => p.width));
  let top = 0;
  const stacked: StackedPage[] = [];
  const lines = pages.flatMap((page) => {
    // A page without a size (text-only OCR answers) keeps its boxes as they are.
    const scale = page.width > 0 ? width / page.width : 1;
    stacked.push({ top, scale, width: page.width, height: page.height });
    const moved = page.lines.map((line) => moveLine(line, (box) => move(box, scale, top)));
    top += page.height * scale;
    return moved;
  });
  // Engines repeat the same note on every page ("sent a smaller copy"): once is enough.
  const once = (key: 'notes' | 'warnings') => {
    const all = [...new Set(pages.flatMap((p) => p[key] ?? []))];
    return all.length > 0 ? { [key]: all } : {};
  };
  return {
    text: pages
      .map((p) => p.text)
      .filter((t) => t !== '')
      .join('\n'),
    confidence: meanWordConfidence(lines),
    lines,
    width,
    height: Math.ceil(top),
    engine: [...new Set(pages.map((p) => p.engine))].join('+'),
    stacked,
    ...(read && { pages: read }),
    ...once('notes'),
    ...once('warnings'),
  };
}
