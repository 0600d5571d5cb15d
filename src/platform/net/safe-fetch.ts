/**
 * Outbound HTTP for addresses someone else chose (a URL to ingest, a tenant's webhook endpoint):
 *
 * - the address is checked where the connection is made (the socket's own DNS lookup), so a
 *   name that resolves to a private, loopback, link-local or otherwise non-public address is
 *   refused even if it changes between check and use (DNS rebinding);
 * - a time limit for the whole exchange, a size limit on the body, and redirects capped (each
 *   hop checked again) or not followed at all.
 *
 * `allowPrivate` (FRONTDESK_ALLOW_PRIVATE_URLS) lifts the address rule for local development
 * and tests against local servers; nothing else does.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

export type SafeFetchErrorCode =
  | 'invalid_url'
  | 'blocked_address'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'network';

export class SafeFetchError extends Error {
  override name = 'SafeFetchError';
  constructor(
    readonly code: SafeFetchErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SafeFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole exchange, including redirects; default 10 s. */
  timeoutMs?: number;
  /** Largest response body in bytes; default 10 MiB. */
  maxBytes?: number;
  /** Redirects followed (each re-checked); 0 = a 3xx is returned as is. Default 3. */
  maxRedirects?: number;
  allowPrivate?: boolean;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
  text(): string;
}

/** Non-public ranges (RFC 6890 special-purpose registries, IPv4 and IPv6). */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True when `address` (an IP literal) is not a public unicast address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const embedded = embeddedIpv4(address);
    if (embedded === 'deprecated') return true;
    if (embedded) return blocked.check(embedded, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

/** The 8 groups of an IPv6 literal as numbers (a dotted IPv4 tail counts as two). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => Number.parseInt(g, 16));
}

/**
 * The IPv4 address an IPv6 literal carries, in any spelling (`::ffff:7f00:1` as well as
 * `::ffff:127.0.0.1`): IPv4-mapped (::ffff:0:0/96) and 6to4 (2002::/16) are checked as that IPv4
 * address; IPv4-compatible (::/96, deprecated since RFC 4291) is never public.
 */
function embeddedIpv4(address: string): string | 'deprecated' | undefined {
  const g = ipv6Groups(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (g.slice(0, 6).every((x) => x === 0)) return 'deprecated';
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return undefined;
}

/**
 * Why a URL someone else chose must not be stored, before any lookup: credentials in it (they
 * would be sent to whoever answers, and logged as part of the URL), or a name of this machine
 * (`localhost`, `localhost.`, `*.localhost`), or an IP literal that is not public.
 */
export function urlShapeProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.username || parsed.password)
    return 'carries credentials (user:password@); put them in a header or the path';
  if (allowPrivate) return null;
  const host = parsed.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'points at this machine';
  if (isIP(host) && isPrivateAddress(host)) return `is ${host}, a private or reserved address`;
  return null;
}

/**
 * The early answer when a URL is stored (a webhook endpoint, a URL source): its shape
 * (`urlShapeProblem`), then whether its name resolves to a non-public address (unless
 * `allowPrivate`). safeFetch checks again at every connection. An unresolvable name is not
 * refused here: it fails when fetched. Returns a reason, or null when the URL is acceptable.
 */
export async function publicUrlProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  const shape = urlShapeProblem(url, allowPrivate);
  if (shape || allowPrivate) return shape;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  try {
    const addresses = await lookup(host, { all: true });
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    return bad ? `resolves to ${bad.address}, a private or reserved address` : null;
  } catch {
    return null;
  }
}

/** A DNS lookup for sockets that refuses non-public answers. */
function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number },
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) {
      const error = new SafeFetchError(
        'blocked_address',
        `${hostname} resolves to ${bad.address}, a private or reserved address`,
      ) as unknown as NodeJS.ErrnoException;
      return callback(error, '', 0);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

/** Fetches `url` under the rules in the module comment. Throws SafeFetchError. */
export async function safeFetch(url: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  // A timeout is elapsed real time (monotonic), not the Clock's business time.
  const deadline = performance.now() + (options.timeoutMs ?? 10_000);
  const maxRedirects = options.maxRedirects ?? 3;
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await requestOnce(current, options, deadline);
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location && maxRedirects > 0) {
      if (hop >= maxRedirects) {
        throw new SafeFetchError('too_many_redirects', `more than ${maxRedirects} redirects from ${url}`);
      }
      current = new URL(location, current).toString();
      continue;
    }
    return response;
  }
}

function requestOnce(url: string, options: SafeFetchOptions, deadline: number): Promise<SafeResponse> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new SafeFetchError('invalid_url', `not a valid URL: ${url}`));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return Promise.reject(
      new SafeFetchError('invalid_url', `only http and https URLs are fetched (${parsed.protocol})`),
    );
  }
  if (parsed.username || parsed.password) {
    return Promise.reject(new SafeFetchError('invalid_url', 'URLs with credentials are not fetched'));
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return Promise.reject(new SafeFetchError('blocked_address', `${host} is a private or reserved address`));
  }
  const remaining = deadline - performance.now();
  if (remaining <= 0) return Promise.reject(new SafeFetchError('timeout', `timed out fetching ${url}`));
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const transport = parsed.protocol === 'https:' ? https : http;

  return new Promise<SafeResponse>((resolve, reject) => {
    const req = transport.request(
      parsed,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ...(options.allowPrivate ? {} : { lookup: guardedLookup as never }),
      },
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          req.destroy();
          reject(new SafeFetchError('too_large', `the response is over ${maxBytes} bytes`));
          return;
        }
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new SafeFetchError('too_large', `the response is over ${maxBytes} bytes`));
            return;
          }
          parts.push(chunk);
        });
        res.on('end', () => {
          const body = Buffer.concat(parts);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            url,
            text: () => body.toString('utf8'),
          });
        });
        res.on('error', (error) => reject(new SafeFetchError('network', error.message)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new SafeFetchError('timeout', `timed out fetching ${url}`));
    }, remaining);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof SafeFetchError ? error : new SafeFetchError('network', error.message));
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
