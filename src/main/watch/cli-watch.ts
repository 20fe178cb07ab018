// `npm run scan -- --watch PATH`: watches one folder for this run only, printing each file as it is
// finished, until interrupted (SIGINT); then stops cleanly and prints a summary. Files still being
// read then stay in the ledger's queue and resume on the next run.
import { once } from 'node:events';
import type { Events } from '../../shared/contract';
import { isTerminal, type Job } from '../../shared/model';
import type { App } from '../app';
import { summarise } from '../queue/scan-queue';
import { printable } from '../printable';

export async function watchUntilInterrupted(
  app: App,
  folder: string,
  err: NodeJS.WritableStream,
  stop: AbortSignal = interrupted(),
): Promise<number> {
  const finished = new Map<number, Job>();
  const names = new Map<number, string>();
  const unsubscribe = app.onEvent((event, payload) => {
    if (event !== 'queue:progress') return;
    const { added, updates } = payload as Events['queue:progress'];
    for (const job of added) names.set(job.id, job.source);
    for (const update of updates) {
      const source = names.get(update.id);
      if (source === undefined || !isTerminal(update.state) || finished.has(update.id)) continue;
      finished.set(update.id, { ...(update as Job), source });
      err.write(printable(`${update.state}: ${source}${update.error ? `: ${update.error}` : ''}`) + '\n');
    }
  });
  try {
    const watcher = await app.watch.watchOnce(folder);
    err.write(`watching ${printable(watcher.root)} for new receipts; press Ctrl+C to stop\n`);
    if (!stop.aborted) await once(stop, 'abort');
    err.write('stopping: files still being read resume on the next run\n');
    await watcher.close();
    await app.queue.close();
  } finally {
    unsubscribe();
  }
  const summary = summarise([...finished.values()]);
  err.write(
    `${Object.entries(summary)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ')}\n`,
  );
  return 0;
}

function interrupted(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}
