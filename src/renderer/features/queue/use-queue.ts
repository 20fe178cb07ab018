// Holds the batch queue for the whole window: loads it once from 'queue:list', then applies the
// batched 'queue:progress' events. Lives at the app level so no event is missed while another view shows.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { errorMessage, invoke, useApiEvent } from '../../lib/api';
import { useToasts } from '../../lib/toasts';
import type { Events } from '../../../shared/contract';
import { activeCount, emptyQueue, queueReducer, type QueueState } from './queue-state';
import { addSample, secondsLeft, type WorkSample } from './eta';

export interface QueueModel {
  state: QueueState;
  /** Seconds until the active work is done, null while unknown or idle. */
  etaSeconds: number | null;
  reload(): void;
}

export function useQueue(): QueueModel {
  const [state, dispatch] = useReducer(queueReducer, emptyQueue);
  const toasts = useToasts();
  // Events that arrive before the first list are held, then applied on top of it.
  const early = useRef<Events['queue:progress'][] | null>([]);

  const reload = useCallback(() => {
    invoke('queue:list', {})
      .then(({ jobs }) => {
        dispatch({ type: 'reset', jobs });
        for (const payload of early.current ?? []) dispatch({ type: 'progress', payload });
        early.current = null;
      })
      .catch((error) => {
        // Carry on with what events bring rather than holding them forever.
        for (const payload of early.current ?? []) dispatch({ type: 'progress', payload });
        early.current = null;
        toasts.push({ kind: 'error', message: `Could not load the queue: ${errorMessage(error)}` });
      });
  }, [toasts]);

  useEffect(reload, [reload]);

  useApiEvent('queue:progress', (payload) => {
    if (early.current) early.current.push(payload);
    else dispatch({ type: 'progress', payload });
  });

  const [etaSeconds, setEta] = useState<number | null>(null);
  const samples = useRef<WorkSample[]>([]);
  const active = activeCount(state);
  useEffect(() => {
    if (active === 0) {
      samples.current = [];
      setEta(null);
      return;
    }
    samples.current = addSample(samples.current, { at: performance.now(), work: state.work });
    setEta(secondsLeft(samples.current, state.order.length * 100 - state.work));
  }, [state, active]);

  return { state, etaSeconds, reload };
}
