/**
 * Safe retries and lost-update protection under concurrency, over real HTTP: `Idempotency-Key`
 * on POST (replays, mismatches, races, per-tenant keys, replayed client errors) and `If-Match`
 * on PATCH (two writers with the same ETag: one wins, the other gets 412).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, useTestApi } from '../helpers/api.js';
import { makeTenantPair } from '../helpers/resource-api.js';

const api = useTestApi();
let A: TestTenant;
let B: TestTenant;
beforeAll(async () => {
  [A, B] = await makeTenantPair(api.db);
});

const createContact = (
  token: string,
  key: string,
  body: { name?: string; email?: string; isPrimary?: boolean },
) => api.client(token).POST('/v1/contacts', { body, headers: { 'idempotency-key': key } });

async function countByEmail(token: string, email: string): Promise<number> {
  const { data } = await api.client(token).GET('/v1/contacts', { params: { query: { email, limit: 100 } } });
  return data!.data.length;
}

describe('Idempotency-Key', () => {
  it('replays the first response for a retry with the same key and body, creating nothing new', async () => {
    const key = randomUUID();
    const body = { name: 'Retry Person', email: 'retry@idem.example' };
    const first = await createContact(A.keys.agent, key, body);
    expect(first.response.status).toBe(201);
    expect(first.response.headers.get('idempotent-replayed')).toBeNull();
    const again = await createContact(A.keys.agent, key, body);
    expect(again.response.status).toBe(201);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data).toEqual(first.data);
    expect(again.response.headers.get('location')).toBe(first.response.headers.get('location'));
    expect(again.response.headers.get('etag')).toBe(first.response.headers.get('etag'));
    expect(await countByEmail(A.keys.viewer, 'retry@idem.example')).toBe(1);
  });

  it('refuses the same key with a different body (422) or on another path', async () => {
    const key = randomUUID();
    expect(
      (await createContact(A.keys.agent, key, { name: 'One', email: 'one@idem.example' })).response.status,
    ).toBe(201);
    const changed = await createContact(A.keys.agent, key, { name: 'Two', email: 'one@idem.example' });
    expect(changed.response.status).toBe(422);
    expect(changed.error).toMatchObject({
      code: 'validation_failed',
      detail: expect.stringMatching(/Idempotency-Key/),
    });
    const elsewhere = await api
      .client(A.keys.agent)
      .POST('/v1/accounts', { body: { name: 'One' }, headers: { 'idempotency-key': key } });
    expect(elsewhere.response.status).toBe(422);
    expect(await countByEmail(A.keys.viewer, 'one@idem.example')).toBe(1);
  });

  it('refuses a key longer than 255 characters', async () => {
    const res = await createContact(A.keys.agent, 'k'.repeat(256), { name: 'Long key' });
    expect(res.response.status).toBe(400);
    expect(res.error).toMatchObject({ code: 'bad_request' });
  });

  it('creates exactly one resource when two identical requests race (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const key = randomUUID();
      const email = `race-${round}@idem.example`;
      const results = await Promise.all([
        createContact(A.keys.agent, key, { name: 'Racer', email }),
        createContact(A.keys.agent, key, { name: 'Racer', email }),
      ]);
      const statuses = results.map((r) => r.response.status).sort();
      expect(await countByEmail(A.keys.viewer, email)).toBe(1);
      const created = results.filter((r) => r.response.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      if (created.length === 2) {
        // The loser waited and got the stored answer.
        expect(created.filter((r) => r.response.headers.get('idempotent-replayed') === 'true')).toHaveLength(
          1,
        );
        expect(created[0]!.data!.id).toBe(created[1]!.data!.id);
      } else {
        expect(statuses).toEqual([201, 409]);
        const loser = results.find((r) => r.response.status === 409)!;
        expect(loser.response.headers.get('content-type')).toBe('application/problem+json');
        expect(loser.error).toMatchObject({ code: 'conflict' });
        expect(loser.response.headers.get('retry-after')).toBeTruthy();
      }
      // Once the first has finished, a retry is a replay.
      const retry = await createContact(A.keys.agent, key, { name: 'Racer', email });
      expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.data!.id).toBe(created[0]!.data!.id);
    }
  });

  it('keeps keys per tenant: another tenant may use the same key value', async () => {
    const key = `shared-${randomUUID()}`;
    const a = await createContact(A.keys.agent, key, { name: 'A person', email: 'shared@idem.example' });
    const b = await createContact(B.keys.agent, key, { name: 'B person', email: 'shared@idem.example' });
    expect(a.response.status).toBe(201);
    expect(b.response.status).toBe(201);
    expect(b.response.headers.get('idempotent-replayed')).toBeNull();
    expect(b.data!.id).not.toBe(a.data!.id);
    expect(b.data!.name).toBe('B person');
    expect(await countByEmail(A.keys.viewer, 'shared@idem.example')).toBe(1);
    expect(await countByEmail(B.keys.viewer, 'shared@idem.example')).toBe(1);
  });

  it('replays a client error too', async () => {
    const key = randomUUID();
    const bad = { name: 'Bad', sentiment: 'ecstatic' } as never;
    const first = await createContact(A.keys.agent, key, bad);
    expect(first.response.status).toBe(422);
    const again = await createContact(A.keys.agent, key, bad);
    expect(again.response.status).toBe(422);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.response.headers.get('content-type')).toBe('application/problem+json');
    expect(again.error).toEqual(first.error);
  });
});

describe('If-Match under concurrency', () => {
  it('lets exactly one of two updates with the same ETag win; the other gets 412 (5 rounds)', async () => {
    const client = api.client(A.keys.agent);
    for (let round = 0; round < 5; round++) {
      const created = await client.POST('/v1/contacts', { body: { name: `Contested ${round}` } });
      const id = created.data!.id;
      const etag = created.response.headers.get('etag')!;
      const results = await Promise.all(
        ['left', 'right'].map((side) =>
          client.PATCH('/v1/contacts/{id}', {
            params: { path: { id } },
            body: { name: `${side} ${round}` },
            headers: { 'if-match': etag },
          }),
        ),
      );
      expect(results.map((r) => r.response.status).sort()).toEqual([200, 412]);
      const winner = results.find((r) => r.response.status === 200)!;
      const loser = results.find((r) => r.response.status === 412)!;
      expect(loser.error).toMatchObject({ code: 'precondition_failed' });
      const now = await client.GET('/v1/contacts/{id}', { params: { path: { id } } });
      expect(now.data!.name).toBe(winner.data!.name);
      expect(now.response.headers.get('etag')).toBe(winner.response.headers.get('etag'));
    }
  });
});
