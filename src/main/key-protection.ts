// How well Electron's safeStorage protects a saved secret on this system. On Linux without a keyring
// Chromium falls back to 'basic_text', which encrypts with a password built into Chromium: that is
// obfuscation, not protection, and the person must be told so.
import type { KeyProtection } from '../shared/model';

/** Linux backends that keep the encryption key in an OS keyring. */
const LINUX_KEYRINGS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function keyProtection(system: {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend(), Linux only ('unknown' before the app is ready). */
  linuxBackend?: string;
}): Exclude<KeyProtection, 'memory'> {
  if (!system.encryptionAvailable) return 'unavailable';
  if (system.platform !== 'linux') return 'keychain';
  return LINUX_KEYRINGS.has(system.linuxBackend ?? 'unknown') ? 'keychain' : 'obfuscated';
}
