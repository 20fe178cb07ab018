// The OCR.space answer, validated where it enters and turned into the same OcrResult layout the local
// engine gives (lines → words → boxes), so the extractor cannot tell the engines apart.
// Protocol: https://ocr.space/OCRAPI — "Response" (OCRExitCode, FileParseExitCode, TextOverlay).
import { z } from 'zod';
import { OCR_SURE_FROM } from '../extract/confidence';
import type { Box, OcrLine, OcrWord } from './engine';

/**
 * OCR.space reports no confidence at all. Its words get the level at which the extractor's
 * confidence-based doubts stop (a merchant line read under 0.75 loses points, a date's certainty scales
 * with it) without claiming a sure reading (tesseract reads clean print at 0.9+), so the receipt's own
 * checks decide whether it needs review: fields missing, totals that do not add up, dates that do not
 * parse. Measured with bench:extract --flat-confidence on tesseract's SROIE text: at 0.5, 66 of 157
 * receipts needed review; at 0.75 or 0.9 the same 41.
 */
export const OCRSPACE_CONFIDENCE = OCR_SURE_FROM;

const finite = z.number().finite();

const wordSchema = z.object({
  WordText: z.string(),
  Left: finite,
  Top: finite,
  Width: finite.nonnegative(),
  Height: finite.nonnegative(),
});

const lineSchema = z.object({
  LineText: z.string().nullish(),
  Words: z.array(wordSchema),
});

const pageSchema = z.object({
  TextOverlay: z
    .object({
      Lines: z.array(lineSchema).nullish(),
      HasOverlay: z.boolean().nullish(),
    })
    .nullish(),
  FileParseExitCode: z.number().int(),
  ParsedText: z.string().nullish(),
  ErrorMessage: z.string().nullish(),
  ErrorDetails: z.string().nullish(),
});

/** ErrorMessage comes as a string or as an array of strings, depending on the failure. */
const errorMessageSchema = z.union([z.string(), z.array(z.string())]).nullish();

export const ocrSpaceResponseSchema = z.object({
  OCRExitCode: z.number().int(),
  IsErroredOnProcessing: z.boolean(),
  ErrorMessage: errorMessageSchema,
  ErrorDetails: errorMessageSchema,
  ParsedResults: z.array(pageSchema).nullish(),
});

export type OcrSpaceResponse = z.infer<typeof ocrSpaceResponseSchema>;

/** All error text of an answer as one readable sentence. */
export function errorText(response: Pick<OcrSpaceResponse, 'ErrorMessage' | 'ErrorDetails'>): string {
  const parts = [response.ErrorMessage, response.ErrorDetails]
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .map((value) => value?.trim())
    .filter((value): value is string => !!value);
  return [...new Set(parts)].join('; ');
}

const PAGE_EXIT: Record<number, string> = {
  0: 'file not found by the service',
  [-10]: 'OCR engine parse error',
  [-20]: 'timed out on the service',
  [-30]: 'failed validation',
  [-99]: 'unknown error',
};

export interface ReadPages {
  text: string;
  lines: OcrLine[];
  /** Right and bottom edge of all boxes: the least size the image must have. */
  extent: { width: number; height: number };
  /** Pages that failed while others succeeded. */
  unread: string[];
  /** False when the service gave text without word positions. */
  hasLayout: boolean;
}

const union = (boxes: Box[]): Box => ({
  x0: Math.min(...boxes.map((b) => b.x0)),
  y0: Math.min(...boxes.map((b) => b.y0)),
  x1: Math.max(...boxes.map((b) => b.x1)),
  y1: Math.max(...boxes.map((b) => b.y1)),
});

const EMPTY_BOX: Box = { x0: 0, y0: 0, x1: 0, y1: 0 };

/**
 * Lines and word boxes from the pages that parsed. Pages of a PDF are stacked top to bottom, each
 * shifted below the previous page's lowest box, so reading order and layout hold across pages.
 * Returns undefined when no page parsed; the caller reports the service's error.
 */
export function readPages(response: OcrSpaceResponse): ReadPages | undefined {
  const pages = response.ParsedResults ?? [];
  const lines: OcrLine[] = [];
  const unread: string[] = [];
  let parsed = 0;
  let hasLayout = true;
  let offsetY = 0;
  let width = 0;

  pages.forEach((page, index) => {
    if (page.FileParseExitCode !== 1) {
      const why = page.ErrorMessage?.trim() || PAGE_EXIT[page.FileParseExitCode] || `exit code ${page.FileParseExitCode}`;
      unread.push(`OCR.space could not read page ${index + 1}: ${why}`);
      return;
    }
    parsed++;
    const overlay = (page.TextOverlay?.Lines ?? []).filter((line) => line.Words.length > 0);
    if (overlay.length > 0) {
      let bottom = offsetY;
      for (const line of overlay) {
        const words: OcrWord[] = line.Words.map((word) => ({
          text: word.WordText,
          confidence: OCRSPACE_CONFIDENCE,
          bbox: {
            x0: word.Left,
            y0: word.Top + offsetY,
            x1: word.Left + word.Width,
            y1: word.Top + word.Height + offsetY,
          },
        }));
        const bbox = union(words.map((word) => word.bbox));
        bottom = Math.max(bottom, bbox.y1);
        width = Math.max(width, bbox.x1);
        const text = line.LineText?.trim() || words.map((word) => word.text).join(' ');
        lines.push({ text, confidence: OCRSPACE_CONFIDENCE, bbox, words });
      }
      offsetY = bottom;
      return;
    }
    // No overlay: text only. Boxes stay empty so nothing pretends to know where a word sits.
    const text = page.ParsedText ?? '';
    if (text.trim()) hasLayout = false;
    for (const raw of text.split(/\r?\n/)) {
      const textLine = raw.replace(/\s+/g, ' ').trim();
      if (!textLine) continue;
      const words = textLine.split(' ').map((word): OcrWord => ({ text: word, confidence: OCRSPACE_CONFIDENCE, bbox: EMPTY_BOX }));
      lines.push({ text: textLine, confidence: OCRSPACE_CONFIDENCE, bbox: EMPTY_BOX, words });
    }
  });

  if (parsed === 0) return undefined;
  return {
    text: lines.map((line) => line.text).join('\n'),
    lines,
    extent: { width: Math.ceil(width), height: Math.ceil(offsetY) },
    unread,
    hasLayout,
  };
}
