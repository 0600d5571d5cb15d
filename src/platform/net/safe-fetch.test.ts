import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress, SafeFetchError, safeFetch } from './safe-fetch.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hello') return res.end('hello');
    if (req.url === '/big') return res.end('x'.repeat(5000));
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 2_000);
    if (req.url?.startsWith('/loop')) {
      res.writeHead(302, { location: `/loop${Number(req.url.slice(5) || 0) + 1}` });
      return res.end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function failure(promise: Promise<unknown>): Promise<SafeFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SafeFetchError);
  return error as SafeFetchError;
}

describe('safeFetch', () => {
  it('classifies addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '192.168.1.1',
      '::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      'fd00::1',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['93.184.216.34', '2606:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses loopback, metadata and names that resolve to them unless allowed', async () => {
    expect((await failure(safeFetch(`${base}/hello`))).code).toBe('blocked_address');
    expect((await failure(safeFetch('http://169.254.169.254/latest/meta-data/'))).code).toBe(
      'blocked_address',
    );
    const port = (server.address() as AddressInfo).port;
    expect((await failure(safeFetch(`http://localhost:${port}/hello`))).code).toBe('blocked_address');
    const ok = await safeFetch(`${base}/hello`, { allowPrivate: true });
    expect([ok.status, ok.text()]).toEqual([200, 'hello']);
  });

  it('enforces the time limit, the size limit, the redirect cap and the scheme', async () => {
    const allowPrivate = true;
    expect((await failure(safeFetch(`${base}/slow`, { allowPrivate, timeoutMs: 200 }))).code).toBe('timeout');
    expect((await failure(safeFetch(`${base}/big`, { allowPrivate, maxBytes: 1000 }))).code).toBe(
      'too_large',
    );
    expect((await failure(safeFetch(`${base}/loop`, { allowPrivate, maxRedirects: 2 }))).code).toBe(
      'too_many_redirects',
    );
    const unfollowed = await safeFetch(`${base}/loop`, { allowPrivate, maxRedirects: 0 });
    expect(unfollowed.status).toBe(302);
    expect((await failure(safeFetch('file:///etc/passwd'))).code).toBe('invalid_url');
  });
});
