// Short messages at the bottom of the window: results, errors, and the undo of a delete. Announced to
// screen readers through a live region. Timers pause while the pointer or focus is on the messages, so
// nothing disappears while it is being read or reached for.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { keptOnScreenChange, toastLifetimeMs } from './toast-timing';

export interface ToastInput {
  message: string;
  kind?: 'info' | 'success' | 'error' | 'warning';
  action?: { label: string; run: () => void };
  /** Milliseconds before it goes away on its own; errors stay until dismissed. */
  timeoutMs?: number;
}

interface Toast extends ToastInput {
  id: number;
}

interface ToastApi {
  push(toast: ToastInput): number;
  dismiss(id: number): void;
  /** The person moved to another screen: drop what only applied to the one they left. */
  leaveScreen(): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToasts(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToasts needs a ToastProvider');
  return api;
}

const MAX_VISIBLE = 3;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const lifetimes = useRef(new Map<number, number>());
  const paused = useRef(false);

  const forget = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    lifetimes.current.delete(id);
  }, []);
  const dismiss = useCallback(
    (id: number) => {
      forget(id);
      setToasts((list) => list.filter((t) => t.id !== id));
    },
    [forget],
  );

  // A paused toast restarts its full lifetime when resumed: the person was reading it.
  const startTimer = useCallback(
    (id: number) => {
      const ms = lifetimes.current.get(id);
      if (ms !== undefined && !paused.current)
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), ms),
        );
    },
    [dismiss],
  );
  const pause = useCallback(() => {
    paused.current = true;
    for (const timer of timers.current.values()) clearTimeout(timer);
    timers.current.clear();
  }, []);
  const resume = useCallback(() => {
    paused.current = false;
    for (const id of lifetimes.current.keys()) startTimer(id);
  }, [startTimer]);

  const push = useCallback(
    (input: ToastInput) => {
      const id = nextId.current++;
      setToasts((list) => {
        for (const dropped of list.slice(0, Math.max(0, list.length - (MAX_VISIBLE - 1)))) forget(dropped.id);
        return [...list.slice(-(MAX_VISIBLE - 1)), { ...input, id }];
      });
      const lifetime = toastLifetimeMs({ kind: input.kind, hasAction: Boolean(input.action), timeoutMs: input.timeoutMs });
      if (lifetime !== null) {
        lifetimes.current.set(id, lifetime);
        startTimer(id);
      }
      return id;
    },
    [startTimer, forget],
  );

  const leaveScreen = useCallback(() => {
    setToasts((list) => {
      for (const t of list) if (!keptOnScreenChange(t.kind)) forget(t.id);
      return list.filter((t) => keptOnScreenChange(t.kind));
    });
  }, [forget]);

  const api = useMemo(() => ({ push, dismiss, leaveScreen }), [push, dismiss, leaveScreen]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        className="toasts"
        role="status"
        aria-live="polite"
        onMouseEnter={pause}
        onMouseLeave={resume}
        onFocus={pause}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget)) resume();
        }}
      >
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.kind ?? 'info'}`} role={toast.kind === 'error' ? 'alert' : undefined}>
            <span className="toast-message">{toast.message}</span>
            {toast.action && (
              <button
                type="button"
                className="toast-action"
                onClick={() => {
                  toast.action?.run();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button type="button" className="toast-close" aria-label="Dismiss message" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
