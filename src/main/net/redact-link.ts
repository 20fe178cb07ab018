// What of a pasted link is kept and shown: scheme, host and path. Sign-in details (`user:pass@`) and the
// query (signatures, tokens, keys of pre-signed links) are secrets the download needs once; they are
// never stored in the ledger nor shown. The fragment never leaves the browser anyway.

/** Stands where a part was removed; never part of a parsed URL (non-ASCII is percent-encoded there). */
const REMOVED = '…';

export function redactLink(href: string): string {
  const url = new URL(href);
  const credentials = url.username || url.password ? `${REMOVED}@` : '';
  return `${url.protocol}//${credentials}${url.host}${url.pathname}${url.search ? `?${REMOVED}` : ''}`;
}

/** True for a link redactLink shortened: it cannot be downloaded again as stored. */
export function isRedacted(link: string): boolean {
  return link.includes(REMOVED);
}
