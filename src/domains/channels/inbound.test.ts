/**
 * The exactly-once machinery without HTTP: the sweeper re-enqueues an event whose job was lost
 * (and only then), reprocessing an event changes nothing, the responder is handed each new
 * message once, a burst goes through the batch workers exactly once; plus the retry schedule and
 * the forward-only status rule.
 */
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { insertIn, tenantWith } from '../../../test/helpers/rules.js';
import { ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { defineJob, Jobs } from '../../platform/jobs.js';
import { createLogger } from '../../platform/logger.js';
import { commsEvents, messages } from '../conversations/threads.js';
import { inboundEvents } from '../ops/tables.js';
import { retryDelayMs } from './deliver.js';
import { advances } from './delivery-status.js';
import {
  acceptInbound,
  INBOUND_JOB,
  processInboundEvent,
  type StoredInbound,
  SWEEP_GRACE_MS,
  sweepInboundEvents,
} from './inbound.js';
import { channelJobs } from './jobs.js';
import { twilioInbound, twilioSignature } from './providers/twilio.js';
import { channels } from './tables.js';

const t = useTestDatabase();
const clock = new ManualClock('2026-03-02T10:00:00Z');
const handedToResponder: unknown[] = [];
let jobs: Jobs;
let platform: Parameters<typeof sweepInboundEvents>[0];
let tenant: string;
let channelId: string;

beforeAll(async () => {
  const base = { db: t.db, logger: createLogger('silent'), clock, config: loadConfig({}) };
  // The channels' jobs, and in place of the responder (issue 8) a real job on the real queue that
  // records what it got.
  jobs = new Jobs(base).define(
    ...(channelJobs as Parameters<Jobs['define']>),
    defineJob<{ tenantId: string; messageId: string }>({
      name: 'responder.reply',
      handle: async (data) => {
        handedToResponder.push(data);
      },
    }),
  );
  await jobs.start();
  platform = { ...base, jobs };
  tenant = await tenantWith(t.db);
  channelId = (
    await insertIn(t.db, tenant, channels, { kind: 'sms', name: 'SMS', externalAccountId: '+15550100002' })
  ).id;
});
afterAll(() => jobs.stop());

/** An event accepted at `receivedAt` whose enqueue never happened (the process died in between). */
async function acceptedButNotEnqueued(eventId: string, receivedAt: Date): Promise<string> {
  const payload: StoredInbound = {
    channelId,
    event: {
      type: 'message.received',
      eventId,
      identity: { kind: 'phone', value: '+15550177777' },
      text: `hello ${eventId}`,
      externalMessageId: eventId,
    },
  };
  const [row] = await withPlatform(t.db, (tx) =>
    tx
      .insert(inboundEvents)
      .values({
        provider: 'twilio',
        eventId,
        eventType: 'message.received',
        routedTenantId: tenant,
        payload: payload as never,
        receivedAt,
      })
      .returning({ id: inboundEvents.id }),
  );
  return row!.id;
}

const messageCount = async () =>
  (
    await withTenant(t.db, tenant, (tx) =>
      tx.select({ n: count() }).from(messages).where(eq(messages.channelId, channelId)),
    )
  )[0]!.n;
const statusOf = async (id: string) =>
  (await withPlatform(t.db, (tx) => tx.select().from(inboundEvents).where(eq(inboundEvents.id, id))))[0]!
    .status;

describe('exactly once', () => {
  it('the sweeper re-enqueues a received event whose job was lost, after the grace period, once', async () => {
    const id = await acceptedButNotEnqueued('SMlost', clock.now());
    expect(await sweepInboundEvents(platform)).toBe(0); // still within the grace period
    clock.advance(SWEEP_GRACE_MS + 1000);
    expect(await sweepInboundEvents(platform)).toBe(1);
    expect(await sweepInboundEvents(platform)).toBe(0); // its job is waiting: not enqueued twice
    expect(await jobs.drain({ names: [INBOUND_JOB] })).toBe(1);
    expect(await statusOf(id)).toBe('processed');
    expect(await messageCount()).toBe(1);
    expect(await sweepInboundEvents(platform)).toBe(0);
  });

  it('processing an event again changes nothing, and the responder gets each new message once', async () => {
    const id = await acceptedButNotEnqueued('SMtwice', clock.now());
    await processInboundEvent(platform, id);
    await processInboundEvent(platform, id); // already processed: returns at once
    // Forced back to received (as if the mark was lost): the message dedupes, the event is ignored.
    await withPlatform(t.db, (tx) =>
      tx.update(inboundEvents).set({ status: 'received' }).where(eq(inboundEvents.id, id)),
    );
    await processInboundEvent(platform, id);
    expect(await statusOf(id)).toBe('ignored');
    const stored = await withTenant(t.db, tenant, (tx) =>
      tx.select().from(messages).where(eq(messages.externalMessageId, 'SMtwice')),
    );
    expect(stored).toHaveLength(1);
    await jobs.drain({ names: ['responder.reply'] });
    expect(handedToResponder.filter((d) => (d as { messageId: string }).messageId === stored[0]!.id)).toEqual(
      [{ tenantId: tenant, messageId: stored[0]!.id }],
    );
  });

  it('an event for a channel deleted since it was accepted fails for good instead of retrying', async () => {
    const other = (
      await insertIn(t.db, tenant, channels, { kind: 'sms', name: 'gone', externalAccountId: '+15550100003' })
    ).id;
    const id = await acceptedButNotEnqueued('SMgone', clock.now());
    await withPlatform(t.db, (tx) =>
      tx
        .update(inboundEvents)
        .set({
          payload: {
            channelId: other,
            event: {
              type: 'message.received',
              eventId: 'SMgone',
              identity: { kind: 'phone', value: '+1555' },
              text: 'x',
              externalMessageId: 'SMgone',
            },
          },
        })
        .where(eq(inboundEvents.id, id)),
    );
    await withTenant(t.db, tenant, (tx) => tx.delete(channels).where(eq(channels.id, other)));
    await processInboundEvent(platform, id);
    expect(await statusOf(id)).toBe('failed');
  });
});

describe('acknowledged only with its job', () => {
  const url = 'https://frontdesk.example/v1/inbound/twilio';
  const signed = (sid: string) => {
    const form = new URLSearchParams({
      MessageSid: sid,
      From: '+15550133333',
      To: '+15550100009',
      Body: 'hi',
    });
    return {
      method: 'POST',
      url,
      headers: new Headers({ 'x-twilio-signature': twilioSignature('tok', url, form) }),
      rawBody: form.toString(),
      params: {},
      now: clock.now(),
    };
  };
  const eventsOf = async (eventId: string) =>
    withPlatform(t.db, (tx) => tx.select().from(inboundEvents).where(eq(inboundEvents.eventId, eventId)));
  const jobsOf = async (eventIds: string[]) =>
    (
      await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'inboundEventId' = ANY($2::text[])`,
        [INBOUND_JOB, eventIds],
      )
    )[0]!.n;

  const allJobs = async () =>
    (
      await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [
        INBOUND_JOB,
      ])
    )[0]!.n;

  it('stores the event and its job in one transaction: a failed enqueue stores neither, the retry both', async () => {
    await insertIn(t.db, tenant, channels, {
      kind: 'sms',
      name: 'SMS signed',
      externalAccountId: '+15550100009',
      secrets: { authToken: 'tok' },
    });
    const app = { ...platform, config: loadConfig({}) } as Parameters<typeof acceptInbound>[0];
    // The queue refuses the job (as when the connection drops between the two statements).
    await t.db.exec('REVOKE INSERT ON pgboss.job FROM frontdesk_platform');
    try {
      await expect(acceptInbound(app, twilioInbound, signed('SMatomic'))).rejects.toThrow();
    } finally {
      await t.db.exec('GRANT INSERT ON pgboss.job TO frontdesk_platform');
    }
    expect(await eventsOf('SMatomic')).toEqual([]);

    await acceptInbound(app, twilioInbound, signed('SMatomic')); // the provider's retry
    const [event] = await eventsOf('SMatomic');
    expect(await jobsOf([event!.id])).toBe(1);
    const queued = await allJobs();
    await acceptInbound(app, twilioInbound, signed('SMatomic')); // a redelivery: nothing new
    expect(await eventsOf('SMatomic')).toHaveLength(1);
    expect(await jobsOf([event!.id])).toBe(1);
    expect(await allJobs()).toBe(queued); // not even a job for the redelivery's own (unstored) event
  });
});

describe('status callbacks', () => {
  it('one for a message not recorded yet is retried while young, then ignored', async () => {
    const [row] = await withPlatform(t.db, (tx) =>
      tx
        .insert(inboundEvents)
        .values({
          provider: 'twilio',
          eventId: 'SMearly:delivered',
          eventType: 'message.status',
          routedTenantId: tenant,
          receivedAt: clock.now(),
          payload: {
            channelId,
            event: {
              type: 'message.status',
              eventId: 'SMearly:delivered',
              providerMessageId: 'SMearly',
              status: 'delivered',
              providerStatus: 'delivered',
            },
          },
        })
        .returning({ id: inboundEvents.id }),
    );
    await expect(processInboundEvent(platform, row!.id)).rejects.toThrow(/not recorded yet/);
    expect(await statusOf(row!.id)).toBe('received');
    clock.advance(SWEEP_GRACE_MS);
    await processInboundEvent(platform, row!.id);
    expect(await statusOf(row!.id)).toBe('ignored');
  });
});

describe('retry schedule', () => {
  it('doubles a jittered ceiling per attempt, caps it at 15 minutes, and never undercuts Retry-After', () => {
    expect([retryDelayMs(1, undefined, 0), retryDelayMs(1, undefined, 1)]).toEqual([2_500, 5_000]);
    expect([retryDelayMs(3, undefined, 0), retryDelayMs(3, undefined, 1)]).toEqual([10_000, 20_000]);
    expect(retryDelayMs(30, undefined, 1)).toBe(15 * 60_000);
    expect(retryDelayMs(1, 120_000, 0.5)).toBe(120_000);
  });

  it('delivery statuses only move forward; failed never undoes delivered or read', () => {
    expect(advances('queued', 'sent')).toBe(true);
    expect(advances('sent', 'delivered')).toBe(true);
    expect(advances('delivered', 'read')).toBe(true);
    expect(advances('sent', 'failed')).toBe(true);
    expect(advances('delivered', 'sent')).toBe(false);
    expect(advances('delivered', 'failed')).toBe(false);
    expect(advances('read', 'delivered')).toBe(false);
  });
});

describe('a burst', () => {
  it('stores 400 events exactly once each through the batch workers, redelivered jobs included', async () => {
    const n = 400;
    const rows = Array.from({ length: n }, (_, i) => {
      const eventId = `SMburst${i}`;
      const payload: StoredInbound = {
        channelId,
        event: {
          type: 'message.received',
          eventId,
          // 40 guests, 10 messages each: conversations are shared within a batch.
          identity: { kind: 'phone', value: `+1555019${String(i % 40).padStart(4, '0')}` },
          text: `burst ${i}`,
          externalMessageId: eventId,
        },
      };
      return {
        provider: 'twilio',
        eventId,
        eventType: 'message.received',
        routedTenantId: tenant,
        payload: payload as never,
        receivedAt: clock.now(),
      };
    });
    // Ten more events carrying a message already in the burst under another event id (a provider
    // that reports one message twice): whichever comes second is settled as ignored.
    const repeats = Array.from({ length: 10 }, (_, k) => {
      const first = rows[k * 40]!;
      const payload = first.payload as unknown as StoredInbound;
      return { ...first, eventId: `SMburstrepeat${k}`, payload: { ...payload } as never };
    });
    // Accepted and queued in one transaction each way the webhook route does, and every tenth
    // event queued twice (a redelivered job).
    await withPlatform(t.db, async (tx) => {
      const ids = await tx
        .insert(inboundEvents)
        .values([...rows, ...repeats])
        .returning({ id: inboundEvents.id });
      for (const [i, { id }] of ids.entries()) {
        await jobs.sendIn(tx, INBOUND_JOB, { inboundEventId: id });
        if (i % 10 === 0) await jobs.sendIn(tx, INBOUND_JOB, { inboundEventId: id });
      }
    });
    await jobs.start({ work: true });
    const stored = async () =>
      (
        await withPlatform(t.db, (tx) =>
          tx
            .select({ status: inboundEvents.status, n: count() })
            .from(inboundEvents)
            .where(sql`${inboundEvents.eventId} LIKE 'SMburst%'`)
            .groupBy(inboundEvents.status),
        )
      ).map((r) => [r.status, r.n] as const);
    await vi.waitFor(
      async () =>
        expect(new Map(await stored())).toEqual(
          new Map([
            ['processed', n],
            ['ignored', repeats.length],
          ]),
        ),
      { timeout: 180_000, interval: 500 },
    );
    const burst = await withTenant(t.db, tenant, (tx) =>
      tx
        .select({
          id: messages.id,
          externalId: messages.externalMessageId,
          conversationId: messages.conversationId,
        })
        .from(messages)
        .where(sql`${messages.content} LIKE 'burst %'`),
    );
    expect(burst).toHaveLength(n);
    expect(new Set(burst.map((m) => m.externalId)).size).toBe(n);
    // One conversation per guest, and one comms log row per message.
    expect(new Set(burst.map((m) => m.conversationId)).size).toBe(40);
    const [logged] = await withTenant(t.db, tenant, (tx) =>
      tx
        .select({ n: count() })
        .from(commsEvents)
        .where(sql`${commsEvents.providerMessageId} LIKE 'SMburst%'`),
    );
    expect(logged!.n).toBe(n);
    // Each new message handed to the responder once (earlier tests' hand-offs may run too).
    const ids = new Set(burst.map((m) => m.id));
    const handed = () =>
      (handedToResponder as Array<{ messageId: string }>).filter((h) => ids.has(h.messageId));
    await vi.waitFor(() => expect(handed()).toHaveLength(n), { timeout: 60_000, interval: 200 });
    expect(new Set(handed().map((h) => h.messageId)).size).toBe(n);
  }, 240_000);
});
