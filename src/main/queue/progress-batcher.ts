// Coalesces job changes so the window gets a few messages a second, not one per stream chunk:
// the latest update per job wins, additions and removals are kept in order.
import type { Job, JobUpdate } from '../../shared/model';
import type { Events } from '../../shared/contract';

export type ProgressPayload = Events['queue:progress'];

export class ProgressBatcher {
  private updates = new Map<number, JobUpdate>();
  private added: Job[] = [];
  private removed: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (payload: ProgressPayload) => void,
    private readonly intervalMs = 150,
  ) {}

  add(jobs: Job[]): void {
    this.added.push(...jobs);
    this.schedule();
  }

  update(update: JobUpdate): void {
    const previous = this.updates.get(update.id);
    this.updates.set(update.id, previous ? { ...previous, ...update } : update);
    this.schedule();
  }

  remove(ids: number[]): void {
    for (const id of ids) this.updates.delete(id);
    this.removed.push(...ids);
    this.schedule();
  }

  /** Sends what is pending now (also used before the process exits). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.updates.size === 0 && this.added.length === 0 && this.removed.length === 0) return;
    const payload: ProgressPayload = { updates: [...this.updates.values()], added: this.added, removed: this.removed };
    this.updates = new Map();
    this.added = [];
    this.removed = [];
    this.emit(payload);
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }
}
