import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/model';
import { ProgressBatcher, type ProgressPayload } from './progress-batcher';

const job = (id: number): Job => ({
  id,
  batchId: 'b',
  source: `/r/${id}.jpg`,
  fileName: `${id}.jpg`,
  state: 'queued',
  percent: 0,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('ProgressBatcher', () => {
  it('sends one message for many updates, the latest per job winning', () => {
    const sent: ProgressPayload[] = [];
    const batcher = new ProgressBatcher((p) => sent.push(p), 10_000);
    batcher.add([job(1), job(2)]);
    for (let percent = 0; percent <= 100; percent++) batcher.update({ id: 1, state: 'ocr', percent });
    batcher.update({ id: 2, state: 'reading', percent: 5 });
    batcher.update({ id: 2, state: 'failed', percent: 0, error: 'bad file' });
    expect(sent).toHaveLength(0);
    batcher.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0].added.map((j) => j.id)).toEqual([1, 2]);
    expect(sent[0].updates).toEqual([
      { id: 1, state: 'ocr', percent: 100 },
      { id: 2, state: 'failed', percent: 0, error: 'bad file' },
    ]);
  });

  it('flushes by itself after the interval and sends nothing when idle', async () => {
    const sent: ProgressPayload[] = [];
    const batcher = new ProgressBatcher((p) => sent.push(p), 5);
    batcher.update({ id: 3, state: 'saved', percent: 100, receiptId: 9 });
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toEqual([{ updates: [{ id: 3, state: 'saved', percent: 100, receiptId: 9 }], added: [], removed: [] }]);
    batcher.flush();
    expect(sent).toHaveLength(1);
  });

  it('drops pending updates of removed jobs', () => {
    const sent: ProgressPayload[] = [];
    const batcher = new ProgressBatcher((p) => sent.push(p), 10_000);
    batcher.update({ id: 4, state: 'saved', percent: 100 });
    batcher.remove([4]);
    batcher.flush();
    expect(sent[0]).toEqual({ updates: [], added: [], removed: [4] });
  });
});
