/**
 * Outbound webhooks end to end: events recorded by the workflow, delivered by the real job queue
 * over HTTP to a receiver on loopback, which checks them with a Standard Webhooks verifier
 * written here from the specification (not from our signing code).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTenant, type TestTenant, useTestApi } from '../../../test/helpers/api.js';
import { createApp } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { withTenant } from '../../platform/db/tenant.js';
import { JOBS_SCHEMA } from '../../platform/jobs.js';
import { createLogger } from '../../platform/logger.js';
import { listen, type RunningServer } from '../../server.js';
import { emitEvent, emitEvents } from './events.js';
import { webhookDeliveries, webhookEndpoints } from './tables.js';
import {
  DELIVER_JOB,
  deliverWebhook,
  dispatchDueWebhooks,
  MAX_ATTEMPTS,
  ROTATION_GRACE_MS,
  recoverWebhookDeliveries,
  signWebhook,
} from './webhook-delivery.js';

// ---- The receiver's side: Standard Webhooks verification, from the spec -------------------------

class VerificationError extends Error {}

/**
 * Spec: sign `{webhook-id}.{webhook-timestamp}.{body}` with HMAC-SHA256 keyed by the base64 bytes
 * after `whsec_`; `webhook-signature` is a space-delimited list of `v1,<base64>`; compare in
 * constant time; refuse timestamps outside a tolerance.
 */
function verifyStandardWebhook(
  secret: string,
  headers: http.IncomingHttpHeaders,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): unknown {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
    throw new VerificationError('missing headers');
  }
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    throw new VerificationError('timestamp outside tolerance');
  }
  if (!secret.startsWith('whsec_')) throw new VerificationError('not a whsec_ secret');
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) continue;
    const given = Buffer.from(signature, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return JSON.parse(body);
  }
  throw new VerificationError('no matching signature');
}

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; headers?: Record<string, string> };

/** A webhook consumer on loopback: records every request and answers from a script per path (default 200). */
function startReceiver() {
  const received: Received[] = [];
  const scripts = new Map<string, Answer[]>();
  let fallback: Answer = { status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      const answer = scripts.get(req.url ?? '')?.shift() ?? fallback;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end('ok');
    });
  });
  return {
    received,
    answer(path: string, ...answers: Answer[]) {
      scripts.set(path, answers);
    },
    always(answer: Answer) {
      fallback = answer;
    },
    reset() {
      received.length = 0;
      scripts.clear();
      fallback = { status: 200 };
    },
    server,
    url: '',
  };
}

// ---- Setup ---------------------------------------------------------------------------------------

const clock = new ManualClock('2026-01-05T10:00:00Z');
const api = useTestApi({ clock, config: loadConfig({ FRONTDESK_ALLOW_PRIVATE_URLS: 'true' }) });
const receiver = startReceiver();
let tenant: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  tenant = await makeTenant(api.db);
  other = await makeTenant(api.db);
});
afterAll(async () => {
  await new Promise((resolve) => receiver.server.close(resolve));
});
beforeEach(() => receiver.reset());

/** Requests the receiver got on one path (each test uses its own endpoint path). */
const hits = (path: string) => receiver.received.filter((r) => r.path === path);
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

async function createEndpoint(
  path: string,
  events: string[] = [],
  who: TestTenant = tenant,
): Promise<{ id: string; secret: string }> {
  const res = await api.fetch('/v1/webhook-endpoints', {
    method: 'POST',
    token: who.keys.admin,
    body: JSON.stringify({ url: `${receiver.url}${path}`, events }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

/**
 * Runs queued delivery jobs until none is left. pg-boss fetches a job only once its start time is
 * strictly past, so one sent in the same instant may need a second pass.
 */
async function drainDeliveries(): Promise<void> {
  const { jobs } = api.app.platform;
  for (let pass = 0; pass < 50; pass++) {
    await jobs.drain({ names: [DELIVER_JOB] });
    if ((await dueJobs()) === 0) return;
    await sleep(2);
  }
  throw new Error('delivery jobs did not drain');
}

/**
 * Delivery jobs waiting and due by the database's clock (retries and lease follow-ups wait in
 * real time; the ManualClock moves the rows' schedule, which `dispatchDueWebhooks` follows).
 */
async function dueJobs(): Promise<number> {
  const [row] = await api.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job
      WHERE name = $1 AND state IN ('created', 'retry') AND start_after <= now()`,
    [DELIVER_JOB],
  );
  return row!.n;
}

/** What a server's workers do, with the ManualClock's time: enqueue due deliveries and run them. */
async function deliverDue(): Promise<void> {
  await dispatchDueWebhooks(api.app.platform);
  await drainDeliveries();
}

const emit = (type: string, data: object, who: TestTenant = tenant) =>
  withTenant(api.db, who.id, (tx) => emitEvent(tx, who.id, type, data, { at: clock.now() }));

async function deliveriesOf(endpointId: string, who: TestTenant = tenant) {
  return withTenant(api.db, who.id, (tx) =>
    tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)),
  );
}
async function endpointRow(id: string) {
  const [row] = await withTenant(api.db, tenant.id, (tx) =>
    tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)),
  );
  return row!;
}

// ---- Tests ---------------------------------------------------------------------------------------

describe('signing', () => {
  it('matches the Standard Webhooks test vector', () => {
    expect(
      signWebhook(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('delivers a signed event the reference verifier accepts, and only to subscribed endpoints', async () => {
    const subscribed = await createEndpoint('/sub', ['escalation.opened']);
    const everything = await createEndpoint('/all');
    const elsewhere = await createEndpoint('/other', ['approval.requested']);
    await emit('escalation.opened', { id: 'esc_1', severity: 'high' });
    await deliverDue();

    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/all', '/sub']);
    const got = receiver.received.find((r) => r.path === '/sub')!;
    const payload = verifyStandardWebhook(subscribed.secret, got.headers, got.body, nowSeconds());
    expect(payload).toMatchObject({
      type: 'escalation.opened',
      data: { id: 'esc_1', severity: 'high' },
    });
    expect((payload as { timestamp: string }).timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(got.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9_-]+$/);
    expect(got.headers['webhook-timestamp']).toBe(String(nowSeconds()));
    expect(got.headers['content-type']).toBe('application/json');
    // Another endpoint's secret does not verify it, nor does a tampered body.
    expect(() => verifyStandardWebhook(everything.secret, got.headers, got.body, nowSeconds())).toThrow(
      VerificationError,
    );
    expect(() =>
      verifyStandardWebhook(subscribed.secret, got.headers, got.body.replace('high', 'low'), nowSeconds()),
    ).toThrow(VerificationError);

    const [delivery] = await deliveriesOf(subscribed.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempt: 1, responseStatus: 200 });
    expect(delivery!.deliveredAt).toEqual(clock.now());
    expect(await deliveriesOf(elsewhere.id)).toHaveLength(0);
    // Delivered once: dispatching again sends nothing.
    await deliverDue();
    expect(hits('/sub')).toHaveLength(1);
  });

  it('records nothing when the emitting transaction rolls back', async () => {
    const ep = await createEndpoint('/rollback');
    await expect(
      withTenant(api.db, tenant.id, async (tx) => {
        await emitEvent(tx, tenant.id, 'conversation.opened', { id: 'c1' }, { at: clock.now() });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await deliveriesOf(ep.id)).toHaveLength(0);
  });
});

describe('a batch of events', () => {
  it('records each event for the endpoints subscribed to its type, one webhook-id per event', async () => {
    const ready = await createEndpoint('/batch-ready', ['knowledge_source.ready']);
    const failed = await createEndpoint('/batch-failed', ['knowledge_source.failed']);
    const all = await createEndpoint('/batch-all', ['*']);
    const none = await createEndpoint('/batch-none', ['approval.requested']);
    await withTenant(api.db, tenant.id, (tx) =>
      emitEvents(
        tx,
        tenant.id,
        [
          { type: 'knowledge_source.ready', data: { id: 's1' } },
          { type: 'knowledge_source.failed', data: { id: 's2', error: 'bad' } },
          { type: 'knowledge_source.ready', data: { id: 's3' } },
        ],
        { at: clock.now() },
      ),
    );
    const of = async (id: string) =>
      (await deliveriesOf(id)).map((d) => ({
        type: d.eventType,
        id: (d.payload as { data: { id: string } }).data.id,
        eventId: d.eventId,
      }));
    const toReady = await of(ready.id);
    const toAll = await of(all.id);
    expect(toReady.map((d) => d.id).sort()).toEqual(['s1', 's3']);
    expect((await of(failed.id)).map((d) => [d.type, d.id])).toEqual([['knowledge_source.failed', 's2']]);
    expect(toAll.map((d) => d.id).sort()).toEqual(['s1', 's2', 's3']);
    expect(await of(none.id)).toEqual([]);
    // One id per event, the same at every endpoint that receives it.
    expect(new Set(toAll.map((d) => d.eventId)).size).toBe(3);
    for (const d of toReady) expect(toAll.find((a) => a.id === d.id)!.eventId).toBe(d.eventId);
    await expect(
      withTenant(api.db, tenant.id, (tx) =>
        emitEvents(tx, tenant.id, [{ type: 'made.up', data: {} }], { at: clock.now() }),
      ),
    ).rejects.toThrow(/unknown event type made.up/);
  });
});

describe('retries and status handling', () => {
  it('retries on the schedule by the platform clock, with the same webhook-id and a new timestamp', async () => {
    const ep = await createEndpoint('/flaky', ['conversation.closed']);
    receiver.answer('/flaky', { status: 500 }, { status: 200 });
    await emit('conversation.closed', { id: 'c2' });
    await deliverDue();
    let [d] = await deliveriesOf(ep.id);
    expect(d).toMatchObject({ status: 'failed', attempt: 1, responseStatus: 500 });
    const wait = d!.nextAttemptAt!.getTime() - clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(5_000);
    expect(wait).toBeLessThanOrEqual(5_500);
    expect((await endpointRow(ep.id)).failureCount).toBe(1);

    // Not due yet: nothing is sent.
    clock.advance(4_000);
    await deliverDue();
    expect(hits('/flaky')).toHaveLength(1);

    clock.advance(2_000);
    await deliverDue();
    expect(hits('/flaky')).toHaveLength(2);
    [d] = await deliveriesOf(ep.id);
    expect(d).toMatchObject({ status: 'succeeded', attempt: 2 });
    const [first, second] = hits('/flaky');
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(Number(second!.headers['webhook-timestamp'])).toBeGreaterThan(
      Number(first!.headers['webhook-timestamp']),
    );
    expect(() => verifyStandardWebhook(ep.secret, second!.headers, second!.body, nowSeconds())).not.toThrow();
    expect((await endpointRow(ep.id)).failureCount).toBe(0);
  });

  it('treats a 3xx as a failure and does not follow it', async () => {
    const ep = await createEndpoint('/moved', ['conversation.opened']);
    receiver.answer('/moved', { status: 302, headers: { location: `${receiver.url}/elsewhere` } });
    await emit('conversation.opened', { id: 'c3' });
    await deliverDue();
    expect(hits('/moved')).toHaveLength(1);
    expect(hits('/elsewhere')).toHaveLength(0);
    const [d] = await deliveriesOf(ep.id);
    expect(d).toMatchObject({ status: 'failed', responseStatus: 302 });
  });

  it('honours Retry-After on a 429', async () => {
    const ep = await createEndpoint('/busy', ['conversation.assigned']);
    receiver.answer('/busy', { status: 429, headers: { 'retry-after': '120' } });
    await emit('conversation.assigned', { id: 'c4' });
    await deliverDue();
    const [d] = await deliveriesOf(ep.id);
    expect(d).toMatchObject({ status: 'failed', responseStatus: 429 });
    expect(d!.nextAttemptAt!.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(120_000);
    clock.advance(60_000); // past the 5 s step of the schedule, not past Retry-After
    await deliverDue();
    expect(hits('/busy')).toHaveLength(1);
    clock.advance(61_000);
    await deliverDue();
    expect(hits('/busy')).toHaveLength(2);
    expect((await deliveriesOf(ep.id))[0]!.status).toBe('succeeded');
  });

  it('disables the endpoint on 410 Gone and stops recording events for it', async () => {
    const ep = await createEndpoint('/gone', ['approval.requested']);
    receiver.answer('/gone', { status: 410 });
    await emit('approval.requested', { id: 'a1' });
    await deliverDue();
    const [d] = await deliveriesOf(ep.id);
    expect(d).toMatchObject({ status: 'abandoned', attempt: 1, responseStatus: 410 });
    expect(await endpointRow(ep.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'the endpoint answered 410 Gone',
    });
    await emit('approval.requested', { id: 'a2' });
    expect(await deliveriesOf(ep.id)).toHaveLength(1);
  });

  it('gives up after the whole schedule and disables the endpoint', async () => {
    const ep = await createEndpoint('/down', ['knowledge_source.failed']);
    receiver.always({ status: 503 });
    await emit('knowledge_source.failed', { id: 'ks1' });
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await deliverDue();
      clock.advance(27 * 3_600_000);
    }
    expect(hits('/down')).toHaveLength(MAX_ATTEMPTS);
    const [d] = await deliveriesOf(ep.id);
    expect(d).toMatchObject({ status: 'abandoned', attempt: MAX_ATTEMPTS, responseStatus: 503 });
    const row = await endpointRow(ep.id);
    expect(row.status).toBe('disabled');
    expect(row.disabledReason).toContain(`every one of ${MAX_ATTEMPTS} attempts failed`);
    expect(row.failureCount).toBe(MAX_ATTEMPTS);
  });
});

describe('jobs in the transaction', () => {
  it('queues a delivery job with its event, none when the event rolls back, and recovers rows without one', async () => {
    const ep = await createEndpoint('/tx', ['conversation.opened']);
    // Jobs of this endpoint's deliveries, and jobs whose delivery row does not exist.
    const jobsOf = async () =>
      (
        await api.db.query<{ mine: number; orphans: number }>(
          `SELECT count(*) FILTER (WHERE d.endpoint_id = $2)::int AS mine,
                  count(*) FILTER (WHERE d.id IS NULL)::int AS orphans
             FROM ${JOBS_SCHEMA}.job j
             LEFT JOIN webhook_deliveries d ON d.id::text = j.data->>'deliveryId'
            WHERE j.name = $1`,
          [DELIVER_JOB, ep.id],
        )
      )[0]!;
    await expect(
      withTenant(api.db, tenant.id, async (tx) => {
        await emitEvent(tx, tenant.id, 'conversation.opened', { id: 'rolled-back' }, { at: clock.now() });
        throw new Error('the change fails after the event');
      }),
    ).rejects.toThrow('the change fails');
    expect(await jobsOf()).toEqual({ mine: 0, orphans: 0 });
    expect(await deliveriesOf(ep.id)).toEqual([]);

    await emit('conversation.opened', { id: 'committed' });
    expect(await jobsOf()).toEqual({ mine: 1, orphans: 0 });
    await drainDeliveries(); // no dispatcher: the job queued with the event delivers it
    expect(hits('/tx')).toHaveLength(1);

    // A row recorded without its job (before the queue existed) is queued once by the recovery.
    await emit('conversation.opened', { id: 'jobless' });
    const jobless = (await deliveriesOf(ep.id)).find((d) => d.status === 'pending')!;
    await api.db.query(`DELETE FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND data->>'deliveryId' = $2`, [
      DELIVER_JOB,
      jobless.id,
    ]);
    expect(await recoverWebhookDeliveries(api.app.platform)).toBe(1);
    expect(await recoverWebhookDeliveries(api.app.platform)).toBe(0);
    await drainDeliveries();
    expect(hits('/tx')).toHaveLength(2);
  });

  it("delivers again after a dead worker's lease", async () => {
    const ep = await createEndpoint('/lease', ['conversation.opened']);
    await emit('conversation.opened', { id: 'lease' });
    await drainDeliveries();
    expect(hits('/lease')).toHaveLength(1);

    // A worker that claimed an attempt and died: the row stays in_flight until its lease ends.
    await emit('conversation.opened', { id: 'lease-2' });
    const pending = (await deliveriesOf(ep.id)).find((d) => d.status === 'pending')!;
    await withTenant(api.db, tenant.id, (tx) =>
      tx
        .update(webhookDeliveries)
        .set({ status: 'in_flight', attempt: 1, nextAttemptAt: new Date(clock.now().getTime() + 120_000) })
        .where(eq(webhookDeliveries.id, pending.id)),
    );
    await deliverDue();
    expect(hits('/lease')).toHaveLength(1);
    clock.advance(121_000);
    await deliverDue();
    expect(hits('/lease')).toHaveLength(2);
    const after = (await deliveriesOf(ep.id)).find((d) => d.id === pending.id)!;
    expect(after).toMatchObject({ status: 'succeeded', attempt: 2 });
  });
});

describe('replay and rotation', () => {
  it('replays an abandoned delivery with the same webhook-id once the endpoint is enabled', async () => {
    const ep = await createEndpoint('/replay', ['escalation.updated']);
    receiver.answer('/replay', { status: 410 });
    await emit('escalation.updated', { id: 'e9' });
    await deliverDue();
    const [d] = await deliveriesOf(ep.id);
    const replay = () =>
      api.fetch(`/v1/webhook-deliveries/${d!.id}/replay`, { method: 'POST', token: tenant.keys.admin });
    expect((await replay()).status).toBe(409);
    expect(
      (await api.fetch(`/v1/webhook-endpoints/${ep.id}/enable`, { method: 'POST', token: tenant.keys.admin }))
        .status,
    ).toBe(200);
    // Another tenant cannot see or replay it; an agent may not.
    expect(
      (await api.fetch(`/v1/webhook-deliveries/${d!.id}/replay`, { method: 'POST', token: other.keys.admin }))
        .status,
    ).toBe(404);
    expect(
      (
        await api.fetch(`/v1/webhook-deliveries/${d!.id}/replay`, {
          method: 'POST',
          token: tenant.keys.agent,
        })
      ).status,
    ).toBe(403);
    expect((await replay()).status).toBe(202);
    await drainDeliveries();
    const [sent, resent] = hits('/replay');
    expect(resent!.headers['webhook-id']).toBe(sent!.headers['webhook-id']);
    expect((await deliveriesOf(ep.id))[0]).toMatchObject({ status: 'succeeded', attempt: 1 });
  });

  it('replays every failed delivery since a time', async () => {
    const ep = await createEndpoint('/outage', ['message.created']);
    receiver.always({ status: 500 });
    await emit('message.created', { id: 'm1' });
    await emit('message.created', { id: 'm2' });
    await deliverDue();
    receiver.always({ status: 200 });
    const res = await api.fetch(`/v1/webhook-endpoints/${ep.id}/replay-failed`, {
      method: 'POST',
      token: tenant.keys.admin,
      body: JSON.stringify({ since: '2020-01-01T00:00:00Z' }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ replayed: 2 });
    await drainDeliveries();
    expect((await deliveriesOf(ep.id)).map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('signs with both secrets during the grace period after a rotation, then with the new one', async () => {
    const ep = await createEndpoint('/rotate', ['conversation.opened']);
    const rotated = await api.fetch(`/v1/webhook-endpoints/${ep.id}/rotate-secret`, {
      method: 'POST',
      token: tenant.keys.admin,
    });
    expect(rotated.status).toBe(200);
    const { secret: newSecret } = (await rotated.json()) as { secret: string };
    expect(newSecret).not.toBe(ep.secret);

    await emit('conversation.opened', { id: 'r1' });
    await deliverDue();
    const during = hits('/rotate').at(-1)!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => verifyStandardWebhook(newSecret, during.headers, during.body, nowSeconds())).not.toThrow();
    expect(() => verifyStandardWebhook(ep.secret, during.headers, during.body, nowSeconds())).not.toThrow();

    clock.advance(ROTATION_GRACE_MS + 1_000);
    await emit('conversation.opened', { id: 'r2' });
    await deliverDue();
    const after = hits('/rotate').at(-1)!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => verifyStandardWebhook(newSecret, after.headers, after.body, nowSeconds())).not.toThrow();
    expect(() => verifyStandardWebhook(ep.secret, after.headers, after.body, nowSeconds())).toThrow(
      VerificationError,
    );
  });
});

describe('SSRF protection', () => {
  const strictConfig = loadConfig({});
  let strict: RunningServer;
  let strictApp: ReturnType<typeof createApp>;
  beforeAll(async () => {
    strictApp = createApp({ db: api.db, logger: createLogger('silent'), clock, config: strictConfig });
    strict = await listen(strictApp, '127.0.0.1', 0);
  });
  afterAll(async () => {
    await strict.close();
    await strictApp.platform.jobs.stop();
  });

  it('refuses private, loopback and link-local endpoint URLs when they are set', async () => {
    const post = (url: string) =>
      fetch(`${strict.url}/v1/webhook-endpoints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.keys.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
    for (const url of [
      `${receiver.url}/x`,
      'http://localhost:8080/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:9000/hook',
    ]) {
      const res = await post(url);
      expect(res.status, url).toBe(422);
      expect(JSON.stringify(await res.json())).toContain('public addresses');
    }
    const ok = await post('https://hooks.acme.example/frontdesk');
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: string };
    const patched = await fetch(`${strict.url}/v1/webhook-endpoints/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${tenant.keys.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://192.168.1.10/hook' }),
    });
    expect(patched.status).toBe(422);
  });

  it('refuses to connect to a private address at delivery time', async () => {
    // Stored directly (as if the name had resolved to a public address when it was created).
    const [ep] = await withTenant(api.db, tenant.id, (tx) =>
      tx
        .insert(webhookEndpoints)
        .values({
          tenantId: tenant.id,
          url: `${receiver.url}/internal`,
          secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0',
          events: ['conversation.opened'],
        })
        .returning(),
    );
    await emit('conversation.opened', { id: 'ssrf' });
    const [d] = await deliveriesOf(ep!.id);
    await deliverWebhook({ ...strictApp.platform }, tenant.id, d!.id);
    expect(hits('/internal')).toHaveLength(0);
    const [after] = await deliveriesOf(ep!.id);
    expect(after).toMatchObject({ status: 'failed', attempt: 1, responseStatus: null });
    expect(after!.error).toMatch(/^blocked_address/);
  });
});

describe('workflow events', () => {
  it('records conversation, escalation and approval events as the workflow changes', async () => {
    const ep = await createEndpoint('/workflow', ['*']);
    const call = async (method: string, path: string, body?: object) => {
      const res = await api.fetch(`/v1${path}`, {
        method,
        token: tenant.keys.admin,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      return (await res.json()) as { id: string };
    };
    const conv = await call('POST', '/conversations', { subject: 'Where is my parcel?' });
    await call('POST', `/conversations/${conv.id}/assign`, { userId: null }); // no change: no event
    await call('POST', `/conversations/${conv.id}/set-status`, { status: 'closed' });
    await call('POST', `/conversations/${conv.id}/set-status`, { status: 'active' });
    await call('POST', '/messages', { conversationId: conv.id, role: 'agent', content: 'On its way' });
    const esc = await call('POST', '/escalations', {
      type: 'complaint',
      severity: 'high',
      summary: 'Parcel lost',
      conversationId: conv.id,
    });
    await call('POST', `/escalations/${esc.id}/acknowledge`);
    await call('POST', '/approvals', { action: 'send_reply', conversationId: conv.id });

    const rows = await deliveriesOf(ep.id);
    const types = rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((r) => r.eventType);
    expect(types).toEqual([
      'conversation.opened',
      'conversation.closed',
      'conversation.opened',
      'message.created',
      'escalation.opened',
      'escalation.updated',
      'approval.requested',
    ]);
    const escalationUpdated = rows.find((r) => r.eventType === 'escalation.updated')!;
    expect(escalationUpdated.payload).toMatchObject({
      type: 'escalation.updated',
      data: { id: esc.id, status: 'acknowledged', change: 'acknowledge' },
    });
    // Nothing for the other tenant's endpoints.
    const theirs = await createEndpoint('/theirs', ['*'], other);
    expect(await deliveriesOf(theirs.id, other)).toHaveLength(0);
  });
});
