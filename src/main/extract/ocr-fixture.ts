// Builds OcrResults for tests: receipt lines laid out as a monospace printer would, with word boxes.
import type { OcrLine, OcrResult, OcrWord } from '../ocr/engine';

const CHAR_W = 12;
const LINE_H = 30;
const TEXT_H = 22;

export interface FixtureOptions {
  /** Word confidence 0..1 (default 0.9). */
  confidence?: number;
  /** Pixels the pieces of a split line are shifted vertically against each other. */
  yJitter?: number;
  /** Report all right-hand pieces after all left-hand ones, as an engine that finds two columns does. */
  columns?: boolean;
  /**
   * Rise over run of the print, as on a photo taken at an angle: each word sits this much lower per
   * pixel to the right. A function gives each row's own (0-based), as on a photo in perspective.
   */
  slant?: number | ((row: number) => number);
}

/** A reading whose lines all come with their words, as tesseract's do. */
type OcrWithWords = OcrResult & { lines: Required<OcrLine>[] };

/** One printed line; `|` splits it into pieces the engine reports as separate lines (same baseline). */
export function ocrFromLines(lines: string[], options: FixtureOptions = {}): OcrWithWords {
  const confidence = options.confidence ?? 0.9;
  const pieces: { line: Required<OcrLine>; piece: number }[] = [];
  lines.forEach((line, row) => {
    const slant = typeof options.slant === 'function' ? options.slant(row) : (options.slant ?? 0);
    let col = 0;
    line.split('|').forEach((piece, pieceIndex) => {
      const words: OcrWord[] = [];
      const re = /\S+/g;
      let m: RegExpExecArray | null;
      // A piece's words get a little vertical offset so split pieces are not pixel-identical.
      const y0 = row * LINE_H + (pieceIndex % 2) * (options.yJitter ?? 0);
      while ((m = re.exec(piece))) {
        const x0 = (col + m.index) * CHAR_W;
        const x1 = x0 + m[0].length * CHAR_W;
        const y = y0 + slant * ((x0 + x1) / 2);
        words.push({ text: m[0], confidence, bbox: { x0, y0: y, x1, y1: y + TEXT_H } });
      }
      col += piece.length;
      if (words.length === 0) return;
      const [top, bottom] = [Math.min(...words.map((w) => w.bbox.y0)), Math.max(...words.map((w) => w.bbox.y1))];
      pieces.push({
        piece: pieceIndex,
        line: {
          text: words.map((w) => w.text).join(' '),
          confidence,
          words,
          bbox: { x0: words[0].bbox.x0, y0: top, x1: words[words.length - 1].bbox.x1, y1: bottom },
        },
      });
    });
  });
  if (options.columns) pieces.sort((a, b) => a.piece - b.piece);
  const out = pieces.map((p) => p.line);
  return {
    text: out.map((l) => l.text).join('\n'),
    confidence,
    lines: out,
    width: 48 * CHAR_W,
    height: lines.length * LINE_H,
    engine: 'fixture',
  };
}

/** The same receipt as an engine that gives line boxes with text, and no words, reads it. */
export function lineBoxesOnly(ocr: OcrResult): OcrResult {
  return { ...ocr, lines: ocr.lines.map(({ words: _words, ...line }) => line) };
}

/** The same receipt as plain text only (a PDF text layer, an engine without word boxes). */
export function textOnly(lines: string[]): OcrResult {
  return { text: lines.join('\n'), confidence: 0, lines: [], width: 0, height: 0, engine: 'fixture-text' };
}

/** A US restaurant receipt as printed; `|` marks where an engine splits a line into two pieces. */
export const US_RESTAURANT = [
  'a ;: -',
  'GREEN FIELD',
  '5305 E PACIFIC COAST HWY',
  'Long Beach, CA 90804',
  '(562) 597-0906',
  'Server: Francis   Table: 7',
  '1 Coffee|                 3.00',
  '2 Lunch|                 45.90',
  'SUB TOTAL:|              48.90',
  'Tax 1:|                   4.34',
  'TOTAL:|                  53.24',
  'VISA|                    53.24',
  '05/06/2018 12:53:10 PM',
];
