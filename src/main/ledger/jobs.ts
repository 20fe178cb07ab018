// The persisted batch queue: a crash mid-batch resumes from these rows.
import { TERMINAL_STATES, type Job } from '../../shared/model';
import { now, type Connection } from './connection';
import { JOB_COLUMNS, toJob, type JobRow } from './rows';

const TERMINAL_LIST = TERMINAL_STATES.map((s) => `'${s}'`).join(', ');

const INSERT_JOB = `INSERT INTO jobs (batch_id, source, file_name, state, percent, created_at, updated_at)
  VALUES (?, ?, ?, 'queued', 0, ?, ?) RETURNING *, NULL AS possible_duplicate_of`;
// One statement for any patch: each column changes only when its flag is set.
const UPDATE_JOB = `UPDATE jobs SET
    state = CASE WHEN @setState THEN @state ELSE state END,
    percent = CASE WHEN @setPercent THEN @percent ELSE percent END,
    error = CASE WHEN @setError THEN @error ELSE error END,
    receipt_id = CASE WHEN @setReceiptId THEN @receiptId ELSE receipt_id END,
    duplicate_of = CASE WHEN @setDuplicateOf THEN @duplicateOf ELSE duplicate_of END,
    updated_at = @now
  WHERE id = @id`;
const MARK_SAVED = `UPDATE jobs SET state = 'saved', percent = 100, error = NULL, receipt_id = ?, updated_at = ? WHERE id = ?`;
export const LIST_JOBS = `SELECT ${JOB_COLUMNS} FROM jobs WHERE cleared = 0 ORDER BY id`;
export const GET_JOB = `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ? AND cleared = 0`;
const UNFINISHED_JOBS = `SELECT ${JOB_COLUMNS} FROM jobs WHERE state NOT IN (${TERMINAL_LIST}) ORDER BY id`;
const CLEAR_JOBS = `UPDATE jobs SET cleared = 1, updated_at = ? WHERE cleared = 0 AND state IN (${TERMINAL_LIST})`;
const REPOINT_JOBS = `UPDATE jobs SET receipt_id = iif(receipt_id = @from, @to, receipt_id),
    duplicate_of = iif(duplicate_of = @from, @to, duplicate_of), updated_at = @now
  WHERE receipt_id = @from OR duplicate_of = @from`;

export type JobPatch = Partial<Pick<Job, 'state' | 'percent' | 'error' | 'receiptId' | 'duplicateOf'>>;

export function addJobs(c: Connection, batchId: string, sources: { source: string; fileName: string }[]): Job[] {
  return c.db.transaction(() => {
    const at = now();
    const insert = c.prepare(INSERT_JOB);
    return sources.map(({ source, fileName }) => toJob(insert.get(batchId, source, fileName, at, at) as JobRow));
  })();
}

/** Changes the given fields of a job; `error`, `receiptId` or `duplicateOf` set to undefined/null clear it. */
export function updateJob(c: Connection, id: number, patch: JobPatch): void {
  const has = (key: keyof JobPatch) => (Object.hasOwn(patch, key) ? 1 : 0);
  const result = c.prepare(UPDATE_JOB).run({
    id,
    now: now(),
    setState: patch.state === undefined ? 0 : 1,
    state: patch.state ?? null,
    setPercent: patch.percent === undefined ? 0 : 1,
    percent: patch.percent ?? null,
    setError: has('error'),
    error: patch.error ?? null,
    setReceiptId: has('receiptId'),
    receiptId: patch.receiptId ?? null,
    setDuplicateOf: has('duplicateOf'),
    duplicateOf: patch.duplicateOf ?? null,
  });
  if (result.changes === 0) throw new Error(`job ${id} does not exist`);
}

/** Marks a job saved as receipt `receiptId` (inside the save's transaction). */
export function markJobSaved(c: Connection, jobId: number, receiptId: number, at: string): void {
  if (c.prepare(MARK_SAVED).run(receiptId, at, jobId).changes === 0) throw new Error(`job ${jobId} does not exist`);
}

/** Jobs of a merged-away receipt now lead to the receipt it was merged into. */
export function repointJobs(c: Connection, from: number, to: number, at: string): void {
  c.prepare(REPOINT_JOBS).run({ from, to, now: at });
}

/** A job not cleared from the queue view. */
export function getJob(c: Connection, id: number): Job | null {
  const row = c.prepare(GET_JOB).get(id) as JobRow | undefined;
  return row ? toJob(row) : null;
}

/** Jobs not cleared from the queue view, oldest first. */
export function listJobs(c: Connection): Job[] {
  return (c.prepare(LIST_JOBS).all() as JobRow[]).map(toJob);
}

/** Jobs that were still in progress when the app stopped, oldest first. */
export function unfinishedJobs(c: Connection): Job[] {
  return (c.prepare(UNFINISHED_JOBS).all() as JobRow[]).map(toJob);
}

/** Hides finished jobs from the queue view; returns how many. */
export function clearFinishedJobs(c: Connection): number {
  return c.prepare(CLEAR_JOBS).run(now()).changes;
}
