// How far a CLI scan has got: a redrawn line on a terminal, an occasional plain line in a log or pipe.
import { isTerminal, type Job } from '../shared/model';
import { printable } from './printable';

/** A piped or redirected scan prints one progress line at most this often (a log, not an animation). */
export const LOG_PROGRESS_INTERVAL_MS = 5_000;
// A terminal redraws at most this often: smooth to the eye, cheap on a large batch.
const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 20;

export interface Progress {
  draw(jobs: Map<number, Job>): void;
  /** Before printing another line: a redrawn bar must be wiped first. */
  clear(): void;
}

interface Snapshot {
  done: number;
  total: number;
  /** 0..1 of all work, counting each file's own percent. */
  fraction: number;
  elapsedMs: number;
  etaMs: number | null;
  /** Files being worked on now: the first one's name and how many more. */
  current: string | null;
}

function snapshot(jobs: Map<number, Job>, startedAt: number): Snapshot {
  let done = 0;
  let sum = 0;
  const active: Job[] = [];
  for (const job of jobs.values()) {
    if (isTerminal(job.state)) {
      done++;
      sum += 100;
    } else {
      sum += job.percent;
      if (job.state !== 'queued') active.push(job);
    }
  }
  const fraction = jobs.size ? sum / (jobs.size * 100) : 0;
  const elapsedMs = Date.now() - startedAt;
  const etaMs = fraction > 0 && fraction < 1 ? (elapsedMs * (1 - fraction)) / fraction : null;
  const current = active.length
    ? `${active[0].state} ${printable(active[0].fileName)}${active.length > 1 ? ` +${active.length - 1}` : ''}`
    : null;
  return { done, total: jobs.size, fraction, elapsedMs, etaMs, current };
}

/** 75_000 → "1:15", 3_723_000 → "1:02:03". */
export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const mm = String(Math.floor(s / 60) % 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

const timing = (s: Snapshot) => `elapsed ${clock(s.elapsedMs)}, ETA ${s.etaMs === null ? '?' : clock(s.etaMs)}`;

/** Draws a snapshot at most once per `interval`, however often the queue reports. */
abstract class Throttled implements Progress {
  private readonly startedAt = Date.now();
  private last: number;
  constructor(
    protected readonly stream: NodeJS.WritableStream,
    private readonly interval: number,
    drawAtOnce: boolean,
  ) {
    this.last = drawAtOnce ? 0 : this.startedAt;
  }

  draw(jobs: Map<number, Job>): void {
    const now = Date.now();
    if (now - this.last < this.interval) return;
    this.last = now;
    this.render(snapshot(jobs, this.startedAt));
  }

  protected abstract render(s: Snapshot): void;
  abstract clear(): void;
}

/** One redrawn line on a terminal: bar, files done, elapsed time, ETA, the file being read. */
export class TerminalProgress extends Throttled {
  constructor(stream: NodeJS.WritableStream) {
    super(stream, REDRAW_INTERVAL_MS, true);
  }

  protected render(s: Snapshot): void {
    const filled = Math.round(s.fraction * BAR_WIDTH);
    // 0 when the terminal does not say (a pseudo-terminal given no size).
    const columns = (this.stream as { columns?: number }).columns || Infinity;
    const line = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${s.done}/${s.total} · ${timing(s)}${s.current ? ` · ${s.current}` : ''}`;
    // Wider than the terminal would wrap, and \r would then redraw only the last row.
    this.stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  }

  clear(): void {
    this.stream.write('\r\x1b[2K');
  }
}

/** A plain line at most every LOG_PROGRESS_INTERVAL_MS, for logs and pipes where a redraw is noise. */
export class LogProgress extends Throttled {
  constructor(stream: NodeJS.WritableStream) {
    super(stream, LOG_PROGRESS_INTERVAL_MS, false);
  }

  protected render(s: Snapshot): void {
    this.stream.write(`progress: ${s.done}/${s.total} files done, ${timing(s)}${s.current ? `, now ${s.current}` : ''}\n`);
  }

  clear(): void {}
}
