import { describe, expect, it } from 'vitest';
import { decodeLine, lineTensor, paddedWidth, parseAlphabet, wordSpans } from './recognize';

const ALPHABET = parseAlphabet('A\nB\nC\n1\n.\n');

/** CTC output as the model hands it back (best-class.ts): each step's most likely class (0 = blank) and its probability. */
function steps(list: [number, number][]): [Int32Array, Float32Array] {
  return [Int32Array.from(list.map(([c]) => c)), Float32Array.from(list.map(([, p]) => p))];
}

describe('parseAlphabet', () => {
  it('reads one character a line and adds the space the model was trained with', () => {
    expect(ALPHABET).toEqual(['A', 'B', 'C', '1', '.', ' ']);
  });
});

describe('decodeLine', () => {
  it('collapses repeats, drops blanks and places each character at the centre of its steps', () => {
    // A A _ B _ B C C ; 8 steps of 8 px over a 64 px line.
    const line = decodeLine(
      ...steps([
        [1, 0.9],
        [1, 0.9],
        [0, 0.9],
        [2, 0.8],
        [0, 0.9],
        [2, 0.7],
        [3, 1],
        [3, 1],
      ]),
      ALPHABET,
      64,
    );
    expect(line.text).toBe('ABBC');
    expect(line.charConfidence).toEqual([expect.closeTo(0.9), expect.closeTo(0.8), expect.closeTo(0.7), 1]);
    expect(line.charPosition.map((p) => p * 64)).toEqual([8, 28, 44, 56]);
    expect(line.confidence).toBeCloseTo(0.85);
  });

  it('ignores the steps over padding beyond the line image', () => {
    const line = decodeLine(
      ...steps([
        [1, 0.9],
        [0, 0.9],
        [2, 0.9],
        [3, 0.9],
      ]),
      ALPHABET,
      16,
    );
    expect(line.text).toBe('A');
  });
});

describe('wordSpans', () => {
  /** A line image 20 px tall with ink in the given column ranges. */
  function inked(width: number, ranges: [number, number][]) {
    const data = new Uint8Array(width * 20).fill(255);
    for (const [a, b] of ranges) for (let y = 5; y < 15; y++) for (let x = a; x < b; x++) data[y * width + x] = 0;
    return { data, width, height: 20 };
  }

  it('splits at a space the recogniser wrote', () => {
    const reading = { text: 'AB C', charConfidence: [0.9, 0.8, 1, 0.6], charPosition: [0.1, 0.2, 0.3, 0.4], confidence: 0.8 };
    const spans = wordSpans(reading, inked(100, [[0, 100]]));
    expect(spans.map((s) => s.text)).toEqual(['AB', 'C']);
    expect(spans[0]!.confidence).toBeCloseTo(0.85);
    expect(spans[1]!.from).toBeCloseTo(0.35);
  });

  it('splits where a whole character cell is blank, not at the wide cell of a full stop', () => {
    // "1.1 A": cells 10 px wide; the '.' is a thin mark in its cell; two empty cells before the A.
    const image = inked(100, [
      [1, 9],
      [14, 16],
      [21, 29],
      [51, 59],
    ]);
    const reading = { text: '1.1A', charConfidence: [1, 1, 1, 1], charPosition: [0.05, 0.15, 0.25, 0.55], confidence: 1 };
    expect(wordSpans(reading, image).map((s) => s.text)).toEqual(['1.1', 'A']);
  });
});

describe('paddedWidth and lineTensor', () => {
  it('pads a group to its widest line, at least the width asked, with mid-grey', () => {
    const line = { data: new Uint8Array(48 * 100).fill(255), width: 100, height: 48 };
    expect(paddedWidth([line, { ...line, width: 90 }], 0)).toBe(100);
    const width = paddedWidth([line], 320);
    expect(width).toBe(320);
    const data = lineTensor([line], width);
    expect(data[0]).toBe(1);
    expect(data[150]).toBe(0);
  });
});
