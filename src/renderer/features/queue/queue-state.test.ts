import { describe, expect, it } from 'vitest';
import type { Events } from '../../../shared/contract';
import type { Job } from '../../../shared/model';
import { activeCount, emptyQueue, finishedCount, queueReducer, stageLabel, type QueueState } from './queue-state';
import { addSample, formatDuration, secondsLeft } from './eta';

const job = (id: number, extra: Partial<Job> = {}): Job => ({
  id,
  batchId: 'b1',
  source: `/tmp/r/${id}.jpg`,
  fileName: `${id}.jpg`,
  state: 'queued',
  percent: 0,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
  ...extra,
});

const progress = (state: QueueState, payload: Partial<Events['queue:progress']>) =>
  queueReducer(state, { type: 'progress', payload: { updates: [], added: [], removed: [], ...payload } });

describe('queueReducer', () => {
  it('starts from queue:list and keeps counts and work in step with updates', () => {
    let state = queueReducer(emptyQueue, { type: 'reset', jobs: [job(1), job(2, { state: 'saved', percent: 100 }), job(3)] });
    expect(state.order).toEqual([1, 2, 3]);
    expect(state.counts.queued).toBe(2);
    expect(state.work).toBe(100);

    state = progress(state, {
      updates: [
        { id: 1, state: 'ocr', percent: 40 },
        { id: 3, state: 'failed', percent: 0, error: 'not an image' },
      ],
    });
    expect(state.counts).toMatchObject({ queued: 0, ocr: 1, saved: 1, failed: 1 });
    expect(state.work).toBe(240);
    expect(state.jobs.get(3)?.error).toBe('not an image');
    expect(activeCount(state)).toBe(1);
    expect(finishedCount(state)).toBe(2);
  });

  it('touches only the jobs named in a batch, so other rows keep their identity', () => {
    const before = queueReducer(emptyQueue, { type: 'reset', jobs: [job(1), job(2)] });
    const after = progress(before, { updates: [{ id: 2, state: 'reading', percent: 5 }] });
    expect(after.jobs.get(1)).toBe(before.jobs.get(1));
    expect(after.jobs.get(2)).not.toBe(before.jobs.get(2));
    expect(before.jobs.get(2)?.state).toBe('queued');
  });

  it('appends added jobs in order, removes cleared ones and ignores updates for unknown ids', () => {
    let state = queueReducer(emptyQueue, { type: 'reset', jobs: [job(1, { state: 'saved', percent: 100 })] });
    state = progress(state, { added: [job(5), job(4)], updates: [{ id: 99, state: 'saved', percent: 100 }] });
    expect(state.order).toEqual([1, 5, 4]);
    state = progress(state, { removed: [1] });
    expect(state.order).toEqual([5, 4]);
    expect(state.counts.saved).toBe(0);
    expect(state.work).toBe(0);
    expect(progress(state, {})).toBe(state);
  });

  it('drops the old error when a failed job is retried', () => {
    let state = queueReducer(emptyQueue, { type: 'reset', jobs: [job(1, { state: 'failed', error: 'timeout' })] });
    state = progress(state, { updates: [{ id: 1, state: 'queued', percent: 0 }] });
    expect(state.jobs.get(1)?.error).toBeUndefined();
    expect(state.counts).toMatchObject({ failed: 0, queued: 1 });
  });

  it('handles 10,000 jobs and a batch of updates', () => {
    const jobs = Array.from({ length: 10_000 }, (_, i) => job(i + 1));
    let state = queueReducer(emptyQueue, { type: 'reset', jobs });
    state = progress(state, { updates: jobs.slice(0, 500).map((j) => ({ id: j.id, state: 'saved', percent: 100 })) });
    expect(state.counts.saved).toBe(500);
    expect(state.counts.queued).toBe(9_500);
    expect(state.work).toBe(50_000);
  });
});

describe('stageLabel', () => {
  it('names each stage the way the row shows it', () => {
    expect(stageLabel({ state: 'ocr', percent: 42.7 })).toBe('OCR 42%');
    expect(stageLabel({ state: 'duplicate', percent: 100, duplicateOf: 7 })).toBe('Duplicate of #7');
    expect(stageLabel({ state: 'saved', percent: 100 })).toBe('Saved');
    expect(stageLabel({ state: 'saved', percent: 100, possibleDuplicateOf: 3 })).toBe('Saved · possible duplicate of #3');
    expect(stageLabel({ state: 'failed', percent: 0, error: 'x' })).toBe('Failed');
  });
});

describe('eta', () => {
  it('estimates from the recent rate and waits until there is one', () => {
    let samples = addSample([], { at: 0, work: 0 });
    expect(secondsLeft(samples, 1000)).toBeNull();
    samples = addSample(samples, { at: 10_000, work: 500 });
    expect(secondsLeft(samples, 1000)).toBe(20);
    expect(secondsLeft(samples, 0)).toBe(0);
  });

  it('forgets samples outside the window and restarts when work goes backwards', () => {
    let samples = addSample([], { at: 0, work: 0 });
    samples = addSample(samples, { at: 40_000, work: 100 });
    samples = addSample(samples, { at: 50_000, work: 600 });
    expect(samples.map((s) => s.at)).toEqual([40_000, 50_000]);
    expect(addSample(samples, { at: 51_000, work: 10 })).toEqual([{ at: 51_000, work: 10 }]);
  });

  it('formats durations for people', () => {
    expect(formatDuration(0)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(150)).toBe('3 min');
    expect(formatDuration(3 * 3600 + 120)).toBe('3 h 2 min');
  });
});
