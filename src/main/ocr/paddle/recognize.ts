// PP-OCR text recognition (SVTR + CTC): each line image, 48 px tall, becomes a sequence of steps along
// it, each with its most likely character and that character's probability (`best-class.ts`); greedy
// CTC decoding turns them into text, a confidence per character and the column each character was read
// at, from which word boxes follow.
import type { GreyImage } from './geometry';

/** The recogniser's input height (PP-OCRv4). */
export const REC_HEIGHT = 48;
/** Input columns per output step of the recogniser. */
const STRIDE = 8;

/** One line image's reading: text, a probability per character, and where each was read (0..1 of the line). */
export interface LineReading {
  text: string;
  /** Probability of each character (code point) of `text`, 0..1. */
  charConfidence: number[];
  /** Centre of each character of `text` along the line, as a fraction 0..1 of the line's length. */
  charPosition: number[];
  /** Mean of `charConfidence` (0 for an empty reading). */
  confidence: number;
}

/** The width a group of line images is padded to: the widest, and at least `minWidth`. */
export const paddedWidth = (lines: GreyImage[], minWidth: number): number => Math.max(minWidth, ...lines.map((l) => l.width));

/**
 * Line images (all one height) as a model's [N, 3, height, width] input, grey in every channel,
 * scaled to -1..1 and padded on the right with 0 (mid-grey, PaddleOCR's padding).
 */
export function lineTensor(lines: GreyImage[], width: number): Float32Array {
  const height = lines[0]?.height ?? 0;
  const plane = height * width;
  const data = new Float32Array(lines.length * 3 * plane);
  lines.forEach((line, n) => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < Math.min(line.width, width); x++) {
        const v = line.data[y * line.width + x]! / 127.5 - 1;
        const at = n * 3 * plane + y * width + x;
        data[at] = v;
        data[at + plane] = v;
        data[at + 2 * plane] = v;
      }
    }
  });
  return data;
}

/**
 * Greedy CTC decoding of one line's output, each step's most likely class and its probability (the
 * model hands back only those: `best-class.ts`): repeats collapsed, blanks (class 0) dropped.
 * `lineWidth` is the line image's own width, so positions ignore the padding.
 */
export function decodeLine(best: Int32Array, probability: Float32Array, alphabet: readonly string[], lineWidth: number): LineReading {
  const used = Math.min(best.length, Math.ceil(lineWidth / STRIDE));
  let text = '';
  const charConfidence: number[] = [];
  const charPosition: number[] = [];
  let previous = 0;
  // A character is read over a run of steps; its position is the run's centre.
  let runStart = 0;
  const place = (end: number) => {
    if (charPosition.length > 0) charPosition[charPosition.length - 1] = Math.min(1, (((runStart + end) / 2) * STRIDE) / lineWidth);
  };
  for (let t = 0; t < used; t++) {
    const c = best[t]!;
    if (c !== previous && previous !== 0) place(t);
    if (c !== 0 && c !== previous) {
      text += alphabet[c - 1] ?? '';
      charConfidence.push(probability[t]!);
      charPosition.push(0);
      runStart = t;
    }
    previous = c;
  }
  if (previous !== 0) place(used);
  const confidence = charConfidence.length ? charConfidence.reduce((a, b) => a + b, 0) / charConfidence.length : 0;
  return { text, charConfidence, charPosition, confidence };
}

export interface WordSpan {
  text: string;
  /** Start and end along the line, fractions 0..1. */
  from: number;
  to: number;
  confidence: number;
}

/**
 * Two neighbouring characters have a space between them that the recogniser did not write (it often
 * leaves single spaces out) when both say so: their centres stand this many times the line's usual
 * character pitch apart (a missing character cell), and a blank gap between them is SPACE_GAPS times
 * the line's usual gap between letters and at least SPACE_MIN of the line image's height. Either
 * alone splits words wrongly: centres vary with proportional fonts, and in monospaced print a '.'
 * stands alone in a wide cell.
 */
const SPACE_PITCH = 1.5;
const SPACE_GAPS = 2.5;
const SPACE_MIN = 0.1;
/** A column is blank when none of its pixels is darker than this share of the way from paper to ink. */
const INK_LEVEL = 0.5;

/** For each column of a line image: the width of the blank run it is in (0 where there is ink). */
export function blankRuns(line: GreyImage): Float32Array {
  let lo = 255;
  let hi = 0;
  for (const v of line.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const cut = hi - INK_LEVEL * (hi - lo);
  const blank = new Uint8Array(line.width).fill(1);
  for (let y = 0; y < line.height; y++) {
    for (let x = 0; x < line.width; x++) if (line.data[y * line.width + x]! < cut) blank[x] = 0;
  }
  const runs = new Float32Array(line.width);
  for (let x = 0; x < line.width;) {
    if (!blank[x]) {
      x++;
      continue;
    }
    let end = x;
    while (end < line.width && blank[end]) end++;
    runs.fill(end - x, x, end);
    x = end;
  }
  return runs;
}

/**
 * The words of a line reading: runs of characters split at written spaces and at wide gaps, each
 * spanning from half a character before its first character's position to half a character after
 * its last.
 */
export function wordSpans(reading: LineReading, line: GreyImage): WordSpan[] {
  const { text, charPosition, charConfidence } = reading;
  const chars = [...text];
  const steps: number[] = [];
  for (let i = 1; i < chars.length; i++) if (!/\s/.test(chars[i]! + chars[i - 1]!)) steps.push(charPosition[i]! - charPosition[i - 1]!);
  const pitch = median(steps) ?? 0.05;
  const half = Math.max(0.005, pitch / 2);
  const runs = blankRuns(line);
  const space = Math.max(SPACE_MIN * line.height, SPACE_GAPS * letterGap(runs));
  const spaceBetween = (a: number, b: number): boolean => {
    if (b - a < SPACE_PITCH * pitch) return false;
    for (let x = Math.floor(a * line.width); x < Math.ceil(b * line.width) && x < line.width; x++) {
      if (runs[x]! >= space) return true;
    }
    return false;
  };
  const spans: WordSpan[] = [];
  let start = -1;
  const close = (end: number) => {
    if (start < 0) return;
    const conf = charConfidence.slice(start, end);
    spans.push({
      text: chars.slice(start, end).join(''),
      from: Math.max(0, charPosition[start]! - half),
      to: Math.min(1, charPosition[end - 1]! + half),
      confidence: conf.reduce((a, b) => a + b, 0) / conf.length,
    });
    start = -1;
  };
  chars.forEach((ch, i) => {
    if (/\s/.test(ch)) return close(i);
    if (start >= 0 && spaceBetween(charPosition[i - 1]!, charPosition[i]!)) close(i);
    if (start < 0) start = i;
  });
  close(chars.length);
  return spans;
}

/** The recogniser's alphabet: the dictionary's characters, one a line, then the space it was trained with. */
export function parseAlphabet(dictionary: string): string[] {
  const chars = dictionary.split(/\r?\n/);
  if (chars[chars.length - 1] === '') chars.pop();
  return [...chars, ' '];
}

/** The median width of the blank gaps between inked columns (the line's margins left out). */
function letterGap(runs: Float32Array): number {
  const gaps: number[] = [];
  let x = 0;
  while (x < runs.length && runs[x]! > 0) x++;
  while (x < runs.length) {
    const width = runs[x]!;
    if (width === 0) {
      x++;
      continue;
    }
    if (x + width < runs.length) gaps.push(width);
    x += width;
  }
  return median(gaps) ?? 0;
}

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
