// One page through PP-OCR: detect lines → decide which way up the page is → cut each line upright at
// the recogniser's height → recognise them, each padded to the widest of its group of similar width →
// lines with word boxes.
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { meanWordConfidence, type OcrLine, type OcrResult, type OcrWord, type PreparedImage, type Turn } from '../engine';
import { corners, pointBounds, sampleQuad, type GreyImage, type Quad } from './geometry';
import { detectionSize, detectionTensor, trimOverlaps, regionsFromMap, type DetectOptions, type TextRegion } from './detect';
import { BEST_CLASS, BEST_PROBABILITY } from './best-class';
import { decodeLine, lineTensor, paddedWidth, REC_HEIGHT, wordSpans, type LineReading } from './recognize';
import { boundingBox, clampBox, isSideways, turnImage, turnRect } from './page-turn';

export interface Models {
  detection: ort.InferenceSession;
  /** Its outputs reduced to each step's best class and probability (`withBestClassOutputs`). */
  recognition: ort.InferenceSession;
  classifier: ort.InferenceSession;
  alphabet: readonly string[];
}

export interface ReadPageOptions {
  detect: DetectOptions;
  /** Lines, taken in order of width, are padded in groups of this many to the group's widest. */
  widthGroup: number;
  /** Lines of a group recognised in one model run (1 up to widthGroup); the readings do not depend on it. */
  linesPerRun: number;
  /** Narrower groups are padded to this width (PaddleOCR pads to 320 px). */
  minLineWidth: number;
  /** Lines read with a lower mean character probability than this are dropped as noise (0..1). */
  dropBelow: number;
  /** The page is known to be the right way up: no classifier. */
  upright?: boolean;
  onProgress?: (fraction: number) => void;
  /** Checked before each model run: a cancelled page is left as soon as the run under way ends. */
  signal?: AbortSignal;
}

/** A page's reading and the turn (degrees clockwise) it was read at. */
export interface PageReading {
  result: OcrResult;
  turn: Turn;
}

/** A line image wider than this many heights is cut at it: a receipt line is never that long. */
const MAX_LINE_RATIO = 40;
/** The classifier's input: 48 × 192, lines squeezed or padded into it. */
const CLS_HEIGHT = 48;
const CLS_WIDTH = 192;
/** Lines the classifier looks at per page: the longest ones, which carry the most text. */
const CLS_SAMPLE = 12;
/** A line's classification counts only when the classifier is this sure (0..1). */
const CLS_SURE = 0.9;

export async function readPage(page: PreparedImage, models: Models, options: ReadPageOptions): Promise<PageReading> {
  // A page cancelled before its turn is not even decoded.
  options.signal?.throwIfAborted();
  const grey = await greyPixels(page);
  options.signal?.throwIfAborted();
  const regions = await detect(grey, models.detection, options.detect);
  options.onProgress?.(0.3);
  let turn: Turn = 0;
  let image = grey;
  let lines = regions;
  if (!options.upright && regions.length > 0) {
    // Lines made to run across the page, then asked whether they are upside down.
    const sideways: Turn = isSideways(regions) ? 90 : 0;
    const across = {
      image: turnImage(grey, sideways),
      regions: regions.map((r) => ({ ...r, rect: turnRect(r.rect, sideways, grey.width, grey.height) })),
    };
    options.signal?.throwIfAborted();
    turn = (await upsideDown(across.image, across.regions, models.classifier)) ? (((sideways + 180) % 360) as Turn) : sideways;
    // The detector finds lines best the right way up (sideways print breaks into pieces): a turned
    // page, which is rare, is detected again as it is now.
    if (turn !== 0) {
      image = turn === sideways ? across.image : turnImage(grey, turn);
      options.signal?.throwIfAborted();
      lines = await detect(image, models.detection, options.detect);
    }
  }
  const ocrLines = await recognise(image, trimOverlaps(lines), models, options);
  options.onProgress?.(1);
  return { result: toResult(ocrLines, image.width, image.height), turn };
}

async function greyPixels(page: PreparedImage): Promise<GreyImage> {
  const { data, info } = await sharp(page.data).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

async function detect(image: GreyImage, session: ort.InferenceSession, options: DetectOptions): Promise<TextRegion[]> {
  const size = detectionSize(image.width, image.height, options.maxPixels);
  const { data } = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 1 },
  })
    .resize({ width: size.width, height: size.height, fit: 'fill' })
    // sharp writes single-channel raw input back out as sRGB unless told otherwise.
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const input = new ort.Tensor('float32', detectionTensor({ data, width: size.width, height: size.height }), [
    1,
    3,
    size.height,
    size.width,
  ]);
  const output = await session.run({ [session.inputNames[0]!]: input });
  const map = output[session.outputNames[0]!]!.data as Float32Array;
  return regionsFromMap(map, size.width, size.height, options, image.width / size.width, image.height / size.height);
}

/** True when the classifier, sure of enough of the page's longest lines, finds most of them upside down. */
async function upsideDown(image: GreyImage, regions: TextRegion[], session: ort.InferenceSession): Promise<boolean> {
  const sample = [...regions].sort((a, b) => b.rect.width - a.rect.width).slice(0, CLS_SAMPLE);
  if (sample.length === 0) return false;
  const data = lineTensor(
    sample.map((region) => sampleQuad(image, corners(region.rect), CLS_HEIGHT, CLS_WIDTH)),
    CLS_WIDTH,
  );
  const output = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', data, [sample.length, 3, CLS_HEIGHT, CLS_WIDTH]),
  });
  const probs = output[session.outputNames[0]!]!.data as Float32Array;
  let up = 0;
  let down = 0;
  for (let n = 0; n < sample.length; n++) {
    if (probs[n * 2]! >= CLS_SURE) up++;
    else if (probs[n * 2 + 1]! >= CLS_SURE) down++;
  }
  return down > up;
}

async function recognise(image: GreyImage, regions: TextRegion[], models: Models, options: ReadPageOptions): Promise<OcrLine[]> {
  const crops = regions.map((region): LineCrop => {
    const quad = corners(region.rect);
    return { region, quad, pixels: sampleQuad(image, quad, REC_HEIGHT, REC_HEIGHT * MAX_LINE_RATIO) };
  });
  // A line's reading depends on the padding after it (the recogniser's attention reads the whole
  // width), so lines are padded as PaddleOCR batches them: in groups of like width, to the widest. How
  // many of a group go through one model run suits the cores (`linesPerRun` in paddle-engine.ts); the
  // readings are the same either way, as a run computes each line on its own.
  const order = crops.map((_, i) => i).sort((a, b) => crops[a]!.pixels.width - crops[b]!.pixels.width);
  const lines: (OcrLine | null)[] = new Array(crops.length).fill(null);
  const session = models.recognition;
  for (let start = 0; start < order.length; start += options.widthGroup) {
    const group = order.slice(start, start + options.widthGroup);
    const width = paddedWidth(
      group.map((i) => crops[i]!.pixels),
      options.minLineWidth,
    );
    for (let from = 0; from < group.length; from += options.linesPerRun) {
      options.signal?.throwIfAborted();
      const run = group.slice(from, from + options.linesPerRun);
      const input = new ort.Tensor(
        'float32',
        lineTensor(
          run.map((i) => crops[i]!.pixels),
          width,
        ),
        [run.length, 3, REC_HEIGHT, width],
      );
      const output = await session.run({ [session.inputNames[0]!]: input });
      const steps = output[BEST_CLASS]!.dims[1] as number;
      const [best, probability] = [output[BEST_CLASS]!.data as Int32Array, output[BEST_PROBABILITY]!.data as Float32Array];
      run.forEach((i, n) => {
        const crop = crops[i]!;
        const line = [n * steps, (n + 1) * steps] as const;
        const reading = decodeLine(best.subarray(...line), probability.subarray(...line), models.alphabet, crop.pixels.width);
        lines[i] = toLine(reading, crop, image, options.dropBelow);
      });
    }
    options.onProgress?.(0.3 + (0.7 * Math.min(order.length, start + options.widthGroup)) / order.length);
  }
  return lines.filter((l): l is OcrLine => l !== null);
}

/** A line image cut out of the page: its region, the corners it was cut from, and its pixels. */
interface LineCrop {
  region: TextRegion;
  quad: Quad;
  pixels: GreyImage;
}

/** A recognised line with its word boxes on the page; null when it is noise (empty or unsure). */
function toLine(reading: LineReading, crop: LineCrop, image: GreyImage, dropBelow: number): OcrLine | null {
  if (reading.text.trim() === '' || reading.confidence < dropBelow) return null;
  const [p0, p1, p2, p3] = crop.quad;
  // A word's box: the part of the line between its start and end fractions along the text.
  const at = (f: number) => ({
    top: { x: p0.x + f * (p1.x - p0.x), y: p0.y + f * (p1.y - p0.y) },
    bottom: { x: p3.x + f * (p2.x - p3.x), y: p3.y + f * (p2.y - p3.y) },
  });
  const words: OcrWord[] = wordSpans(reading, crop.pixels).map((span) => {
    const a = at(span.from),
      b = at(span.to);
    const pts = [a.top, a.bottom, b.top, b.bottom];
    return { text: span.text, confidence: span.confidence, bbox: clampBox(pointBounds(pts), image.width, image.height) };
  });
  if (words.length === 0) return null;
  return {
    text: words.map((w) => w.text).join(' '),
    confidence: reading.confidence,
    bbox: boundingBox(crop.region.rect, image.width, image.height),
    words,
  };
}

/** Lines in reading order (top to bottom, then left to right), as one page's result. */
function toResult(lines: OcrLine[], width: number, height: number): OcrResult {
  const sorted = [...lines].sort((a, b) => (a.bbox.y0 + a.bbox.y1) / 2 - (b.bbox.y0 + b.bbox.y1) / 2 || a.bbox.x0 - b.bbox.x0);
  return {
    text: sorted.map((l) => l.text).join('\n'),
    confidence: meanWordConfidence(sorted),
    lines: sorted,
    width,
    height,
    engine: 'paddle',
  };
}
