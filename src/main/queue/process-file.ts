// The stages one file goes through, in order: read (sniff + sha-256 in one streaming pass, copying the
// bytes to a private file) → dedupe → OCR and extract from that copy (the engine reads the receipt its
// own way) → save. So the receipt saved under a hash is what was OCR'd, even if the original changes
// meanwhile. Knows nothing of the queue: it reports its stage and returns an outcome.
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ExtractedFields, JobState, Receipt } from '../../shared/model';
import type { OcrEngine, OcrResult } from '../ocr/engine';
import type { Ledger } from '../ledger/ledger';
import { DuplicateReceiptError } from '../ledger/ledger';
import { readReceiptFile } from '../ingest/read';
import { preparedInput } from '../ocr/prepare';
import { readPdf } from '../ocr/pdf-receipt';
import { extractFields } from '../extract/extract';
import type { StoredSettings } from '../settings';

export interface ProcessDeps {
  ledger: Ledger;
  engine: OcrEngine;
  settings: () => StoredSettings;
  limits: { maxBytes: number; maxPixels: number };
  /** A private folder for the copies of files being read. */
  workDir: string;
  /** Fetches an http(s) source into the receipt store and returns its path. */
  download: (url: string, signal: AbortSignal, onProgress: (fraction: number) => void) => Promise<string>;
  /** Waits while another job is reading the same content, so it is OCR'd once. */
  claimSha: (sha256: string) => Promise<() => void>;
}

export type Outcome = { state: 'saved'; receipt: Receipt } | { state: 'duplicate'; duplicateOf: number };

export type StageReporter = (state: Extract<JobState, 'reading' | 'ocr' | 'extracting'>, percent: number) => void;

// Share of a file's work per stage, for one progress bar per file.
const READ_SHARE = 10;
const OCR_SHARE = 85;

export async function processFile(
  job: { id: number; source: string },
  deps: ProcessDeps,
  signal: AbortSignal,
  report: StageReporter,
): Promise<Outcome> {
  report('reading', 0);
  const path = /^https?:\/\//i.test(job.source)
    ? await deps.download(job.source, signal, (f) => report('reading', f * READ_SHARE))
    : job.source;
  const file = await readReceiptFile(path, {
    ...deps.limits,
    signal,
    onProgress: (f) => report('reading', f * READ_SHARE),
    copyDir: deps.workDir,
  });
  // What OCR reads: the bytes hashed (copyDir is always given, so `copy` is always set).
  const hashed = { ...file, path: file.copy ?? file.path };
  let release: (() => void) | undefined;
  try {
    release = await deps.claimSha(file.sha256);
    const existing = deps.ledger.findReceiptBySha(file.sha256);
    if (existing) return { state: 'duplicate', duplicateOf: existing.id };

    report('ocr', READ_SHARE);
    const { dateOrder, defaultCurrency } = deps.settings();
    const read = {
      // The first extraction ends the first reading: whatever the engine reads again shows as extracting.
      extract: (ocr: OcrResult): ExtractedFields => {
        report('extracting', READ_SHARE + OCR_SHARE);
        return extractFields(ocr, { dateOrder, defaultCurrency });
      },
      signal,
      onProgress: (f: number) => report('ocr', READ_SHARE + f * OCR_SHARE),
    };
    const prepare = { maxPixels: deps.limits.maxPixels, signal };
    const reading =
      file.mime === 'application/pdf'
        ? await readPdf(hashed, deps.engine, read, prepare)
        : await deps.engine.read(preparedInput(hashed, prepare), read);
    signal.throwIfAborted();
    try {
      const receipt = deps.ledger.saveReceipt({
        file: { sha256: file.sha256, size: file.size, mime: file.mime, fileName: basename(file.path), sourcePath: file.path },
        // A page the engine could not read is a warning like the extractor's: the receipt needs review.
        fields: { ...reading.fields, warnings: [...(reading.ocr.warnings ?? []), ...reading.fields.warnings] },
        ocrText: reading.ocr.text,
        ocrConfidence: reading.ocr.confidence,
        ocrNotes: reading.ocr.notes ?? [],
        pageTurns: (reading.ocr.pages ?? []).map((page) => page.turn),
        engine: reading.ocr.engine,
        jobId: job.id,
      });
      return { state: 'saved', receipt };
    } catch (error) {
      if (error instanceof DuplicateReceiptError) return { state: 'duplicate', duplicateOf: error.existingId };
      throw error;
    }
  } finally {
    release?.();
    if (file.copy) await rm(file.copy, { force: true });
  }
}
