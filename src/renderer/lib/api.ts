// The renderer's only door to main is window.api (the preload's typed client). These helpers keep
// error text readable: rejected invokes carry an Error whose message is meant for people.
import { useEffect, useEffectEvent } from 'react';
import type { EventChannel, Events, RendererChannel, RequestOf, ResponseOf } from '../../shared/contract';

export function invoke<C extends RendererChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return window.api.invoke(channel, request);
}

/** A message fit for a toast: the error's own message, never a stack trace. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  // Electron prefixes rejections from ipcMain with "Error invoking remote method '…': Error: ".
  const cleaned = message
    .replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '')
    .split('\n')[0]
    .trim();
  return cleaned || 'Something went wrong.';
}

/** Subscribes to a main-process event for the component's lifetime; the latest listener is always used. */
export function useApiEvent<E extends EventChannel>(event: E, listener: (payload: Events[E]) => void): void {
  const onEvent = useEffectEvent(listener);
  useEffect(() => window.api.on(event, (payload) => onEvent(payload)), [event]);
}
