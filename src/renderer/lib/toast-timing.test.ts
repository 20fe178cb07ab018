import { describe, expect, it } from 'vitest';
import { keptOnScreenChange, toastLifetimeMs, TOAST_MS, TOAST_WITH_ACTION_MS } from './toast-timing';

describe('toastLifetimeMs', () => {
  it('keeps errors until dismissed, even when a timeout is asked for', () => {
    expect(toastLifetimeMs({ kind: 'error' })).toBeNull();
    expect(toastLifetimeMs({ kind: 'error', timeoutMs: 1000 })).toBeNull();
  });
  it('lets results and warnings go on their own, undo offers later', () => {
    expect(toastLifetimeMs({ kind: 'success' })).toBe(TOAST_MS);
    expect(toastLifetimeMs({ kind: 'warning' })).toBe(TOAST_MS);
    expect(toastLifetimeMs({})).toBe(TOAST_MS);
    expect(toastLifetimeMs({ kind: 'info', hasAction: true })).toBe(TOAST_WITH_ACTION_MS);
    expect(toastLifetimeMs({ kind: 'info', timeoutMs: 500 })).toBe(500);
  });
  it('drops everything but errors when the person changes screen', () => {
    expect(keptOnScreenChange('error')).toBe(true);
    for (const kind of ['info', 'success', 'warning', undefined] as const) expect(keptOnScreenChange(kind)).toBe(false);
  });
});
