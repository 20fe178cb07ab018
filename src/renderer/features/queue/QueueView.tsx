// The batch queue: one row per file with its stage and progress, an overall bar with counts and time
// left, and cancel / retry / clear. The list is virtualised, so 10,000 queued files stay smooth.
import { memo, useCallback, useRef, useState, type FormEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Job } from '../../../shared/model';
import { isTerminal } from '../../../shared/model';
import { errorMessage, invoke } from '../../lib/api';
import { useToasts } from '../../lib/toasts';
import { activeCount, finishedCount, stageLabel } from './queue-state';
import { formatDuration } from './eta';
import type { QueueModel } from './use-queue';
import type { ScanActions } from './use-scan';

const ROW_HEIGHT = 60;

interface Props {
  queue: QueueModel;
  scan: ScanActions;
  onOpenReceipt(id: number): void;
}

export function QueueView({ queue, scan, onOpenReceipt }: Props) {
  const { state, etaSeconds } = queue;
  const toasts = useToasts();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: state.order.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  const run = useCallback(
    async (action: () => Promise<string | null>) => {
      try {
        const message = await action();
        if (message) toasts.push({ kind: 'info', message });
      } catch (error) {
        toasts.push({ kind: 'error', message: errorMessage(error) });
      }
    },
    [toasts],
  );
  const cancel = useCallback(
    (jobId?: number) =>
      run(async () => {
        const { cancelled } = await invoke('scan:cancel', jobId === undefined ? {} : { jobId });
        return jobId === undefined ? `Cancelled ${cancelled.toLocaleString()} file${cancelled === 1 ? '' : 's'}.` : null;
      }),
    [run],
  );
  const retry = useCallback(
    (jobId?: number) =>
      run(async () => {
        const { requeued } = await invoke('scan:retry', jobId === undefined ? {} : { jobId });
        return jobId === undefined ? `Retrying ${requeued.toLocaleString()} file${requeued === 1 ? '' : 's'}.` : null;
      }),
    [run],
  );
  const clear = () =>
    run(async () => {
      const { cleared } = await invoke('scan:clear-finished', {});
      return `Cleared ${cleared.toLocaleString()} finished file${cleared === 1 ? '' : 's'} from the list.`;
    });

  const total = state.order.length;
  const active = activeCount(state);
  const finished = finishedCount(state);
  const retryable = state.counts.failed + state.counts.cancelled;
  const overall = total === 0 ? 0 : state.work / total;

  return (
    <section className="view queue-view" aria-labelledby="queue-heading">
      <div className="view-header">
        <h1 id="queue-heading">Scan queue</h1>
        <LinkForm onAdd={scan.addUrl} />
      </div>

      {total === 0 ? (
        <div className="empty-drop">
          <div className="empty-drop-title">Drop receipts here</div>
          <p>Photos, scans and PDFs — single files or whole folders. Everything is read on this computer.</p>
          <div className="toolbar">
            <button type="button" className="primary" onClick={() => void scan.pick('files')}>
              Add files…
            </button>
            <button type="button" onClick={() => void scan.pick('folder')}>
              Add folder…
            </button>
          </div>
        </div>
      ) : (
        <>
          <div className="overall" aria-label="Batch progress">
            <div className="overall-line">
              <strong>
                {finished.toLocaleString()} of {total.toLocaleString()} done
              </strong>
              <span className="overall-counts">
                <Count n={state.counts.saved} label="saved" className="ok" />
                <Count n={state.counts.duplicate} label="duplicate" className="muted" />
                <Count n={state.counts.failed} label="failed" className="bad" />
                <Count n={state.counts.skipped} label="skipped" className="muted" />
                <Count n={state.counts.cancelled} label="cancelled" className="muted" />
              </span>
              <span className="overall-eta">
                {active === 0 ? 'Idle' : etaSeconds === null ? 'Estimating time left…' : `About ${formatDuration(etaSeconds)} left`}
              </span>
            </div>
            <progress className="bar bar-overall" max={100} value={overall} aria-label="Overall progress" />
            <div className="toolbar">
              <button type="button" onClick={() => void cancel()} disabled={active === 0}>
                Cancel all
              </button>
              <button type="button" onClick={() => void retry()} disabled={retryable === 0}>
                Retry failed
              </button>
              <button type="button" onClick={() => void clear()} disabled={finished === 0}>
                Clear finished
              </button>
            </div>
          </div>

          <div className="queue-list" ref={scrollRef} role="list" aria-label="Files in the queue" tabIndex={-1}>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const job = state.jobs.get(state.order[item.index]);
                if (!job) return null;
                return <QueueRow key={job.id} job={job} top={item.start} onCancel={cancel} onRetry={retry} onOpen={onOpenReceipt} />;
              })}
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Count({ n, label, className }: { n: number; label: string; className: string }) {
  if (n === 0) return null;
  return (
    <span className={`count ${className}`}>
      {n.toLocaleString()} {label}
    </span>
  );
}

interface RowProps {
  job: Job;
  top: number;
  onCancel(id: number): void;
  onRetry(id: number): void;
  onOpen(id: number): void;
}

const QueueRow = memo(function QueueRow({ job, top, onCancel, onRetry, onOpen }: RowProps) {
  const done = isTerminal(job.state);
  const stage = stageLabel(job);
  const openId = job.receiptId ?? job.duplicateOf;
  return (
    <div
      className={`queue-row state-${job.state}`}
      role="listitem"
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-job-id={job.id}
      data-state={job.state}
    >
      <div className="queue-file">
        <div className="queue-name" title={job.source}>
          {job.fileName}
        </div>
        <div className={job.error ? 'queue-error' : 'queue-source'} title={job.error ?? job.source}>
          {job.error ?? job.source}
        </div>
      </div>
      <div className="queue-stage">
        <span className={`stage stage-${job.state}${job.possibleDuplicateOf ? ' possible-duplicate' : ''}`}>{stage}</span>
        <progress className="bar" max={100} value={done ? 100 : job.percent} aria-label={`${job.fileName}: ${stage}`} />
      </div>
      <div className="queue-actions">
        {!done && (
          <button type="button" className="small" onClick={() => onCancel(job.id)} aria-label={`Cancel ${job.fileName}`}>
            Cancel
          </button>
        )}
        {(job.state === 'failed' || job.state === 'cancelled') && (
          <button type="button" className="small" onClick={() => onRetry(job.id)} aria-label={`Retry ${job.fileName}`}>
            Retry
          </button>
        )}
        {(job.state === 'saved' || job.state === 'duplicate') && openId !== undefined && (
          <button type="button" className="small" onClick={() => onOpen(openId)} aria-label={`Open the receipt of ${job.fileName}`}>
            Open
          </button>
        )}
      </div>
    </div>
  );
});

function LinkForm({ onAdd }: { onAdd(url: string): Promise<boolean> }) {
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = url.trim();
    let valid: boolean;
    try {
      valid = ['http:', 'https:'].includes(new URL(text).protocol);
    } catch {
      valid = false;
    }
    if (!valid) {
      setProblem('Paste a link that starts with http:// or https://');
      return;
    }
    setProblem(null);
    if (await onAdd(text)) setUrl('');
  };
  return (
    <form className="link-form" onSubmit={(e) => void submit(e)}>
      <input
        type="text"
        inputMode="url"
        placeholder="Paste a link to a receipt"
        aria-label="Receipt link"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'link-problem' : undefined}
      />
      <button type="submit" disabled={url.trim() === ''}>
        Add link
      </button>
      {problem && (
        <span id="link-problem" className="field-problem" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
