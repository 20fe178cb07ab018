// Turns an OcrResult into rows of words in reading order. Engines differ: tesseract may split one printed
// line ("TOTAL ........ 9.00") into two lines when the photo is skewed, an engine may give line boxes
// without words (their words are placed along the line by character position), and a cloud engine's
// text-only mode gives no boxes at all. Everything downstream works on these rows.
import { wordsOf, type Box, type OcrResult } from '../ocr/engine';

export interface Word {
  text: string;
  box: Box;
  /** 0..1. */
  confidence: number;
  /** Character offset of the word inside its row's text. */
  start: number;
}

export interface Row {
  /** Words joined by single spaces. */
  text: string;
  words: Word[];
  box: Box;
  /** 0..1, mean of the words. */
  confidence: number;
  /** Position in reading order, 0-based. */
  index: number;
  /** True when boxes are made up from text positions (no geometry from the engine). */
  synthetic: boolean;
}

/** Stand-in geometry for text-only input: one row per text line, one character per unit of width. */
const SYNTH_CHAR_W = 10;
const SYNTH_ROW_H = 20;

interface RawLine {
  words: Omit<Word, 'start'>[];
  box: Box;
}

const hasArea = (b: Box): boolean => b.x1 > b.x0 && b.y1 > b.y0;

export function buildRows(ocr: OcrResult): Row[] {
  const withWords = ocr.lines
    .map((line) => ({ line, words: wordsOf(line).filter((w) => w.text.trim() !== '') }))
    .filter((l) => l.words.length > 0);
  // No words, or words without boxes (an engine's text-only mode): lay the text out ourselves.
  const located = withWords.filter((l) => l.words.some((w) => hasArea(w.bbox)));
  if (located.length === 0) {
    const text = ocr.lines.length > 0 ? ocr.lines.map((l) => l.text).join('\n') : ocr.text;
    return rowsFromText(text, ocr.confidence || (withWords[0]?.line.confidence ?? 0));
  }
  const raw: RawLine[] = withWords.map((l) => {
    const words = l.words.map((w) => ({ text: w.text.trim(), box: w.bbox, confidence: w.confidence }));
    return { words, box: unionBox(words.map((w) => w.box)) };
  });
  const slant = pageSlant(withWords.filter((l) => l.line.words !== undefined).map((l) => l.words.map((w) => w.bbox)));
  return mergeSameBaseline(raw, slant).map((line, index) => finishRow(line.words, index, false));
}

/** A line tells the slant when its first and last words' centres lie this many of its heights apart. */
const SLANT_SPAN_HEIGHTS = 3;
/** Lines that must tell a slant before the page is taken to have one. */
const SLANT_MIN_LINES = 3;

/** What a line shows of the slant: how far its print falls per unit of run, and where it sits. */
interface SlantSample {
  y: number;
  slant: number;
}

/**
 * How far the print slants at each height of the page, as rise over run (y grows down): on a photo
 * taken at an angle each printed row runs lower, or higher, at its right end, so a label and its
 * amount at the far right sit at different heights. In perspective or on a curled receipt the top and
 * the bottom slant differently, so the slant between two lines that tell it goes from one's to the
 * other's, and beyond the first or last it is that line's. Lines given as a box only say nothing:
 * their words are placed level.
 */
export function pageSlant(lines: Box[][]): (y: number) => number {
  const samples: SlantSample[] = [];
  for (const boxes of lines) {
    const [first, last] = [boxes[0], boxes.at(-1)];
    if (!first || !last || first === last) continue;
    const run = centre(last).x - centre(first).x;
    const height = Math.min(first.y1 - first.y0, last.y1 - last.y0);
    if (height <= 0 || run < SLANT_SPAN_HEIGHTS * height) continue;
    samples.push({ y: (centre(first).y + centre(last).y) / 2, slant: (centre(last).y - centre(first).y) / run });
  }
  if (samples.length < SLANT_MIN_LINES) return () => 0;
  samples.sort((a, b) => a.y - b.y);
  // Each line's slant as the median of it and its neighbours, so that one line read askew moves nothing.
  const smooth = samples.map((s, i) => ({
    y: s.y,
    slant: median3(samples[Math.max(0, i - 1)]!.slant, s.slant, samples[Math.min(samples.length - 1, i + 1)]!.slant),
  }));
  return (y) => {
    const below = smooth.findIndex((s) => s.y >= y);
    if (below === -1) return smooth.at(-1)!.slant;
    if (below === 0) return smooth[0]!.slant;
    // p lies above y and q at or below it, so q.y > p.y.
    const [p, q] = [smooth[below - 1]!, smooth[below]!];
    return p.slant + ((q.slant - p.slant) * (y - p.y)) / (q.y - p.y);
  };
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

const centre = (b: Box): { x: number; y: number } => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 });

/** A box as it sits on the page turned level: moved up or down by the slant at its centre. */
function levelled(box: Box, slant: (y: number) => number): Box {
  const c = centre(box);
  const dy = slant(c.y) * c.x;
  return { ...box, y0: box.y0 - dy, y1: box.y1 - dy };
}

function rowsFromText(text: string, confidence: number): Row[] {
  const rows: Row[] = [];
  for (const lineText of text.split(/\r?\n/)) {
    const words: Omit<Word, 'start'>[] = [];
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    const y0 = rows.length * SYNTH_ROW_H;
    while ((m = re.exec(lineText))) {
      words.push({
        text: m[0],
        box: { x0: m.index * SYNTH_CHAR_W, y0, x1: (m.index + m[0].length) * SYNTH_CHAR_W, y1: y0 + SYNTH_ROW_H * 0.8 },
        confidence: confidence || 0.9,
      });
    }
    if (words.length) rows.push(finishRow(words, rows.length, true));
  }
  return rows;
}

function finishRow(words: Omit<Word, 'start'>[], index: number, synthetic: boolean): Row {
  let text = '';
  const placed: Word[] = words.map((w) => {
    if (text) text += ' ';
    const word = { ...w, start: text.length };
    text += w.text;
    return word;
  });
  const confidence = placed.reduce((s, w) => s + w.confidence, 0) / placed.length;
  return { text, words: placed, box: unionBox(placed.map((w) => w.box)), confidence, index, synthetic };
}

export function unionBox(boxes: Box[]): Box {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

/** Share of the shorter box's height that the two boxes have in common vertically. */
export function verticalOverlap(a: Box, b: Box): number {
  const inter = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  const h = Math.min(a.y1 - a.y0, b.y1 - b.y0);
  return h > 0 ? Math.max(0, inter) / h : 0;
}

function horizontallyDisjoint(a: Box, b: Box): boolean {
  return a.x1 <= b.x0 + 2 || b.x1 <= a.x0 + 2;
}

/**
 * Lines that sit on the same baseline and do not overlap horizontally are one printed row
 * (a label on the left, its amount far to the right). A line joins a row when it shares the baseline
 * of every line already in it and overlaps none of them: it may sit in a gap between them ("Date:"
 * between a number and the date), but a line standing tall across two rows does not pull the next
 * row's text into this one. Merged rows keep words left to right.
 */
function mergeSameBaseline(lines: RawLine[], slant: (y: number) => number): RawLine[] {
  // Baselines are compared, and rows ordered, on the page turned level; the boxes stay the page's.
  const members = lines
    .map((line) => ({ line, level: unionBox(line.words.map((w) => levelled(w.box, slant))) }))
    .sort((a, b) => centre(a.level).y - centre(b.level).y);
  const rows: (typeof members)[] = [];
  for (const m of members) {
    const row = rows.find((r) => r.every((o) => verticalOverlap(o.level, m.level) >= 0.6 && horizontallyDisjoint(o.line.box, m.line.box)));
    if (row) row.push(m);
    else rows.push([m]);
  }
  return rows.map((row) => {
    const words = row.flatMap((m) => m.line.words).sort((a, b) => a.box.x0 - b.box.x0);
    return { words, box: unionBox(row.map((m) => m.line.box)) };
  });
}

/** Words of the row whose text range overlaps [start, end). */
export function wordsInRange(row: Row, start: number, end: number): Word[] {
  return row.words.filter((w) => w.start < end && w.start + w.text.length > start);
}

/** Median row height: the unit for "near" and "below" on this receipt. */
export function typicalRowHeight(rows: Row[]): number {
  const hs = rows.map((r) => r.box.y1 - r.box.y0).sort((a, b) => a - b);
  return hs.length ? hs[Math.floor(hs.length / 2)] : SYNTH_ROW_H;
}
