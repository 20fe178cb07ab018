import { describe, expect, it } from 'vitest';
import { keyProtection } from './key-protection';

describe('keyProtection', () => {
  it("does not call Linux's basic_text store (or an unknown one) encryption", () => {
    expect(keyProtection({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' })).toBe('obfuscated');
    expect(keyProtection({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' })).toBe('obfuscated');
    expect(keyProtection({ platform: 'linux', encryptionAvailable: true })).toBe('obfuscated');
  });

  it('trusts an OS keyring', () => {
    for (const linuxBackend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(keyProtection({ platform: 'linux', encryptionAvailable: true, linuxBackend })).toBe('keychain');
    }
    expect(keyProtection({ platform: 'darwin', encryptionAvailable: true })).toBe('keychain');
    expect(keyProtection({ platform: 'win32', encryptionAvailable: true })).toBe('keychain');
  });

  it('says when nothing can be stored', () => {
    expect(keyProtection({ platform: 'win32', encryptionAvailable: false })).toBe('unavailable');
    expect(keyProtection({ platform: 'linux', encryptionAvailable: false, linuxBackend: 'gnome_libsecret' })).toBe('unavailable');
  });
});
