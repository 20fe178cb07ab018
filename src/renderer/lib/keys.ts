import type { KeyboardEvent as ReactKeyboardEvent } from 'react';

/** True when a key press belongs to a text field (so global shortcuts like Delete leave it alone). */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}

/** Ctrl on Windows/Linux, Cmd on macOS. */
export const isPrimaryModifier = (event: KeyboardEvent | ReactKeyboardEvent): boolean =>
  navigator.platform.toLowerCase().includes('mac') ? event.metaKey : event.ctrlKey;
