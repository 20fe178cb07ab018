// Reads pages scanned or photographed sideways or upside down the right way up. Only a page whose
// first reading is poor pays anything: a reduced copy of it is read turned each other way (3 readings
// of 56% of the pixels), and when the best of them reads better than the first reading the page is
// read again, full size, at that turn, and kept if clearly better. Upright pages that read well
// (nearly all) cost nothing extra.
// Not tesseract's orientation detection (OSD): it needs the legacy engine and its data in the workers.
// Not a pixel test on ink profiles: measured on our receipts it could not tell upright from sideways
// (the columns of a monospaced till print jump as much as its lines do).
import sharp from 'sharp';
import { OCR_DOUBTFUL_BELOW } from '../../extract/confidence';
import {
  withNotes,
  wordsOf,
  type OcrEngine,
  type OcrInput,
  type OcrOptions,
  type OcrPage,
  type OcrResult,
  type PreparedImage,
  type Turn,
} from '../engine';
import { readTurned, turnNote } from '../turns';

const TURNS: readonly Turn[] = [0, 90, 180, 270];

/**
 * Reading quality below which a page may be turned. Upside-down receipts read at most 0.16 (44
 * measured); of upright ones 2 of 157 SROIE scans, 2 of 52 SRD and 5 of 95 WildReceipt photos read
 * below. (Mean word confidence tells them apart less well: a sideways page can read at 0.46, as garbage
 * of one- and two-character "words" read with fair confidence.)
 */
const POOR_READING = 0.2;
/** A turn is kept only when, at full size, it reads this much better than the page as it is. */
const CLEARLY_BETTER = 0.15;
/**
 * The reduced copies' scale: 56% of the pixels. At half size the small print of 150 dpi SROIE scans
 * no longer read the right way up either, and 7 of 20 upside-down ones were left as they were.
 */
const REDUCED = 0.75;

/** The page turned `turn` degrees clockwise and scaled by `scale`, as the PNG tesseract reads. */
export async function turnedPage(page: PreparedImage, turn: Turn, scale = 1): Promise<PreparedImage> {
  let pipeline = sharp(page.data).rotate(turn);
  if (scale !== 1) {
    const [w, h] = turn % 180 === 0 ? [page.width, page.height] : [page.height, page.width];
    pipeline = pipeline.resize({ width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)), fit: 'fill' });
  }
  const { data, info } = await pipeline.toColourspace('b-w').png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
  return {
    data,
    mime: 'image/png',
    width: info.width,
    height: info.height,
    ...(page.filePage !== undefined && { filePage: page.filePage }),
  };
}

/** Confidently read characters of word-like tokens: at least 3 letters or digits, and mostly those. */
const MIN_WORD_CHARS = 3;
const MIN_WORD_SHARE = 0.7;

/**
 * Share of a reading's characters that are in confidently read, word-like tokens (0..1). A page
 * read turned the wrong way comes out as short runs of symbols and single characters.
 */
export function readingQuality(result: OcrResult): number {
  let good = 0;
  let all = 0;
  for (const line of result.lines) {
    for (const word of wordsOf(line)) {
      all += word.text.length;
      const alnum = word.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
      if (word.confidence >= OCR_DOUBTFUL_BELOW && alnum >= MIN_WORD_CHARS && alnum >= MIN_WORD_SHARE * word.text.length) good += alnum;
    }
  }
  return all > 0 ? good / all : 0;
}

/** The turn `pages` (an OcrResult's) say page `index` (0-based) was read at. */
const turnOf = (pages: readonly OcrPage[] | undefined, index: number): Turn => pages?.[index]?.turn ?? 0;

/**
 * Reads `input` again (the second pass) with each page turned the way an earlier reading kept it
 * (its `pages`), trying no turns of its own; the result says how its pages were turned, as the first did.
 */
export async function readAgainTurned(
  engine: OcrEngine,
  input: OcrInput,
  turns: readonly OcrPage[] | undefined,
  options: OcrOptions = {},
): Promise<OcrResult> {
  const pages = await pagesAsRead(await input.prepare(), turns);
  const result = await engine.recognize({ ...input, prepare: async () => pages }, { ...options, upright: true });
  const kept = pages.map((_, i) => turnOf(turns, i));
  if (kept.every((turn) => turn === 0)) return result;
  const notes = kept.flatMap((turn, i) => (turn === 0 ? [] : [turnNote(i + 1, turn)]));
  return { ...withNotes(result, ...notes), pages: kept.map((turn, i) => ({ ...result.pages?.[i], turn })) };
}

/** Each page turned the way a reading of it was kept (that reading's `pages`). */
export function pagesAsRead(pages: PreparedImage[], turns: readonly OcrPage[] | undefined): Promise<PreparedImage[]> {
  return Promise.all(
    pages.map((page, i) => {
      const turn = turnOf(turns, i);
      return turn === 0 ? page : turnedPage(page, turn);
    }),
  );
}

/**
 * Reads page `index` (0-based) with `read`; when that reading is poor, finds the turn that reads best
 * on reduced copies and keeps the page's reading at that turn when it reads clearly better. A turned
 * page's result says its turn (pages) and a note says it for people. `read` is told which reading is
 * the first, so that progress is reported for that one only.
 */
export async function readUpright(
  page: PreparedImage,
  index: number,
  read: (image: PreparedImage, first: boolean) => Promise<OcrResult>,
): Promise<OcrResult> {
  const first = await read(page, true);
  const firstQuality = readingQuality(first);
  if (firstQuality >= POOR_READING) return first;
  // Reduced copies only pick the turn to try: they read worse than the page at full size, so the
  // best must beat the first reading at all, and the full-size reading at that turn must beat it clearly.
  const trials = await Promise.all(
    TURNS.filter((turn) => turn !== 0).map(async (turn) => ({
      turn,
      quality: readingQuality(await read(await turnedPage(page, turn, REDUCED), false)),
    })),
  );
  const best = trials.reduce((a, b) => (b.quality > a.quality ? b : a));
  if (best.quality <= firstQuality) return first;
  const turned = await read(await turnedPage(page, best.turn), false);
  if (readingQuality(turned) < firstQuality + CLEARLY_BETTER) return first;
  return readTurned(turned, index, best.turn);
}
