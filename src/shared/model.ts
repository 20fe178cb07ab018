// Domain types shared by main, preload and renderer. No node or electron imports here.

/** ISO 4217 code, upper case, e.g. "USD", "MYR". */
export type CurrencyCode = string;

/** Money in integer minor units (cents) with its currency; never floats. */
export interface Money {
  minor: number;
  currency: CurrencyCode;
}

export type DateOrder = 'DMY' | 'MDY';

/** Where a file is in the pipeline. Terminal states: saved, duplicate, failed, cancelled, skipped. */
export type JobState = 'queued' | 'reading' | 'ocr' | 'extracting' | 'saved' | 'duplicate' | 'failed' | 'cancelled' | 'skipped';

export const TERMINAL_STATES: readonly JobState[] = ['saved', 'duplicate', 'failed', 'cancelled', 'skipped'];

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** One file's place in the batch queue, as shown in the window and printed by the CLI. */
export interface Job {
  id: number;
  batchId: string;
  /** Absolute path of the source file (or the URL it was downloaded from). */
  source: string;
  fileName: string;
  state: JobState;
  /** 0..100 within the current stage's overall share of the file's work. */
  percent: number;
  /** Human-readable reason for failed/skipped, specific to this file. */
  error?: string;
  receiptId?: number;
  /** For state 'duplicate': the receipt this file duplicates. */
  duplicateOf?: number;
  /**
   * For state 'saved': another receipt with the same merchant, date, total and currency, while a person
   * has not yet kept both or merged them (a possible duplicate; the file was saved anyway).
   */
  possibleDuplicateOf?: number;
  createdAt: string;
  updatedAt: string;
}

/** A change to one job, sent in batches over the 'queue:progress' event. */
export type JobUpdate = Pick<Job, 'id' | 'state' | 'percent'> &
  Partial<Pick<Job, 'error' | 'receiptId' | 'duplicateOf' | 'possibleDuplicateOf'>>;

export interface LineItem {
  description: string;
  quantity?: number;
  /** Line amount in minor units. */
  amountMinor: number;
}

/** Fields the extractor can fill; every one may be missing. */
export const FIELD_NAMES = ['merchant', 'date', 'total', 'subtotal', 'tax', 'tip', 'currency', 'paymentMethod'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** A rectangle on one page of a receipt, in that page's pixels as shown (turned the way OCR read it). */
export interface PageBox {
  /** 0-based page index. */
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Something recognised on the receipt that a person can pick for a field: an amount (value in minor
 * units), a date (ISO value) or a printed line (its text, for names).
 */
export type ReadTarget =
  | { kind: 'amount'; text: string; value: number; box: PageBox }
  | { kind: 'date'; text: string; value: string; box: PageBox }
  | { kind: 'line'; text: string; value: string; box: PageBox };

/** Where each field was read on the receipt, and what else was recognised there. */
export interface Provenance {
  /**
   * Size of each page as shown; boxes are in these coordinates. `filePage`: the page of the file it is
   * (1-based), when known (a PDF's blank pages are not read); absent in receipts read before it was kept.
   */
  pages: { width: number; height: number; filePage?: number }[];
  /** The box(es) each extracted field was read from; absent for a field found nowhere (or computed). */
  fields: Partial<Record<FieldName, PageBox[]>>;
  /** The boxes of each line item, in the order of `items`. */
  items: PageBox[][];
  /** Recognised amounts, dates and lines, in reading order. */
  targets: ReadTarget[];
}

/** What the extractor read from one receipt. Amounts are minor units in `currency`. */
export interface ExtractedFields {
  merchant: string | null;
  /** ISO YYYY-MM-DD. */
  date: string | null;
  totalMinor: number | null;
  subtotalMinor: number | null;
  taxMinor: number | null;
  tipMinor: number | null;
  currency: CurrencyCode | null;
  paymentMethod: string | null;
  items: LineItem[];
  /** 0..1 per field that was found. */
  confidence: Partial<Record<FieldName, number>>;
  /** Why a person should look at this receipt (missing total, totals disagree, ...). Empty when fine. */
  warnings: string[];
  /** Where the fields were read; absent when the reading had no geometry (plain text). */
  provenance?: Provenance;
}

export const DEFAULT_CATEGORIES = ['Meals', 'Groceries', 'Travel', 'Fuel', 'Lodging', 'Office', 'Utilities', 'Other'] as const;

/** A receipt row of the ledger. */
export interface Receipt {
  id: number;
  sha256: string;
  fileName: string;
  sourcePath: string;
  mime: string;
  merchant: string | null;
  date: string | null;
  totalMinor: number | null;
  subtotalMinor: number | null;
  taxMinor: number | null;
  tipMinor: number | null;
  currency: CurrencyCode | null;
  paymentMethod: string | null;
  category: string | null;
  items: LineItem[];
  /** Overall confidence 0..1 (lowest of the key fields). */
  confidence: number;
  needsReview: boolean;
  warnings: string[];
  /** Fields a person corrected by hand; a re-scan never overwrites them. */
  corrected: FieldName[];
  scannedAt: string;
  updatedAt: string;
  /**
   * Other live receipts with the same merchant, date, total and currency that a person has not yet
   * resolved (kept both or merged): possible duplicates, in either direction.
   */
  possibleDuplicates: number[];
}

/** An unresolved soft duplicate, seen from the receipt it is listed on. */
export interface PossibleDuplicate {
  receipt: Receipt;
  /** True when this receipt was flagged as a duplicate of the other (it came later); the other is the original. */
  thisFlagged: boolean;
}

/** Detail view of one receipt: the row plus its OCR text and notes, possible duplicates and merged-in files. */
export interface ReceiptDetail extends Receipt {
  ocrText: string;
  /** How the OCR engine read it, e.g. "sent a smaller JPEG copy"; information, not warnings. */
  ocrNotes: string[];
  duplicates: PossibleDuplicate[];
  /** Files of receipts merged into this one; re-scanning them finds this receipt. */
  mergedFiles: { fileName: string; sourcePath: string; sha256: string }[];
  /** Where the fields were read on the receipt; null when unknown (plain text, or scanned before boxes were kept). */
  provenance: Provenance | null;
}

/** How a person settles a possible duplicate. */
export type DuplicateAction = 'keep-both' | 'merge';

/** Fields a person may correct. null clears a field. */
export interface ReceiptPatch {
  merchant?: string | null;
  date?: string | null;
  totalMinor?: number | null;
  subtotalMinor?: number | null;
  taxMinor?: number | null;
  tipMinor?: number | null;
  currency?: CurrencyCode | null;
  paymentMethod?: string | null;
  category?: string | null;
}

export type SortKey = 'date' | 'merchant' | 'total' | 'scannedAt' | 'confidence' | 'category';

export interface LedgerFilter {
  /** Free text over merchant, file name, category and OCR text. */
  text?: string;
  dateFrom?: string;
  dateTo?: string;
  minTotalMinor?: number;
  maxTotalMinor?: number;
  category?: string;
  needsReview?: boolean;
  /** Only receipts with (true) or without (false) an unresolved possible duplicate. */
  possibleDuplicates?: boolean;
}

export interface LedgerQuery extends LedgerFilter {
  sort?: SortKey;
  direction?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export interface LedgerPage {
  rows: Receipt[];
  /** Rows matching the filter, ignoring offset/limit. */
  total: number;
  /** Sum of totals of all matching rows, per currency. */
  sums: Money[];
}

export interface SummaryRow {
  /** YYYY-MM */
  month: string;
  category: string;
  currency: CurrencyCode;
  totalMinor: number;
  count: number;
}

/**
 * The OCR engines, the default first: PP-OCR (PaddleOCR's models on ONNX Runtime, offline), tesseract
 * (offline, the fallback) and OCR.space (cloud, opt-in).
 */
export const OCR_ENGINES = ['paddle', 'tesseract', 'ocrspace'] as const;
export type OcrEngineName = (typeof OCR_ENGINES)[number];

export interface Settings {
  ocrEngine: OcrEngineName;
  dateOrder: DateOrder;
  defaultCurrency: CurrencyCode;
  /** Files processed at once; OCR workers are capped at the CPU count. */
  concurrency: number;
  ledgerPath: string;
  ocrSpaceUrl: string;
  /** True when an OCR.space API key is stored (the key itself never crosses IPC). */
  ocrSpaceKeySet: boolean;
  /** How a saved key is protected on this computer, so the Settings view claims no more than is true. */
  ocrSpaceKeyProtection: KeyProtection;
  /** Why the chosen local engine cannot run on this computer (tesseract reads meanwhile); null when it can. */
  localEngineProblem: string | null;
}

/**
 * 'keychain': encrypted with a key the OS keeps (Keychain, DPAPI, libsecret, KWallet).
 * 'obfuscated': Linux without a keyring: Chromium's basic_text store, encrypted with a password built
 * into Chromium, so anyone who can read the file can read the key. 'unavailable': a key cannot be saved.
 * 'memory': kept only while this run lasts (command line, tests).
 */
export type KeyProtection = 'keychain' | 'obfuscated' | 'unavailable' | 'memory';

export interface BatchSummary {
  saved: number;
  duplicate: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

/** A category people file receipts under; `color` is #rrggbb or null (shown grey). */
export interface Category {
  id: number;
  name: string;
  color: string | null;
  /** Live receipts filed under it. */
  receipts: number;
}

/** "File receipts whose merchant reads like `example` as `merchant` · `category`." */
export interface Rule {
  id: number;
  /** The merchant as read that the rule was made from, e.g. "SHELL 1234". */
  example: string;
  /** What it matches: the normalised merchant as read (case, punctuation, digits and spacing ignored). */
  matchKey: string;
  /** The name to file matching receipts under; null leaves the name as read. */
  merchant: string | null;
  /** The category to file them under; null leaves it alone. */
  category: string | null;
  categoryColor: string | null;
  /** Live receipts whose merchant as read matches. */
  matches: number;
}

/** What remembering a correction would look like (offered after a person corrects merchant or category). */
export interface RuleSuggestion {
  example: string;
  merchant: string | null;
  category: string | null;
  /** The rule for the same merchant that this would replace, if any. */
  replacesRuleId: number | null;
}

/** One receipt a rule would change, with the values before and after. */
export interface RuleChange {
  receiptId: number;
  ruleId: number;
  fileName: string;
  date: string | null;
  merchant?: { from: string | null; to: string };
  category?: { from: string | null; to: string };
}
