// How long a toast stays. Errors stay until dismissed: a person must be able to read what went wrong,
// and an error that vanishes while they look elsewhere is an error they never saw.
export interface ToastTiming {
  kind?: 'info' | 'success' | 'error' | 'warning';
  hasAction?: boolean;
  timeoutMs?: number;
}

/** Plain results go quickly; an undo offer stays long enough to reach for it. */
export const TOAST_MS = 4_000;
export const TOAST_WITH_ACTION_MS = 8_000;

/** Milliseconds before the toast goes on its own, or null when only the person dismisses it. */
export function toastLifetimeMs({ kind, hasAction, timeoutMs }: ToastTiming): number | null {
  if (kind === 'error') return null;
  return timeoutMs ?? (hasAction ? TOAST_WITH_ACTION_MS : TOAST_MS);
}

/** On leaving a screen, its results and undo offers no longer apply; errors stay until read. */
export function keptOnScreenChange(kind: ToastTiming['kind']): boolean {
  return kind === 'error';
}
