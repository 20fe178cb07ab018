// Serves the built renderer as app://receipt-scanner/… instead of file:// (the shell registers the scheme
// as standard and secure, and hands every request here). Plain Node: the e2e harness serves the page
// with this same code over http. A request can only ever read a file inside the renderer folder.
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative } from 'node:path';

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'receipt-scanner';
export const RENDERER_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The page's Content-Security-Policy; the dev server also needs its websocket for hot reload. */
export function contentSecurityPolicy(devServerUrl?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    devServerUrl ? `connect-src 'self' ${devServerUrl.replace(/^http/, 'ws')}` : "connect-src 'self'",
  ].join('; ');
}

/**
 * The file under `root` that a URL path names, or null when it names none: undecodable, a NUL or a
 * backslash, or anything that resolves outside root (`..`, %2e%2e, %2f). '/' is index.html.
 */
export function rendererFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\0\\]/.test(decoded)) return null;
  const file = join(root, decoded === '/' ? 'index.html' : decoded);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

/** The response to a request for `urlPath`: the file with its type and the CSP, or 404. */
export async function rendererResponse(root: string, urlPath: string, csp = contentSecurityPolicy()): Promise<Response> {
  const file = rendererFile(root, urlPath);
  const notFound = () => new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  if (!file) return notFound();
  try {
    if (!(await stat(file)).isFile()) return notFound();
    return new Response(await readFile(file), {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  } catch {
    return notFound();
  }
}

/** protocol.handle's handler: only the renderer's own host is served. */
export function serveRenderer(root: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== RENDERER_HOST) return Promise.resolve(new Response('not found', { status: 404 }));
  return rendererResponse(root, url.pathname);
}
