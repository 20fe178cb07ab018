// Where the OCR.space API key is kept, and the one service it may go to. The key is stored with the
// origin of the address it was entered for; pointing the app at another origin needs the key entered
// again, so a changed address can never carry a saved key somewhere the user did not give it.
import type { KeyProtection } from '../shared/model';
import { DEFAULT_OCRSPACE_URL } from './ocr/ocrspace';

/** A secret kept as text (Electron safeStorage in the app; memory elsewhere). */
export interface SecretStore {
  get(): string | null;
  set(value: string | null): void;
  /** How the store protects what it keeps, told to the person as it is. */
  readonly protection: KeyProtection;
}

export interface BoundKey {
  key: string;
  /** Origin (scheme, host, port) of the OCR.space address the key was entered for. */
  origin: string;
}

/** The stored text for `key`, bound to the origin of `url`. */
export function bindKey(key: string, url: string): string {
  return JSON.stringify({ key, origin: new URL(url).origin } satisfies BoundKey);
}

/**
 * The stored key and its origin. A key saved before keys were bound (plain text) was entered for
 * OCR.space itself: it is bound to the default address.
 */
export function readKey(store: SecretStore): BoundKey | null {
  const stored = store.get();
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored) as Partial<BoundKey>;
    if (typeof parsed.key === 'string' && typeof parsed.origin === 'string') return { key: parsed.key, origin: parsed.origin };
  } catch {
    // plain text: see above
  }
  return { key: stored, origin: new URL(DEFAULT_OCRSPACE_URL).origin };
}

/** The key to send to `url`, or why none may be sent there. */
export function keyFor(store: SecretStore, url: string): { key: string } | { problem: string } {
  const bound = readKey(store);
  if (!bound) return { problem: 'OCR.space is selected but no API key is stored: add one in Settings or choose local OCR' };
  const origin = new URL(url).origin;
  if (bound.origin !== origin) {
    return {
      problem: `The OCR.space key was saved for ${bound.origin}, not ${origin}: enter the key again in Settings to use it there`,
    };
  }
  return { key: bound.key };
}
