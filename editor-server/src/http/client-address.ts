/**
 * The one answer to « who is this client? » for every per-address limit: WebSocket connections,
 * collaboration readers, login throttling, reader forms. By default it is the socket's address
 * and no header is believed. Behind a reverse proxy every client shares the proxy's address, so
 * `TRUST_PROXY` names the proxies (addresses or CIDR ranges): when a request comes from one of
 * them, the client is the nearest address in `X-Forwarded-For` that is not a trusted proxy. Only
 * addresses a trusted proxy appended are believed: a client cannot pick its own by prepending.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** The proxies whose `X-Forwarded-For` is believed; undefined trusts none. */
export type TrustedProxies = BlockList | undefined;

/** Whether a TRUST_PROXY entry is an address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
export function isProxyEntry(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address || !isIP(address)) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/** The trusted proxies of a TRUST_PROXY list (entries checked by `isProxyEntry`). */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

/** The client's address, from the socket's address and the `X-Forwarded-For` header. */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | null | undefined, trusted: TrustedProxies): string {
  const socket = normalizeAddress(socketAddress);
  if (!socket) return 'inconnue';
  if (!trusted || !isTrusted(socket, trusted) || !forwardedFor) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  let nearest = socket;
  // From the nearest hop outwards: each trusted proxy vouches for the address before it.
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(stripPort(hops[i]!.trim()));
    // A hop that is not an address: the chain cannot be read further; the last proxy answers for it.
    if (!hop) return nearest;
    if (!isTrusted(hop, trusted)) return hop;
    nearest = hop;
  }
  return nearest;
}

/** `clientAddress` of a node:http request (HTTP API, WebSocket upgrade). */
export function requestClientAddress(request: IncomingMessage, trusted: TrustedProxies): string {
  return clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], trusted);
}

function isTrusted(address: string, trusted: BlockList): boolean {
  return trusted.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

/** An address as one form: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is the IPv4 address. */
function normalizeAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const plain = mapped ? mapped[1]! : address;
  return isIP(plain) ? plain.toLowerCase() : undefined;
}

/** `203.0.113.5:4711` and `[2001:db8::1]:4711` as some proxies write them. */
function stripPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(hop);
  return withPort ? withPort[1]! : hop;
}
