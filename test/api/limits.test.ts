/**
 * Limits at the edge, over real HTTP: the body size limit (413), plan-sized rate limits per
 * tenant and per caller (429 with Retry-After and RateLimit headers), and per-tenant CORS.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/platform/http/rate-limit.js';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';
import { makeTenantPair, postContact, problemOf } from '../helpers/resource-api.js';

const api = useTestApi();
let A: TestTenant;
let B: TestTenant;
beforeAll(async () => {
  [A, B] = await makeTenantPair(api.db);
});

describe('CORS per tenant', () => {
  it('allows only the origins the tenant lists, and answers their preflight', async () => {
    // Before the tenant lists the origin, the same key (already in use by the app) gets no CORS headers.
    const before = await api.fetch('/v1/contacts', {
      token: A.keys.viewer,
      headers: { origin: 'https://app.example' },
    });
    expect(before.headers.get('access-control-allow-origin')).toBeNull();
    const owner = api.client(A.keys.owner);
    const set = await owner.PATCH('/v1/tenant', {
      body: { settings: { corsOrigins: ['https://app.example'] } },
    });
    expect(set.response.status).toBe(200);
    const allowed = await api.fetch('/v1/contacts', {
      token: A.keys.viewer,
      headers: { origin: 'https://app.example' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-expose-headers')).toMatch(/etag/);
    const other = await api.fetch('/v1/contacts', {
      token: A.keys.viewer,
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // B never listed the origin: its responses carry no CORS headers for it.
    const b = await api.fetch('/v1/contacts', {
      token: B.keys.viewer,
      headers: { origin: 'https://app.example' },
    });
    expect(b.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = (origin: string) =>
      api.fetch('/v1/contacts', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const ok = await preflight('https://app.example');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);
    const no = await preflight('https://evil.example');
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('body limit and rate limits (an app with a 2 KiB body limit and a frozen rate-limit clock)', () => {
  const small = useTestApi({
    bodyLimitBytes: 2048,
    limiter: new RateLimiter(60_000, () => 1_700_000_010_000),
  });

  it('refuses a body over the limit with 413, with or without Content-Length', async () => {
    const T = await makeTenant(small.db);
    const big = JSON.stringify({ name: 'x'.repeat(3000) });
    await problemOf(
      await postContact(small, T.keys.agent, { name: 'x'.repeat(3000) }),
      413,
      'payload_too_large',
    );
    const chunked = await fetch(`${small.url}/v1/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${T.keys.agent}`, 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    await problemOf(chunked, 413, 'payload_too_large');
    expect((await postContact(small, T.keys.agent, { name: 'x'.repeat(1000) })).status).toBe(201);
  });

  it('gives a caller half the tenant’s budget, then 429 with Retry-After; other tenants are unaffected', async () => {
    const T = await makeTenant(small.db, { requestsPerMinute: 6 });
    const other = await makeTenant(small.db, { requestsPerMinute: 6 });
    const viewer = small.client(T.keys.viewer);
    for (let i = 0; i < 3; i++) {
      const { response } = await viewer.GET('/v1/contacts');
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-policy')).toBe('"tenant";q=6;w=60, "caller";q=3;w=60');
      expect(response.headers.get('ratelimit')).toMatch(/^"caller";r=\d+;t=\d+$/);
    }
    const sent = await viewer.GET('/v1/contacts');
    await problemOf(sent, 429, 'rate_limited');
    const refused = sent.response;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit')).toMatch(/r=0/);
    expect(refused.headers.get('ratelimit-policy')).toBeTruthy();

    expect((await small.client(other.keys.viewer).GET('/v1/contacts')).response.status).toBe(200);
    // Another key of the same tenant has its own caller budget but shares the tenant's six.
    const agent = small.client(T.keys.agent);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await agent.GET('/v1/contacts')).response.status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
