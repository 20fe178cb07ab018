// What the window may show and where links go, decided here so it can be tested without Electron:
// the shell asks these for IPC senders, navigation and new windows.
import { RENDERER_HOST, RENDERER_SCHEME } from './renderer-protocol';

const PAGE_PATHS = new Set(['/', '/index.html']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `url` is our own page: exactly app://receipt-scanner/index.html, or in development exactly
 * the dev server's origin. Not a prefix: …/renderer-evil/x.html and localhost:5173.evil.example fail.
 */
export function ownPageMatcher(devServerUrl?: string): (url: string) => boolean {
  const dev = devServerUrl ? parse(devServerUrl) : null;
  if (devServerUrl && !dev) throw new Error(`the dev server address is not a URL: ${devServerUrl}`);
  return (url) => {
    const page = parse(url);
    if (!page || page.username || page.password || !PAGE_PATHS.has(page.pathname)) return false;
    if (dev) return page.protocol === dev.protocol && page.host === dev.host;
    return page.protocol === `${RENDERER_SCHEME}:` && page.host === RENDERER_HOST;
  };
}

/** A link the page asks to open goes to the person's browser only when it is plain http(s). */
export function opensInBrowser(url: string): boolean {
  const link = parse(url);
  return link !== null && (link.protocol === 'https:' || link.protocol === 'http:');
}
