import { describe, expect, it } from 'vitest';
import { memorySecrets } from './app';
import { bindKey, keyFor, readKey } from './secret-store';

describe('the stored OCR.space key', () => {
  it('is bound to the origin of the address it was saved for, whatever the path', () => {
    const store = memorySecrets(bindKey('k1', 'https://apipro1.ocr.space/parse/image'));
    expect(readKey(store)).toEqual({ key: 'k1', origin: 'https://apipro1.ocr.space' });
    expect(keyFor(store, 'https://apipro1.ocr.space/other/path')).toEqual({ key: 'k1' });
    for (const url of [
      'https://api.ocr.space/parse/image',
      'http://apipro1.ocr.space/parse/image',
      'https://apipro1.ocr.space:8443/parse/image',
    ]) {
      expect(keyFor(store, url), url).toEqual({
        problem: expect.stringMatching(/^The OCR\.space key was saved for https:\/\/apipro1\.ocr\.space, not /),
      });
    }
  });

  it('takes a key saved before keys were bound as one for OCR.space itself', () => {
    const store = memorySecrets('plain-old-key');
    expect(keyFor(store, 'https://api.ocr.space/parse/image')).toEqual({ key: 'plain-old-key' });
    expect(keyFor(store, 'http://127.0.0.1:8080/parse/image')).toMatchObject({ problem: expect.any(String) });
    expect(keyFor(memorySecrets(), 'https://api.ocr.space/parse/image')).toEqual({
      problem: 'OCR.space is selected but no API key is stored: add one in Settings or choose local OCR',
    });
  });
});
