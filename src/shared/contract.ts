// The one IPC contract between renderer and main. Every invoke channel (request → response) and every
// event (main → renderer) is declared here once; main validates requests with these schemas, preload
// exposes exactly these channels, and the renderer gets their types.
import { z } from 'zod';
import { OCR_ENGINES } from './model';
import type {
  BatchSummary,
  Category,
  Rule,
  RuleChange,
  RuleSuggestion,
  Job,
  JobUpdate,
  LedgerPage,
  Receipt,
  ReceiptDetail,
  Settings,
  SummaryRow,
} from './model';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const minor = z.number().int().min(-1e13).max(1e13);
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD');
const id = z.number().int().positive();
const shortText = z.string().max(500);
// POSIX, drive-letter or UNC; the shared contract cannot use node:path (the renderer imports it too).
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'expected an absolute path')
  .refine((p) => !p.includes('\0'), 'a path cannot contain a NUL character');

export const ledgerFilterSchema = z.strictObject({
  text: shortText.optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
  minTotalMinor: minor.optional(),
  maxTotalMinor: minor.optional(),
  category: shortText.optional(),
  needsReview: z.boolean().optional(),
  possibleDuplicates: z.boolean().optional(),
});

export const receiptPatchSchema = z.strictObject({
  merchant: shortText.nullable().optional(),
  date: isoDate.nullable().optional(),
  totalMinor: minor.nullable().optional(),
  subtotalMinor: minor.nullable().optional(),
  taxMinor: minor.nullable().optional(),
  tipMinor: minor.nullable().optional(),
  currency: currency.nullable().optional(),
  paymentMethod: shortText.nullable().optional(),
  category: shortText.nullable().optional(),
});

/** localhost, 127.0.0.0/8 or ::1: a service on this computer, where plain http never crosses a network. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Why an OCR.space address is refused: https only, plain http only for this computer (the key travels with every request). */
export function ocrSpaceUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'expected a link starting with https://';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  return parsed.protocol === 'http:'
    ? 'expected https:// (plain http is accepted only for a service on this computer)'
    : 'expected a link starting with https://';
}

export const ocrSpaceUrlSchema = z
  .string()
  .max(2000)
  .superRefine((url, ctx) => {
    const problem = ocrSpaceUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const settingsPatchSchema = z.strictObject({
  ocrEngine: z.enum(OCR_ENGINES).optional(),
  dateOrder: z.enum(['DMY', 'MDY']).optional(),
  defaultCurrency: currency.optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
  ocrSpaceUrl: ocrSpaceUrlSchema.optional(),
  /** Write-only: stored encrypted by the shell, for the origin of ocrSpaceUrl only; '' removes it. */
  ocrSpaceKey: z.string().max(200).optional(),
});

// ---- rules learned from corrections, editable categories ----
const categoryName = z.string().trim().min(1, 'a category needs a name').max(100);
const color = z.string().regex(/^#[0-9a-f]{6}$/, 'expected a colour as #rrggbb');
const ruleTarget = z.string().trim().max(500).nullable();

const rulesRequests = {
  'rules:list': z.strictObject({}),
  /** What remembering this receipt's correction would look like; null when there is nothing to remember. */
  'rules:suggest': z.strictObject({ receiptId: id }),
  /** Creates (or, with id, edits) a rule; `example` is the merchant as read, which it matches once normalised. */
  'rules:save': z.strictObject({
    id: id.optional(),
    example: z.string().trim().min(1).max(500),
    merchant: ruleTarget,
    category: ruleTarget,
  }),
  'rules:delete': z.strictObject({ id }),
  /** What the rules (or one rule) would change on existing receipts, before anything changes. */
  'rules:preview': z.strictObject({ ruleId: id.optional() }),
  /** Applies them to the receipts listed (the ones the preview showed). */
  'rules:apply': z.strictObject({ ruleId: id.optional(), receiptIds: z.array(id).min(1).max(100_000) }),
  'categories:list': z.strictObject({}),
  'categories:add': z.strictObject({ name: categoryName, color: color.nullable().optional() }),
  /** Rename and/or recolour; a rename refiles the receipts under the new name. */
  'categories:update': z.strictObject({ id, name: categoryName.optional(), color: color.nullable().optional() }),
  /** Files every receipt and rule of category `id` under `intoId` and removes `id`. */
  'categories:merge': z
    .strictObject({ id, intoId: id })
    .refine((r) => r.id !== r.intoId, { message: 'a category cannot be merged into itself', path: ['intoId'] }),
} as const;

export type RulesChannel = keyof typeof rulesRequests;

interface RulesResponses {
  'rules:list': { rules: Rule[] };
  'rules:suggest': { suggestion: RuleSuggestion | null };
  'rules:save': Rule;
  'rules:delete': { deleted: number };
  'rules:preview': { changes: RuleChange[] };
  'rules:apply': { changed: number };
  'categories:list': { categories: Category[] };
  'categories:add': Category;
  'categories:update': Category;
  'categories:merge': { moved: number };
}

// ---- Watch folders and the accountant bundle (issue 14, parts 3 and 4) ----
// Paths never come from the renderer: main shows the folder and save dialogs.

export interface WatchFolder {
  id: number;
  path: string;
  addedAt: string;
  /** Why it is not being watched right now (e.g. a share that is not mounted); absent when it is. */
  problem?: string;
}

export interface BundleResult {
  /** Where the ZIP was written; null when the save dialog was cancelled. */
  path: string | null;
  receipts: number;
  /** Original files put in the ZIP; receipts whose file is gone are listed in the CSV without one. */
  files: number;
  missing: number;
  bytes: number;
}

const watchBundleRequests = {
  'watch:list': z.strictObject({}),
  /** Main shows a folder dialog and starts watching what was chosen. */
  'watch:add': z.strictObject({}),
  /** Stops watching at once. */
  'watch:remove': z.strictObject({ id }),
  /** A ZIP of the CSV and each receipt's original file (and with `pdf`, one PDF of them all), filtered. */
  'export:bundle': z.strictObject({ filter: ledgerFilterSchema.optional(), pdf: z.boolean().optional() }),
} as const;

interface WatchBundleResponses {
  'watch:list': { folders: WatchFolder[] };
  'watch:add': { folders: WatchFolder[] };
  'watch:remove': { folders: WatchFolder[] };
  'export:bundle': BundleResult;
}

/** Request schemas, one per invoke channel. */
export const requests = {
  ...rulesRequests,
  /**
   * Queue dropped files and folders. Sent only by the preload, with the paths Electron gives for the File
   * objects of a real drop (webUtils.getPathForFile); the page cannot send it (see RENDERER_CHANNELS).
   */
  'scan:add-dropped': z.strictObject({ paths: z.array(absolutePath).min(1).max(10_000) }),
  /** Main shows an open dialog and queues what the person picked; the paths never leave main. */
  'scan:pick': z.strictObject({ kind: z.enum(['files', 'folder']) }),
  /** Download a receipt from an http(s) link and queue it. */
  'scan:add-url': z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(4096) }),
  /** Cancel one job, or every unfinished job when id is omitted. */
  'scan:cancel': z.strictObject({ jobId: id.optional() }),
  /** Re-queue failed/cancelled jobs: one, or all when id is omitted. */
  'scan:retry': z.strictObject({ jobId: id.optional() }),
  /** Forget finished jobs from the queue view (the ledger keeps its receipts). */
  'scan:clear-finished': z.strictObject({}),
  'queue:list': z.strictObject({}),
  'ledger:query': z.strictObject({
    ...ledgerFilterSchema.shape,
    sort: z.enum(['date', 'merchant', 'total', 'scannedAt', 'confidence', 'category']).optional(),
    direction: z.enum(['asc', 'desc']).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  'ledger:get': z.strictObject({ id }),
  'ledger:update': z.strictObject({ id, patch: receiptPatchSchema }),
  /** Soft-delete; 'ledger:restore' undoes it. */
  'ledger:delete': z.strictObject({ ids: z.array(id).min(1).max(10_000) }),
  'ledger:restore': z.strictObject({ ids: z.array(id).min(1).max(10_000) }),
  /**
   * Settle a possible duplicate pair: 'keep-both' clears the flag for good; 'merge' keeps `id` and folds
   * `otherId` into it (its file stays linked to `id`). Answers with receipt `id` as it is afterwards.
   */
  'ledger:resolve-duplicate': z
    .strictObject({ id, otherId: id, action: z.enum(['keep-both', 'merge']) })
    .refine((r) => r.id !== r.otherId, { message: 'a receipt cannot be a duplicate of itself', path: ['otherId'] }),
  /**
   * A small JPEG of the receipt's image made in main, as a data: URL; `file` picks a merged-in file by
   * sha-256, `page` a page as OCR read it (0-based, as in the provenance's boxes; default the first).
   */
  'ledger:thumbnail': z.strictObject({
    id,
    maxSize: z.number().int().min(64).max(2000).optional(),
    page: z.number().int().min(0).max(9_999).optional(),
    file: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'expected a sha-256 in lower-case hex')
      .optional(),
  }),
  'ledger:summary': z.strictObject({ ...ledgerFilterSchema.shape }),
  'ledger:categories': z.strictObject({}),
  /** Export the ledger (or the filtered rows) as CSV to where the person chooses in main's save dialog. */
  'export:csv': z.strictObject({ filter: ledgerFilterSchema.optional() }),
  'settings:get': z.strictObject({}),
  'settings:set': settingsPatchSchema,
  ...watchBundleRequests,
} as const;

export type InvokeChannel = keyof typeof requests;
/** Channels only the preload may send: their requests carry paths, which the page must never name. */
export type PreloadChannel = 'scan:add-dropped';
/** What window.api.invoke accepts from the page. */
export type RendererChannel = Exclude<InvokeChannel, PreloadChannel>;
export type RequestOf<C extends InvokeChannel> = z.infer<(typeof requests)[C]>;

/** Response type of every invoke channel. */
export interface Responses extends RulesResponses, WatchBundleResponses {
  'scan:add-dropped': { batchId: string; queued: number };
  /** `picked` is false when the person closed the dialog without choosing. */
  'scan:pick': { picked: boolean; queued: number };
  'scan:add-url': { batchId: string; queued: number };
  'scan:cancel': { cancelled: number };
  'scan:retry': { requeued: number };
  'scan:clear-finished': { cleared: number };
  'queue:list': { jobs: Job[]; summary: BatchSummary };
  'ledger:query': LedgerPage;
  'ledger:get': ReceiptDetail;
  'ledger:update': Receipt;
  'ledger:delete': { deleted: number };
  'ledger:restore': { restored: number };
  'ledger:resolve-duplicate': Receipt;
  'ledger:thumbnail': { dataUrl: string; width: number; height: number };
  'ledger:summary': { rows: SummaryRow[] };
  'ledger:categories': { categories: string[] };
  /** `path` is null when the person cancelled the save dialog. */
  'export:csv': { path: string | null; rows: number };
  'settings:get': Settings;
  'settings:set': Settings;
}
export type ResponseOf<C extends InvokeChannel> = Responses[C];

/** Events main sends to every window. Progress is batched in main (at most a few messages a second). */
export interface Events {
  'queue:progress': { updates: JobUpdate[]; added: Job[]; removed: number[] };
  'ledger:changed': { ids: number[] };
  /** A batch-wide problem the user must see once (e.g. the OCR.space key was refused). */
  'app:notice': { level: 'info' | 'warning' | 'error'; message: string };
}
export type EventChannel = keyof Events;

export const INVOKE_CHANNELS = Object.keys(requests) as InvokeChannel[];
const PRELOAD_CHANNELS: readonly string[] = ['scan:add-dropped' satisfies PreloadChannel];
export const RENDERER_CHANNELS = INVOKE_CHANNELS.filter((c) => !PRELOAD_CHANNELS.includes(c)) as RendererChannel[];
export const EVENT_CHANNELS: readonly EventChannel[] = ['queue:progress', 'ledger:changed', 'app:notice'];

/** Errors cross IPC as this shape; the renderer shows `message`, never a stack trace. */
export interface IpcError {
  code: 'invalid_request' | 'not_found' | 'failed';
  message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The typed client the preload exposes as window.api. */
export interface Api {
  invoke<C extends RendererChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void): () => void;
  /**
   * Queues the files and folders of a drop. The preload reads their paths itself and sends
   * 'scan:add-dropped'; a File with no location on disk (one built by script, or dragged out of a
   * browser) is counted in `unlocated` and never sent.
   */
  addDropped(files: File[]): Promise<{ queued: number; unlocated: number }>;
}
