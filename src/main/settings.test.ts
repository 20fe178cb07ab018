import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, SettingsStore } from './settings';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'rs-settings-')), 'settings.json');

describe('defaultSettings', () => {
  it('takes date order and currency from the locale', () => {
    expect(defaultSettings('en-US')).toMatchObject({ dateOrder: 'MDY', defaultCurrency: 'USD' });
    expect(defaultSettings('en-GB')).toMatchObject({ dateOrder: 'DMY', defaultCurrency: 'GBP' });
    expect(defaultSettings('ms-MY')).toMatchObject({ dateOrder: 'DMY', defaultCurrency: 'MYR' });
    expect(defaultSettings('de')).toMatchObject({ dateOrder: 'DMY', defaultCurrency: 'EUR' });
    expect(defaultSettings('not a locale!')).toMatchObject({ dateOrder: 'MDY', defaultCurrency: 'USD' });
  });
});

describe('SettingsStore', () => {
  it('persists changes and reads them back', () => {
    const path = tempFile();
    new SettingsStore(path, defaultSettings('en-US')).set({ dateOrder: 'DMY', concurrency: 3 });
    const again = new SettingsStore(path, defaultSettings('en-US'));
    expect(again.get()).toMatchObject({ dateOrder: 'DMY', concurrency: 3, defaultCurrency: 'USD' });
    expect(JSON.parse(readFileSync(path, 'utf8')).dateOrder).toBe('DMY');
  });

  it('keeps valid fields of a damaged file and drops the invalid ones', () => {
    const path = tempFile();
    writeFileSync(path, JSON.stringify({ dateOrder: 'YMD', defaultCurrency: 'EUR', concurrency: -4 }));
    const store = new SettingsStore(path, defaultSettings('en-US'));
    expect(store.get()).toMatchObject({ dateOrder: 'MDY', defaultCurrency: 'EUR' });
    expect(store.get().concurrency).toBeGreaterThan(0);
  });

  it('holds a hand-edited OCR.space address to https, or http on this computer only', () => {
    const path = tempFile();
    writeFileSync(path, JSON.stringify({ ocrSpaceUrl: 'http://ocr.example.com/parse/image' }));
    expect(new SettingsStore(path, defaultSettings('en-US')).get().ocrSpaceUrl).toBe('https://api.ocr.space/parse/image');
    writeFileSync(path, JSON.stringify({ ocrSpaceUrl: 'http://127.0.0.1:8080/parse/image' }));
    expect(new SettingsStore(path, defaultSettings('en-US')).get().ocrSpaceUrl).toBe('http://127.0.0.1:8080/parse/image');
  });

  it('survives a file that is not JSON', () => {
    const path = tempFile();
    writeFileSync(path, '{not json');
    expect(new SettingsStore(path, defaultSettings('en-GB')).get().dateOrder).toBe('DMY');
  });

  it('rejects an invalid change and keeps the old value', () => {
    const store = new SettingsStore(undefined, defaultSettings('en-US'));
    expect(() => store.set({ defaultCurrency: 'dollars' })).toThrow();
    expect(store.get().defaultCurrency).toBe('USD');
  });
});
