import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useResourceApi } from '../../../test/helpers/resource-api.js';
import { withTenant } from '../../platform/db/tenant.js';
import { usageEvents, webhookDeliveries, webhookEndpoints } from './tables.js';

const api = useResourceApi({ problemBodyStatus: true });
const { call, expectProblem, newTenant } = api;
let tenantId = '';

beforeAll(async () => {
  tenantId = await newTenant('', ['viewer', 'agent', 'admin'], { timezone: 'America/New_York' });
  await newTenant('other-', ['admin']);
});
const endpoint = { url: 'https://hooks.acme.example/frontdesk', events: ['conversation.opened'] };

describe('webhook endpoints', () => {
  it('shows the signing secret once, at creation, and never in get or list', async () => {
    const made = await call('admin', 'POST', '/webhook-endpoints', endpoint);
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(made.headers.get('location')).toBe(`/v1/webhook-endpoints/${made.body.id}`);
    const got = await call('admin', 'GET', `/webhook-endpoints/${made.body.id}`);
    expect(got.body).toMatchObject({ url: endpoint.url, events: endpoint.events, status: 'active' });
    expect(got.body).not.toHaveProperty('secret');
    expect(got.body).not.toHaveProperty('previousSecret');
    expect(got.headers.get('etag')).toBe(made.headers.get('etag'));
    const list = await call('admin', 'GET', '/webhook-endpoints?status=active');
    expect(list.body.data.map((e: { id: string }) => e.id)).toContain(made.body.id);
    expect(JSON.stringify(list.body)).not.toContain(made.body.secret);
    const [stored] = await withTenant(api.db, tenantId, (tx) =>
      tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, made.body.id)),
    );
    expect(stored!.secret).toBe(made.body.secret);
    const audit = await call('admin', 'GET', `/audit-log?resourceId=${made.body.id}`);
    expect(audit.body.data).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain(made.body.secret);
  });

  it('validates the URL, patches with If-Match, deletes; admin only', async () => {
    expectProblem(await call('admin', 'POST', '/webhook-endpoints', { url: 'ftp://files.example/x' }), 422);
    expectProblem(await call('admin', 'POST', '/webhook-endpoints', { url: 'not a url' }), 422);
    expectProblem(await call('agent', 'POST', '/webhook-endpoints', endpoint), 403);
    const made = await call('admin', 'POST', '/webhook-endpoints', endpoint);
    expectProblem(await call('agent', 'GET', `/webhook-endpoints/${made.body.id}`), 403);
    expectProblem(
      await call('admin', 'PATCH', `/webhook-endpoints/${made.body.id}`, { url: 'javascript:alert(1)' }),
      422,
    );
    const etag = made.headers.get('etag')!;
    const patched = await call(
      'admin',
      'PATCH',
      `/webhook-endpoints/${made.body.id}`,
      { status: 'disabled', disabledReason: 'receiver down', secret: 'whsec_mine' },
      { 'if-match': etag },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'disabled', disabledReason: 'receiver down' });
    expect(patched.body).not.toHaveProperty('secret');
    expectProblem(
      await call('admin', 'DELETE', `/webhook-endpoints/${made.body.id}`, undefined, { 'if-match': etag }),
      412,
    );
    expect((await call('admin', 'DELETE', `/webhook-endpoints/${made.body.id}`)).status).toBe(204);
  });

  it('rotate-secret keeps the old secret as the previous one and shows the new one once', async () => {
    const made = await call('admin', 'POST', '/webhook-endpoints', endpoint);
    expectProblem(
      await call('admin', 'POST', `/webhook-endpoints/${made.body.id}/rotate-secret`, undefined, {
        'if-match': '"stale"',
      }),
      412,
    );
    expectProblem(await call('other-admin', 'POST', `/webhook-endpoints/${made.body.id}/rotate-secret`), 404);
    expectProblem(await call('agent', 'POST', `/webhook-endpoints/${made.body.id}/rotate-secret`), 403);
    const rotated = await call(
      'admin',
      'POST',
      `/webhook-endpoints/${made.body.id}/rotate-secret`,
      undefined,
      {
        'if-match': made.headers.get('etag')!,
      },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(made.body.secret);
    expect(rotated.body.secretRotatedAt).toBeTruthy();
    const got = await call('admin', 'GET', `/webhook-endpoints/${made.body.id}`);
    expect(got.body).not.toHaveProperty('secret');
    expect(got.headers.get('etag')).toBe(rotated.headers.get('etag'));
    const [stored] = await withTenant(api.db, tenantId, (tx) =>
      tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, made.body.id)),
    );
    expect(stored).toMatchObject({ secret: rotated.body.secret, previousSecret: made.body.secret });
  });

  it('an Idempotency-Key retry of the creation replays the same endpoint', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const first = await call('admin', 'POST', '/webhook-endpoints', endpoint, headers);
    const again = await call('admin', 'POST', '/webhook-endpoints', endpoint, headers);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });
});

describe('read-only records', () => {
  it('webhook deliveries: list by endpoint and status; no writes', async () => {
    const made = await call('admin', 'POST', '/webhook-endpoints', endpoint);
    await withTenant(api.db, tenantId, (tx) =>
      tx.insert(webhookDeliveries).values([
        {
          tenantId,
          endpointId: made.body.id,
          eventType: 'conversation.created',
          eventId: 'evt_1',
          payload: {},
        },
        {
          tenantId,
          endpointId: made.body.id,
          eventType: 'conversation.created',
          eventId: 'evt_2',
          payload: {},
          status: 'abandoned',
        },
      ]),
    );
    const list = await call(
      'admin',
      'GET',
      `/webhook-deliveries?endpointId=${made.body.id}&status=abandoned`,
    );
    expect(list.body.data.map((d: { eventId: string }) => d.eventId)).toEqual(['evt_2']);
    const id = list.body.data[0].id;
    expect((await call('admin', 'GET', `/webhook-deliveries/${id}`)).status).toBe(200);
    expectProblem(await call('admin', 'POST', '/webhook-deliveries', { endpointId: made.body.id }), 405);
    expectProblem(await call('admin', 'PATCH', `/webhook-deliveries/${id}`, { status: 'pending' }), 405);
    expectProblem(await call('admin', 'DELETE', `/webhook-deliveries/${id}`), 405);
  });

  it('audit log: admin only, filterable, append-only over HTTP', async () => {
    const made = await call('admin', 'POST', '/webhook-endpoints', endpoint);
    const list = await call(
      'admin',
      'GET',
      `/audit-log?resourceType=webhook-endpoints&action=webhook-endpoints.create&resourceId=${made.body.id}`,
    );
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ actorType: 'api_key', resourceId: made.body.id });
    const id = list.body.data[0].id;
    expectProblem(await call('agent', 'GET', '/audit-log'), 403);
    expectProblem(await call('viewer', 'GET', `/audit-log/${id}`), 403);
    expectProblem(await call('admin', 'POST', '/audit-log', { action: 'x' }), 405);
    expectProblem(await call('admin', 'PATCH', `/audit-log/${id}`, { action: 'x' }), 405);
    expectProblem(await call('admin', 'DELETE', `/audit-log/${id}`), 405);
  });
});

describe('usage', () => {
  beforeAll(async () => {
    const at = (iso: string) => new Date(iso);
    const ev = (iso: string, model: string | null, tin: number, tout: number, cost: number) => ({
      tenantId,
      eventType: model ? 'llm.completion' : 'message.outbound',
      model,
      tokensInput: tin,
      tokensOutput: tout,
      tokensTotal: tin + tout,
      costMicros: cost,
      createdAt: at(iso),
    });
    await withTenant(api.db, tenantId, (tx) =>
      tx.insert(usageEvents).values([
        ev('2026-03-01T15:00:00Z', 'gpt-4o', 100, 50, 1_000),
        ev('2026-03-01T16:00:00Z', 'gpt-4o', 10, 5, 100),
        ev('2026-03-01T17:00:00Z', 'claude-haiku', 200, 20, 300),
        // 03:00 UTC on the 2nd is still the 1st in New York, the tenant's time zone.
        ev('2026-03-02T03:00:00Z', 'gpt-4o', 1, 1, 10),
        ev('2026-03-02T15:00:00Z', 'gpt-4o', 300, 100, 5_000),
        ev('2026-03-02T16:00:00Z', null, 0, 0, 7),
        ev('2026-02-20T12:00:00Z', 'gpt-4o', 999, 999, 99_999),
      ]),
    );
  });

  it('usage events: read-only list with filters', async () => {
    const list = await call('viewer', 'GET', '/usage-events?eventType=llm.completion&model=claude-haiku');
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ tokensTotal: 220, costMicros: 300 });
    expectProblem(await call('admin', 'POST', '/usage-events', { eventType: 'llm.completion' }), 405);
    expectProblem(await call('admin', 'DELETE', `/usage-events/${list.body.data[0].id}`), 405);
  });

  it('summary: tokens and cost per model and day of the tenant, within the range', async () => {
    const r = await call('viewer', 'GET', '/usage/summary?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z');
    expect(r.status).toBe(200);
    expect(r.body.timezone).toBe('America/New_York');
    const rows = r.body.data.map((d: Record<string, unknown>) => [
      d.day,
      d.model,
      d.events,
      d.tokensTotal,
      d.costMicros,
    ]);
    expect(rows).toEqual([
      ['2026-03-01', 'claude-haiku', 1, 220, 300],
      ['2026-03-01', 'gpt-4o', 3, 167, 1_110],
      ['2026-03-02', 'gpt-4o', 1, 400, 5_000],
      ['2026-03-02', null, 1, 0, 7],
    ]);
    expect(r.body.totals).toEqual({
      events: 6,
      tokensInput: 611,
      tokensOutput: 176,
      tokensTotal: 787,
      costMicros: 6_417,
    });
    expect(
      (await call('other-admin', 'GET', '/usage/summary?from=2026-03-01&to=2026-03-03')).body.totals.events,
    ).toBe(0);
    expectProblem(await call('viewer', 'GET', '/usage/summary?from=2026-03-03&to=2026-03-01'), 422);
    expectProblem(await call('viewer', 'GET', '/usage/summary?from=2020-01-01&to=2026-03-01'), 422);
    expectProblem(await call('viewer', 'GET', '/usage/summary?from=yesterday'), 422);
  });
});
