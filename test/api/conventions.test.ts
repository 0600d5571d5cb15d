/**
 * The REST conventions every resource shares, over real HTTP through the typed client generated
 * from /openapi.json: cursor pagination, filters and sort, ETag/If-Match, RFC 9457 problems,
 * body checks (415/400/422), database constraints without leaks, request ids, 401 vs 403.
 * (Body limit, rate limits and CORS: limits.test.ts.) Raw fetch only where the types forbid the request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';
import { makeTenantPair, postContact, problemOf } from '../helpers/resource-api.js';

const api = useTestApi();
let A: TestTenant;
let B: TestTenant;
beforeAll(async () => {
  [A, B] = await makeTenantPair(api.db);
});

describe('cursor pagination, sort and filters', () => {
  let T: TestTenant;
  beforeAll(async () => {
    T = await makeTenant(api.db);
    const client = api.client(T.keys.agent);
    for (let i = 0; i < 45; i++) {
      const { response } = await client.POST('/v1/contacts', {
        body: { name: `Person ${i}`, email: `p${i}@page.example` },
      });
      expect(response.status).toBe(201);
    }
  });

  it('pages 45 contacts as 20/20/5 without duplicates, ending with a null cursor', async () => {
    const client = api.client(T.keys.viewer);
    const sizes: number[] = [];
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await client.GET('/v1/contacts', {
        params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } },
      });
      sizes.push(data!.data.length);
      ids.push(...data!.data.map((c) => c.id));
      cursor = data!.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([20, 20, 5]);
    expect(new Set(ids).size).toBe(45);
  });

  it('keeps cursors opaque: a tampered or foreign cursor is a 400 problem', async () => {
    const client = api.client(T.keys.viewer);
    const { data } = await client.GET('/v1/contacts', { params: { query: { limit: 5 } } });
    const cursor = data!.nextCursor!;
    expect(cursor).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // no raw id in sight
    const forged = Buffer.from(JSON.stringify(['not-a-uuid', 1])).toString('base64url');
    for (const bad of [`${cursor.slice(0, -4)}!!!!`, 'garbage', forged]) {
      await problemOf(
        await client.GET('/v1/contacts', { params: { query: { cursor: bad } } }),
        400,
        'bad_request',
      );
    }
    // A cursor from one sort order does not continue the other.
    const other = await client.GET('/v1/contacts', { params: { query: { cursor, sort: 'createdAt' } } });
    await problemOf(other, 400, 'bad_request');
  });

  it.each([0, 101])('refuses limit=%i with a 422 naming the field', async (limit) => {
    const sent = await api.client(T.keys.viewer).GET('/v1/contacts', { params: { query: { limit } } });
    await problemOf(sent, 422, 'validation_failed');
    expect(sent.error!.errors?.map((e) => e.path)).toEqual(['limit']);
  });

  it('sorts by createdAt either way (newest first by default)', async () => {
    const client = api.client(T.keys.viewer);
    const asc = (await client.GET('/v1/contacts', { params: { query: { limit: 100, sort: 'createdAt' } } }))
      .data!.data;
    const desc = (await client.GET('/v1/contacts', { params: { query: { limit: 100, sort: '-createdAt' } } }))
      .data!.data;
    const dflt = (await client.GET('/v1/contacts', { params: { query: { limit: 100 } } })).data!.data;
    expect(asc).toHaveLength(45);
    expect(asc.map((c) => c.name)).toEqual(Array.from({ length: 45 }, (_, i) => `Person ${i}`));
    expect(desc.map((c) => c.id)).toEqual(asc.map((c) => c.id).reverse());
    expect(dflt.map((c) => c.id)).toEqual(desc.map((c) => c.id));
    const times = asc.map((c) => Date.parse(c.createdAt!));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // The snake-case sort keys of before (CHANGELOG.md) are refused, not aliased.
    const old = await client.GET('/v1/contacts', { params: { query: { sort: 'created_at' as never } } });
    await problemOf(old, 422, 'validation_failed');
    expect(old.error!.errors?.map((e) => e.path)).toEqual(['sort']);
  });

  it('filters by equality (?email=)', async () => {
    const { data } = await api
      .client(T.keys.viewer)
      .GET('/v1/contacts', { params: { query: { email: 'p7@page.example' } } });
    expect(data!.data.map((c) => c.name)).toEqual(['Person 7']);
    expect(data!.nextCursor).toBeNull();
  });
});

describe('ETag and If-Match', () => {
  it('gives a new ETag after a change, the same on the next GET; a stale If-Match is 412 and changes nothing', async () => {
    const client = api.client(A.keys.agent);
    const created = await client.POST('/v1/contacts', { body: { name: 'Etag Person' } });
    const id = created.data!.id;
    const first = await client.GET('/v1/contacts/{id}', { params: { path: { id } } });
    const etag0 = first.response.headers.get('etag')!;
    expect(etag0).toMatch(/^"[^"]+"$/);
    expect(created.response.headers.get('etag')).toBe(etag0);

    const patched = await client.PATCH('/v1/contacts/{id}', {
      params: { path: { id } },
      body: { name: 'Renamed' },
      headers: { 'if-match': etag0 },
    });
    expect(patched.response.status).toBe(200);
    const etag1 = patched.response.headers.get('etag')!;
    expect(etag1).not.toBe(etag0);
    const again = await client.GET('/v1/contacts/{id}', { params: { path: { id } } });
    expect(again.response.headers.get('etag')).toBe(etag1);

    const stale = await client.PATCH('/v1/contacts/{id}', {
      params: { path: { id } },
      body: { name: 'Lost update' },
      headers: { 'if-match': etag0 },
    });
    await problemOf(stale, 412, 'precondition_failed');
    const after = await client.GET('/v1/contacts/{id}', { params: { path: { id } } });
    expect(after.data!.name).toBe('Renamed');
    expect(after.response.headers.get('etag')).toBe(etag1);
  });

  it('deletes only with a current If-Match', async () => {
    const client = api.client(A.keys.agent);
    const created = await client.POST('/v1/contacts', { body: { name: 'Delete me' } });
    const id = created.data!.id;
    const path = { params: { path: { id } } };
    const stale = await client.DELETE('/v1/contacts/{id}', { ...path, headers: { 'if-match': '"stale"' } });
    await problemOf(stale, 412, 'precondition_failed');
    expect((await client.GET('/v1/contacts/{id}', path)).response.status).toBe(200);
    const etag = created.response.headers.get('etag')!;
    const ok = await client.DELETE('/v1/contacts/{id}', { ...path, headers: { 'if-match': etag } });
    expect(ok.response.status).toBe(204);
    await problemOf(await client.GET('/v1/contacts/{id}', path), 404, 'not_found');
  });
});

describe('problem documents', () => {
  it('answers an unknown id with 404 and a malformed id with a problem too', async () => {
    const client = api.client(A.keys.viewer);
    const unknown = await client.GET('/v1/contacts/{id}', {
      params: { path: { id: '01950000-0000-7000-8000-00000000abcd' } },
    });
    const body = await problemOf(unknown, 404, 'not_found');
    expect(body.instance).toBe('/v1/contacts/01950000-0000-7000-8000-00000000abcd');
    const malformed = await client.GET('/v1/contacts/{id}', { params: { path: { id: 'not-a-uuid' } } });
    expect([404, 422]).toContain(malformed.response.status);
    await problemOf(malformed, malformed.response.status);
  });

  it('lists field-level errors for a bad body', async () => {
    const res = await postContact(api, A.keys.agent, { name: 7, isPrimary: 'yes', sentiment: 'ecstatic' });
    const body = await problemOf(res, 422, 'validation_failed');
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['isPrimary', 'name', 'sentiment']);
  });

  it('refuses another content type (415) and malformed JSON (400)', async () => {
    const text = await api.fetch('/v1/contacts', {
      method: 'POST',
      token: A.keys.agent,
      body: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    await problemOf(text, 415, 'unsupported_media_type');
    await problemOf(
      await api.fetch('/v1/contacts', { method: 'POST', token: A.keys.agent, body: '{"name":' }),
      400,
      'bad_request',
    );
  });

  it('refuses JSON nested deeper than 16 levels and arrays over 1000 items (400), and accepts 1000', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { d: deep };
    await problemOf(await postContact(api, A.keys.agent, { metadata: deep }), 400, 'bad_request');
    await problemOf(
      await postContact(api, A.keys.agent, { tags: Array(1001).fill('x') }),
      400,
      'bad_request',
    );
    expect((await postContact(api, A.keys.agent, { metadata: { n: Array(1000).fill(0) } })).status).toBe(201);
  });

  it('ignores a tenantId in the body: the row is the caller’s', async () => {
    const res = await postContact(api, A.keys.agent, { name: 'Smuggler', tenantId: B.id });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const mine = await api.client(A.keys.viewer).GET('/v1/contacts/{id}', { params: { path: { id } } });
    expect(mine.data!.name).toBe('Smuggler');
    const theirs = await api.client(B.keys.owner).GET('/v1/contacts/{id}', { params: { path: { id } } });
    expect(theirs.response.status).toBe(404);
    const [row] = await api.db.query<{ tenant_id: string }>('SELECT tenant_id FROM contacts WHERE id = $1', [
      id,
    ]);
    expect(row!.tenant_id).toBe(A.id);
  });

  it('maps unique (409), check (422) and foreign key (422) violations without naming constraints', async () => {
    const client = api.client(A.keys.agent);
    expect((await client.POST('/v1/contacts', { body: { externalId: 'ext-dup' } })).response.status).toBe(
      201,
    );
    const results = [
      [await client.POST('/v1/contacts', { body: { externalId: 'ext-dup' } }), 409],
      [await client.POST('/v1/accounts', { body: { name: 'Negative', arrCents: -1 } }), 422],
      [
        await client.POST('/v1/contacts', { body: { accountId: '01950000-0000-7000-8000-00000000dead' } }),
        422,
      ],
    ] as const;
    for (const [res, status] of results) {
      const text = JSON.stringify(await problemOf(res, status));
      for (const leak of ['_check', '_key', '_fkey', '_fk', 'accounts_', 'contacts_', 'constraint']) {
        expect(text).not.toContain(leak);
      }
    }
  });
});

describe('request ids', () => {
  it('puts x-request-id on every response and echoes a valid incoming one', async () => {
    for (const res of [
      await api.fetch('/healthz'),
      await api.fetch('/v1/contacts', { token: A.keys.viewer }),
      await api.fetch('/v1/contacts'),
      await api.fetch('/v1/nowhere', { token: A.keys.viewer }),
    ]) {
      expect(res.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
    }
    const echoed = await api.fetch('/v1/contacts', {
      token: A.keys.viewer,
      headers: { 'x-request-id': 'trace-123.abc' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('trace-123.abc');
    const refused = await api.fetch('/v1/contacts', {
      token: A.keys.viewer,
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(refused.headers.get('x-request-id')).not.toBe('bad id <script>');
  });
});

describe('authentication and roles', () => {
  it('answers 401 with WWW-Authenticate without or with bad credentials', async () => {
    for (const token of [undefined, 'fd_0123456789ab_notarealkeynotarealkeynotarealkey00', 'fds_nope']) {
      const sent = await api.client(token).GET('/v1/contacts');
      await problemOf(sent, 401, 'unauthorized');
      const challenge = sent.response.headers.get('www-authenticate');
      expect({ token: token ?? '(none)', challenge }).toEqual({
        token: token ?? '(none)',
        challenge: expect.stringMatching(/^Bearer /),
      });
    }
  });

  it('answers 403 when the role is too low', async () => {
    await problemOf(
      await api.client(A.keys.viewer).POST('/v1/contacts', { body: { name: 'x' } }),
      403,
      'forbidden',
    );
  });
});
