// Which network addresses a downloaded link may reach. A receipt link from a web page or an e-mail must
// not make the app fetch from this computer, the local network or a cloud metadata service (SSRF); a
// link the user pasted with such an address written in it is their own choice, for that host only.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // unspecified, "this network"
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including the 169.254.169.254 metadata service
  ['172.16.0.0', 12], // RFC 1918
  ['192.168.0.0', 16], // RFC 1918
  ['224.0.0.0', 3], // multicast, reserved and broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
// (IPv4-mapped IPv6 addresses are checked against the IPv4 rules by BlockList itself.)
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** The address of a URL host written as an IP literal (brackets removed), or undefined for a name. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? bare : undefined;
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The host a pasted link gives consent for: an IP literal or `localhost` (which only ever means this
 * computer). A name that merely resolves to a private address is no consent: DNS is not the user's word.
 */
export function consentedHost(url: URL): string | undefined {
  return literalAddress(url.hostname) !== undefined || url.hostname === 'localhost' ? url.hostname : undefined;
}

export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  readonly code = 'ERR_PRIVATE_ADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} is on this computer or a private network (${address})`);
  }
}

/** Why an IP-literal host that is not public may not be reached, unless it is the consented host. */
export function refusedLiteral(url: URL, consented: string | undefined): PrivateAddressError | undefined {
  const address = literalAddress(url.hostname);
  if (address === undefined || url.hostname === consented || isPublicAddress(address)) return undefined;
  return new PrivateAddressError(url.hostname, address);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type Lookup = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A DNS lookup for the connection itself (so a name cannot resolve one way when checked and another when
 * connected): every address the name resolves to must be public, unless the name is the consented host.
 */
export function guardedLookup(consented: string | undefined, resolve: Lookup = dnsLookup) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const blocked = hostname === consented ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (blocked) return callback(new PrivateAddressError(hostname, blocked.address) as NodeJS.ErrnoException, []);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
