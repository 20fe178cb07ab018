import { describe, expect, it } from 'vitest';
import { opensInBrowser, ownPageMatcher } from './window-policy';

describe('ownPageMatcher', () => {
  it('accepts exactly the packaged page', () => {
    const isOwnPage = ownPageMatcher();
    expect(isOwnPage('app://receipt-scanner/index.html')).toBe(true);
    expect(isOwnPage('app://receipt-scanner/')).toBe(true);
    expect(isOwnPage('app://receipt-scanner/index.html#queue')).toBe(true);
    for (const url of [
      'file:///opt/receipt-scanner/resources/app.asar/out/renderer/index.html',
      'file:///opt/receipt-scanner/resources/app.asar/out/renderer-evil/x.html',
      'app://receipt-scanner.evil.example/index.html',
      'app://evil@receipt-scanner/index.html',
      'app://receipt-scanner/assets/evil.html',
      'https://receipt-scanner/index.html',
      'app://receipt-scanner:8080/index.html',
      'not a url',
    ]) {
      expect(isOwnPage(url), url).toBe(false);
    }
  });

  it('accepts exactly the dev server in development', () => {
    const isOwnPage = ownPageMatcher('http://localhost:5173');
    expect(isOwnPage('http://localhost:5173/')).toBe(true);
    for (const url of [
      'http://localhost:5173.evil.example/',
      'http://localhost:51730/',
      'http://localhost:5173@evil.example/',
      'https://localhost:5173/',
      'app://receipt-scanner/index.html',
    ]) {
      expect(isOwnPage(url), url).toBe(false);
    }
  });
});

describe('opensInBrowser', () => {
  it('sends only http(s) links to the browser', () => {
    expect(opensInBrowser('https://ocr.space/')).toBe(true);
    expect(opensInBrowser('http://example.com/a')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://receipt-scanner/', '']) {
      expect(opensInBrowser(url), url).toBe(false);
    }
  });
});
