// The batch queue: owns ordering, bounded concurrency, cancel, retry and resume. Every state change is
// persisted in the ledger's jobs table first, so a crash mid-batch resumes with nothing lost or doubled
// (a receipt and its job's 'saved' state are written in one transaction by the ledger).
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import PQueue from 'p-queue';
import type { BatchSummary, Job, JobState, JobUpdate } from '../../shared/model';
import { isTerminal } from '../../shared/model';
import type { Ledger } from '../ledger/ledger';
import { walkInputs, type WalkOptions } from '../ingest/walk';
import { ReceiptFileError } from '../ingest/errors';
import { isRedacted, redactLink } from '../net/redact-link';
import { processFile, type ProcessDeps } from './process-file';
import { ProgressBatcher, type ProgressPayload } from './progress-batcher';

export interface QueueOptions {
  /** Files in flight at once. */
  concurrency: number;
  /** A file that takes longer is stopped and failed, so one bad file never hangs a batch. */
  fileTimeoutMs: number;
  walk?: Partial<WalkOptions>;
  onProgress: (payload: ProgressPayload) => void;
  onSaved: (receiptIds: number[]) => void;
  /** A problem that concerns the whole batch, reported once. */
  onNotice: (message: string) => void;
  progressIntervalMs?: number;
}

const ADD_CHUNK = 500;

export class ScanQueue {
  private readonly pq: PQueue;
  private readonly running = new Map<number, AbortController>();
  private readonly inflightSha = new Map<string, Promise<void>>();
  private readonly batcher: ProgressBatcher;
  private lastPercent = new Map<number, number>();
  /** Links as pasted, by job, for the download; the ledger keeps only their redacted form. */
  private readonly fullLinks = new Map<number, string>();

  constructor(
    private readonly ledger: Ledger,
    private readonly deps: Omit<ProcessDeps, 'ledger' | 'claimSha'>,
    private readonly options: QueueOptions,
  ) {
    this.pq = new PQueue({ concurrency: options.concurrency });
    this.batcher = new ProgressBatcher(options.onProgress, options.progressIntervalMs);
  }

  set concurrency(value: number) {
    this.pq.concurrency = value;
  }

  /** Walks files and folders, records one job per file (or per skipped entry) and starts them. */
  async addPaths(paths: string[], signal?: AbortSignal): Promise<{ batchId: string; queued: number }> {
    const batchId = randomUUID();
    let pending: { source: string; fileName: string; skipped?: string }[] = [];
    let queued = 0;
    const commit = () => {
      const jobs = this.ledger.inTransaction(() => {
        const added = this.ledger.addJobs(
          batchId,
          pending.map(({ source, fileName }) => ({ source, fileName })),
        );
        added.forEach((job, i) => {
          const reason = pending[i].skipped;
          if (reason !== undefined) {
            this.ledger.updateJob(job.id, { state: 'skipped', error: reason, percent: 100 });
            Object.assign(job, { state: 'skipped', error: reason, percent: 100 });
          }
        });
        return added;
      });
      this.batcher.add(jobs);
      for (const job of jobs) if (job.state === 'queued') this.enqueue(job);
      queued += jobs.length;
      pending = [];
    };
    for await (const entry of walkInputs(paths, this.options.walk, signal)) {
      pending.push({
        source: entry.path,
        fileName: basename(entry.path),
        skipped: entry.kind === 'skipped' ? entry.reason : undefined,
      });
      if (pending.length >= ADD_CHUNK) commit();
    }
    if (pending.length > 0) commit();
    return { batchId, queued };
  }

  /** Queues one receipt link; it is downloaded when its turn comes. */
  addUrl(url: string): { batchId: string; queued: number } {
    const batchId = randomUUID();
    const name = lastSegment(new URL(url)) || new URL(url).host;
    const source = redactLink(url);
    const jobs = this.ledger.addJobs(batchId, [{ source, fileName: name.slice(0, 200) }]);
    if (source !== url) for (const job of jobs) this.fullLinks.set(job.id, url);
    this.batcher.add(jobs);
    for (const job of jobs) this.enqueue(job);
    return { batchId, queued: jobs.length };
  }

  /** Re-queues jobs a crash or quit left unfinished. */
  resume(): number {
    const jobs = this.ledger.unfinishedJobs().filter((job) => !this.running.has(job.id));
    for (const job of jobs) {
      this.setState(job.id, 'queued', 0);
      this.enqueue(job);
    }
    return jobs.length;
  }

  /** Cancels one job or all unfinished ones. */
  cancel(jobId?: number): number {
    const targets = this.targets(jobId, (state) => !isTerminal(state));
    // Waiting jobs leave p-queue now; run() would skip them anyway, but a 10,000-file batch should not
    // have to drain one by one.
    if (jobId === undefined) this.pq.clear();
    this.ledger.inTransaction(() => {
      for (const job of targets) {
        const controller = this.running.get(job.id);
        if (controller) controller.abort(new CancelledError());
        else this.setState(job.id, 'cancelled', 0);
      }
    });
    return targets.length;
  }

  retry(jobId?: number): number {
    const targets = this.targets(jobId, (state) => state === 'failed' || state === 'cancelled');
    this.ledger.inTransaction(() => {
      for (const job of targets) this.setState(job.id, 'queued', 0, { error: undefined });
    });
    for (const job of targets) this.enqueue(job);
    return targets.length;
  }

  private targets(jobId: number | undefined, match: (state: JobState) => boolean): Job[] {
    const jobs = jobId === undefined ? this.ledger.listJobs() : [this.ledger.getJob(jobId)].filter((j) => j !== null);
    return jobs.filter((job) => match(job.state));
  }

  clearFinished(): number {
    const finished = this.ledger
      .listJobs()
      .filter((job) => isTerminal(job.state))
      .map((job) => job.id);
    const cleared = this.ledger.clearFinishedJobs();
    this.batcher.remove(finished);
    for (const id of finished) this.fullLinks.delete(id);
    return cleared;
  }

  list(): { jobs: Job[]; summary: BatchSummary } {
    const jobs = this.ledger.listJobs().map((job) => ({ ...job, percent: this.lastPercent.get(job.id) ?? job.percent }));
    return { jobs, summary: summarise(jobs) };
  }

  /** Resolves when every queued file has finished. */
  async idle(): Promise<void> {
    await this.pq.onIdle();
    this.batcher.flush();
  }

  async close(): Promise<void> {
    this.pq.clear();
    for (const controller of this.running.values()) controller.abort(new ShutdownError());
    await this.pq.onIdle();
    this.batcher.flush();
  }

  private enqueue(job: Pick<Job, 'id' | 'source'>): void {
    void this.pq.add(() => this.run(job));
  }

  private async run(job: Pick<Job, 'id' | 'source'>): Promise<void> {
    const current = this.ledger.getJob(job.id);
    if (!current || current.state !== 'queued') return; // cancelled or cleared while waiting
    const controller = new AbortController();
    this.running.set(job.id, controller);
    // Our own timer, not AbortSignal.timeout: inside AbortSignal.any, Node can garbage-collect a timeout
    // signal before it fires (nodejs/node#57736), and then the time limit silently never applies.
    const timeLimit = new AbortController();
    const timer = setTimeout(
      () => timeLimit.abort(new DOMException('the file took too long to read', 'TimeoutError')),
      this.options.fileTimeoutMs,
    );
    const signal = AbortSignal.any([controller.signal, timeLimit.signal]);
    let state: JobState | undefined;
    try {
      const outcome = await processFile(
        { id: job.id, source: this.sourceOf(job) },
        { ...this.deps, ledger: this.ledger, claimSha: (sha) => this.claimSha(sha) },
        signal,
        (stage, percent) => {
          if (stage !== state) {
            state = stage;
            this.setState(job.id, stage, percent);
          } else this.progress(job.id, stage, percent);
        },
      );
      if (outcome.state === 'saved') {
        // saveReceipt already marked the job saved in the receipt's own transaction.
        const [possibleDuplicateOf] = outcome.receipt.possibleDuplicates;
        this.announce({
          id: job.id,
          state: 'saved',
          percent: 100,
          receiptId: outcome.receipt.id,
          ...(possibleDuplicateOf !== undefined && { possibleDuplicateOf }),
        });
        this.options.onSaved([outcome.receipt.id]);
      } else {
        this.setState(job.id, 'duplicate', 100, { duplicateOf: outcome.duplicateOf });
      }
    } catch (error) {
      if (controller.signal.reason instanceof ShutdownError) return; // stays unfinished: resumed next start
      if (controller.signal.aborted) this.setState(job.id, 'cancelled', 0);
      else this.setState(job.id, 'failed', 0, { error: this.describe(error, signal) });
    } finally {
      clearTimeout(timer);
      this.running.delete(job.id);
    }
  }

  /** What to read: the file, or the link as pasted (its redacted form does not lead to the receipt). */
  private sourceOf(job: Pick<Job, 'id' | 'source'>): string {
    const full = this.fullLinks.get(job.id);
    if (full) return full;
    if (/^https?:\/\//i.test(job.source) && isRedacted(job.source)) {
      throw new ReceiptFileError(
        'The link’s sign-in details or query were not kept after the app closed; paste the link again',
        'link_expired',
      );
    }
    return job.source;
  }

  /** Serialises jobs with the same content so the second one finds the first one's receipt. */
  private async claimSha(sha: string): Promise<() => void> {
    for (let other = this.inflightSha.get(sha); other; other = this.inflightSha.get(sha)) await other;
    let release!: () => void;
    this.inflightSha.set(sha, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.inflightSha.delete(sha);
      release();
    };
  }

  private describe(error: unknown, signal: AbortSignal): string {
    if (signal.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError') {
      return `stopped after ${Math.round(this.options.fileTimeoutMs / 1000)} s: the file took too long to read`;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'OcrAuthError') this.options.onNotice(message);
    // One line per file, as the queue row and the CLI show it: libraries add follow-on lines
    // (libvips: "vips2png: unable to write to target") that say nothing more about the file.
    return message.split('\n')[0]!.trim() || 'unexpected error';
  }

  private setState(id: number, state: JobState, percent: number, extra: Partial<JobUpdate> = {}): void {
    this.ledger.updateJob(id, { state, percent, error: extra.error ?? null, ...extra } as Parameters<Ledger['updateJob']>[1]);
    this.announce({ id, state, percent, ...extra });
  }

  private progress(id: number, state: JobState, percent: number): void {
    const rounded = Math.floor(percent);
    if (this.lastPercent.get(id) === rounded) return;
    this.lastPercent.set(id, rounded);
    this.batcher.update({ id, state, percent: rounded });
  }

  private announce(update: JobUpdate): void {
    if (isTerminal(update.state)) this.lastPercent.delete(update.id);
    else this.lastPercent.set(update.id, Math.floor(update.percent));
    this.batcher.update(update);
  }
}

class CancelledError extends Error {
  override name = 'CancelledError';
}
class ShutdownError extends Error {
  override name = 'ShutdownError';
}

/** The link's file name as a person would read it; kept as written when its %-encoding is broken. */
function lastSegment(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function summarise(jobs: Pick<Job, 'state'>[]): BatchSummary {
  const summary: BatchSummary = { saved: 0, duplicate: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const job of jobs) if (job.state in summary) summary[job.state as keyof BatchSummary]++;
  return summary;
}
