// The OCR seam: PP-OCR (the default), the tesseract pool and the OCR.space client all implement
// OcrEngine, so the queue and the extractor never know which one read a receipt. Each engine owns how it reads one
// (turns, re-reads, a second reading): the queue only asks it to read the receipt.
import type { ExtractedFields } from '../../shared/model';
import type { EnhanceOptions } from './enhance';

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  /** 0..1, whatever scale the engine reports in. */
  confidence: number;
  bbox: Box;
}

export interface OcrLine {
  text: string;
  /** 0..1. */
  confidence: number;
  bbox: Box;
  /** Absent when the engine gives only the line's box: read them through wordsOf. */
  words?: OcrWord[];
}

/**
 * A line's words: the engine's, or for a line given only as a box, its text's words placed in the box
 * by character position (an amount at the right of the line keeps a right-hand x), each at the line's
 * confidence.
 */
export function wordsOf(line: OcrLine): OcrWord[] {
  if (line.words) return line.words;
  const { x0, y0, x1, y1 } = line.bbox;
  const perChar = (x1 - x0) / Math.max(1, line.text.length);
  return [...line.text.matchAll(/\S+/g)].map((m) => ({
    text: m[0],
    confidence: line.confidence,
    bbox: { x0: x0 + m.index * perChar, y0, x1: x0 + (m.index + m[0].length) * perChar, y1 },
  }));
}

/** Mean confidence of the lines' words, a line given only as a box counting its text's words. */
export function meanWordConfidence(lines: OcrLine[]): number {
  const words = lines.flatMap(wordsOf);
  return words.length > 0 ? words.reduce((sum, w) => sum + w.confidence, 0) / words.length : 0;
}

/** The line with its box and its words' boxes moved by `move`, e.g. from a crop's coordinates to its page's. */
export function moveLine(line: OcrLine, move: (box: Box) => Box): OcrLine {
  return { ...line, bbox: move(line.bbox), ...(line.words && { words: line.words.map((w) => ({ ...w, bbox: move(w.bbox) })) }) };
}

/** Degrees clockwise a page is turned before it is read. */
export type Turn = 0 | 90 | 180 | 270;

/** One page's place in a stacked document: boxes on it are (page box × scale) moved down by top. */
export interface StackedPage {
  top: number;
  scale: number;
  width: number;
  height: number;
}

/** How one page of a receipt was read. */
export interface OcrPage {
  /** Set by whoever turned the page: the result's boxes refer to the page turned so. */
  turn: Turn;
  /** The file's page (1-based) this page is, where that is known: a PDF's blank pages are not read. */
  filePage?: number;
}

export interface OcrResult {
  /** Plain text, lines separated by \n, in reading order. */
  text: string;
  /** Mean word confidence 0..1. */
  confidence: number;
  lines: OcrLine[];
  /** Size of the image the boxes refer to. */
  width: number;
  height: number;
  engine: string;
  /** One per page read, in order; absent when every page was read as it is and its file page is not known. */
  pages?: OcrPage[];
  /**
   * Where each page sits in a document of several pages stacked into one (stackPages): its top and the
   * scale its boxes were multiplied by, and its own size, so a box can be taken back to its page.
   * Absent for one page: the result's coordinates are the page's.
   */
  stacked?: StackedPage[];
  /** How the receipt was read, shown with it, e.g. "sent a smaller JPEG copy". For people: nothing parses them. */
  notes?: string[];
  /** Parts the engine could not read, e.g. a page OCR.space failed on: the receipt needs review. */
  warnings?: string[];
}

/** The result with `notes` said after its own. */
export const withNotes = (result: OcrResult, ...notes: string[]): OcrResult => ({ ...result, notes: [...(result.notes ?? []), ...notes] });

/** An image ready for OCR: oriented, size-bounded, encoded (PNG or JPEG). */
export interface PreparedImage {
  data: Buffer;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** The page of the file (1-based) this image is of: a PDF's or TIFF's page. */
  filePage?: number;
}

/** What an engine gets: the file on disk, and a way to get prepared images if it needs pixels. */
export interface OcrInput {
  path: string;
  /** Real type from magic bytes, e.g. image/jpeg. */
  mime: string;
  size: number;
  /**
   * The receipt's pages (one for most files; each page of a scanned PDF or multi-page TIFF), decoded,
   * oriented and bounded, in reading order; memoised, so engines may call it freely. An engine reads
   * each page on its own and stacks the results into one document (stack-pages.ts).
   */
  prepare(): Promise<PreparedImage[]>;
  /**
   * Only some of the file's pages are to be read (the others were read from a PDF's text layer): an
   * engine must read the prepared pages, not the file itself.
   */
  partOfFile?: boolean;
  /**
   * The same pages prepared again with pixel steps (enhance.ts), for an engine that reads a poorly read
   * receipt a second way; absent when the pages are not prepared from the file (a line crop).
   */
  enhanced?(enhance: EnhanceOptions): OcrInput;
}

export interface OcrOptions {
  signal?: AbortSignal;
  /** Fraction 0..1 of this file's recognition done. */
  onProgress?: (fraction: number) => void;
  /** The pages are known to be the right way up (a line cut from a page already read): no turns are tried. */
  upright?: boolean;
}

/** A receipt as read: the OCR result kept, and the fields taken from it (and from any other reading of it). */
export interface Reading {
  ocr: OcrResult;
  fields: ExtractedFields;
}

export interface ReadOptions extends Pick<OcrOptions, 'signal' | 'onProgress'> {
  /** The extractor bound to the user's settings: an engine that reads again judges its readings by it. */
  extract(ocr: OcrResult): ExtractedFields;
}

export interface OcrEngine {
  readonly name: string;
  /** Reads a receipt the way this engine reads best: what the queue asks of it. */
  read(input: OcrInput, options: ReadOptions): Promise<Reading>;
  /**
   * One reading of each page (turned upright where the engine finds it), for pages read on their own:
   * a PDF's scanned pages among text pages, a line cut from a page, benchmarks.
   */
  recognize(input: OcrInput, options?: OcrOptions): Promise<OcrResult>;
  /** Frees workers/sockets; the engine is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * The engine cannot read anything on this computer: its runtime or its models do not load (e.g.
 * onnxruntime's DLLs without the Visual C++ runtime on a clean Windows). Another engine still may.
 */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}
