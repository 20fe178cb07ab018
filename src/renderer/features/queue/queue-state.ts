// The batch queue as the window holds it: jobs by id plus their order, with per-state counts and the
// sum of progress kept up to date incrementally, so a batch of 'queue:progress' touches only the jobs
// it names. Unchanged jobs keep their object identity, which lets memoised rows skip re-rendering.
import type { Events } from '../../../shared/contract';
import type { Job, JobState } from '../../../shared/model';
import { isTerminal } from '../../../shared/model';

export interface QueueState {
  jobs: ReadonlyMap<number, Job>;
  /** Ids in the order they were queued. */
  order: readonly number[];
  counts: Readonly<Record<JobState, number>>;
  /** Sum over jobs of their progress 0..100 (finished jobs count 100). */
  work: number;
}

export type QueueAction = { type: 'reset'; jobs: Job[] } | { type: 'progress'; payload: Events['queue:progress'] };

const zeroCounts = (): Record<JobState, number> => ({
  queued: 0,
  reading: 0,
  ocr: 0,
  extracting: 0,
  saved: 0,
  duplicate: 0,
  failed: 0,
  cancelled: 0,
  skipped: 0,
});

export const emptyQueue: QueueState = { jobs: new Map(), order: [], counts: zeroCounts(), work: 0 };

/** How much of a job's work is behind it, 0..100. */
export const jobWork = (job: Pick<Job, 'state' | 'percent'>): number =>
  isTerminal(job.state) ? 100 : Math.min(100, Math.max(0, job.percent));

export function queueReducer(state: QueueState, action: QueueAction): QueueState {
  if (action.type === 'reset') {
    const jobs = new Map<number, Job>();
    const counts = zeroCounts();
    let work = 0;
    for (const job of action.jobs) {
      jobs.set(job.id, job);
      counts[job.state] += 1;
      work += jobWork(job);
    }
    return { jobs, order: action.jobs.map((job) => job.id), counts, work };
  }

  const { added, updates, removed } = action.payload;
  if (added.length === 0 && updates.length === 0 && removed.length === 0) return state;
  const jobs = new Map(state.jobs);
  const counts = { ...state.counts };
  let work = state.work;
  let order = state.order;
  const drop = (job: Job) => {
    counts[job.state] -= 1;
    work -= jobWork(job);
  };
  const keep = (job: Job) => {
    counts[job.state] += 1;
    work += jobWork(job);
  };

  if (added.length > 0) {
    const appended: number[] = [];
    for (const job of added) {
      const previous = jobs.get(job.id);
      if (previous) drop(previous);
      else appended.push(job.id);
      jobs.set(job.id, job);
      keep(job);
    }
    if (appended.length > 0) order = [...order, ...appended];
  }
  for (const update of updates) {
    const previous = jobs.get(update.id);
    if (!previous) continue; // cleared before its last update arrived
    const next: Job = { ...previous, ...update };
    // A job that goes back to work (retry) has no reason to show any more.
    if (!isTerminal(next.state) && update.error === undefined) delete next.error;
    drop(previous);
    jobs.set(update.id, next);
    keep(next);
  }
  if (removed.length > 0) {
    const gone = new Set<number>();
    for (const id of removed) {
      const previous = jobs.get(id);
      if (!previous) continue;
      drop(previous);
      jobs.delete(id);
      gone.add(id);
    }
    if (gone.size > 0) order = order.filter((id) => !gone.has(id));
  }
  return { jobs, order, counts, work };
}

export const ACTIVE_STATES: readonly JobState[] = ['queued', 'reading', 'ocr', 'extracting'];

export function activeCount(state: QueueState): number {
  return ACTIVE_STATES.reduce((sum, s) => sum + state.counts[s], 0);
}

export function finishedCount(state: QueueState): number {
  return state.order.length - activeCount(state);
}

/** What a row says about its job's stage. */
export function stageLabel(job: Pick<Job, 'state' | 'percent' | 'error' | 'duplicateOf' | 'possibleDuplicateOf'>): string {
  switch (job.state) {
    case 'queued':
      return 'Queued';
    case 'reading':
      return 'Reading';
    case 'ocr':
      return `OCR ${Math.floor(job.percent)}%`;
    case 'extracting':
      return 'Extracting';
    case 'saved':
      return job.possibleDuplicateOf ? `Saved · possible duplicate of #${job.possibleDuplicateOf}` : 'Saved';
    case 'duplicate':
      return job.duplicateOf ? `Duplicate of #${job.duplicateOf}` : 'Duplicate';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
    case 'skipped':
      return 'Skipped';
  }
}
