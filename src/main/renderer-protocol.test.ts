import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, rendererFile, serveRenderer } from './renderer-protocol';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'renderer-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>ok</title>');
  writeFileSync(join(root, 'assets', 'index.js'), 'console.log(1)');
  // Beside the renderer folder, with a name that starts the same: a prefix check would let it through.
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.html'), 'evil');
  writeFileSync(join(base, 'secret.txt'), 'secret');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('rendererFile', () => {
  it('names files inside the renderer folder', () => {
    expect(rendererFile(root, '/')).toBe(join(root, 'index.html'));
    expect(rendererFile(root, '/assets/index.js')).toBe(join(root, 'assets', 'index.js'));
    expect(rendererFile(root, '/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'));
  });

  it('names nothing outside it', () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2frenderer-evil/x.html',
      '/..%5csecret.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'secret.txt',
    ]) {
      expect(rendererFile(root, path), path).toBeNull();
    }
  });
});

describe('serveRenderer', () => {
  const get = (url: string) => serveRenderer(root, new Request(url));

  it('serves the page with its type and the CSP', async () => {
    const page = await get('app://receipt-scanner/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>ok</title>');
    expect((await get('app://receipt-scanner/assets/index.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('answers 404 for other hosts, folders, missing files and anything outside', async () => {
    for (const url of [
      'app://other-host/index.html',
      'app://receipt-scanner/assets',
      'app://receipt-scanner/missing.js',
      'app://receipt-scanner/..%2fsecret.txt',
      'app://receipt-scanner/..%2frenderer-evil/x.html',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toMatch(/secret|evil/);
    }
  });
});
