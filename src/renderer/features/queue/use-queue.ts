// Holds the batch queue for the whole window: loads it once from 'queue:list', then applies the
// batched 'queue:progress' events. Lives at the app level so no event is missed while another view shows.
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { errorMessage, invoke, useApiEvent } from '../../lib/api';
import { useToasts } from '../../lib/toasts';
import type { Events } from '../../../shared/contract';
import { activeCount, emptyQueue, queueReducer, type QueueAction, type QueueState } from './queue-state';
import { addSample, secondsLeft, type WorkSample } from './eta';

export interface QueueModel {
  state: QueueState;
  /** Seconds until the active work is done, null while unknown or idle. */
  etaSeconds: number | null;
  reload(): void;
}

// The queue and the recent (time, work) samples the ETA is read from, updated by the same action.
interface Tracked {
  queue: QueueState;
  samples: WorkSample[];
}
type StampedAction = QueueAction & { at: number };

const stamped = (action: QueueAction): StampedAction => ({ ...action, at: performance.now() });

function trackedReducer(tracked: Tracked, action: StampedAction): Tracked {
  const queue = queueReducer(tracked.queue, action);
  // An idle queue forgets its rate, so the next batch is not judged by the last one.
  const samples = activeCount(queue) === 0 ? [] : addSample(tracked.samples, { at: action.at, work: queue.work });
  return { queue, samples };
}

export function useQueue(): QueueModel {
  const [{ queue: state, samples }, dispatch] = useReducer(trackedReducer, { queue: emptyQueue, samples: [] });
  const toasts = useToasts();
  // Events that arrive before the first list are held, then applied on top of it.
  const early = useRef<Events['queue:progress'][] | null>([]);

  const reload = useCallback(() => {
    invoke('queue:list', {})
      .then(({ jobs }) => {
        dispatch(stamped({ type: 'reset', jobs }));
        for (const payload of early.current ?? []) dispatch(stamped({ type: 'progress', payload }));
        early.current = null;
      })
      .catch((error) => {
        // Carry on with what events bring rather than holding them forever.
        for (const payload of early.current ?? []) dispatch(stamped({ type: 'progress', payload }));
        early.current = null;
        toasts.push({ kind: 'error', message: `Could not load the queue: ${errorMessage(error)}` });
      });
  }, [toasts]);

  useEffect(reload, [reload]);

  useApiEvent('queue:progress', (payload) => {
    if (early.current) early.current.push(payload);
    else dispatch(stamped({ type: 'progress', payload }));
  });

  const etaSeconds = activeCount(state) === 0 ? null : secondsLeft(samples, state.order.length * 100 - state.work);

  return { state, etaSeconds, reload };
}
