/**
 * Scheduled reservation messages on a real database: due at the property's local times, held
 * past quiet hours, sent exactly once per reservation and rule — across repeated ticks
 * ("restarts"), two ticks running at once, a worker that died mid-send, and failures.
 */

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { insertIn, tenantWith } from '../../../test/helpers/rules.js';
import { createJobs } from '../../jobs.js';
import { ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import type { AppPlatform } from '../../platform/jobs.js';
import { createLogger } from '../../platform/logger.js';
import { tenants } from '../../schema/tenants.js';
import { agents } from '../ai/tables.js';
import { sendMessage } from '../channels/outbound.js';
import { channels } from '../channels/tables.js';
import { messageTemplates } from '../content/tables.js';
import { conversations, messages } from '../conversations/tables.js';
import { contacts } from '../crm/tables.js';
import { runScheduleTick } from './schedule.js';
import { defaultOutbound, type Outbound } from './schedule-outbound.js';
import { scheduledMessages } from './schedule-tables.js';
import { properties, propertySettings, reservations } from './tables.js';

const t = useTestDatabase();
const clock = new ManualClock('2026-01-01T00:00:00Z');
let platform: AppPlatform;
let tenantId: string;
let contactId: string;
let nyProperty: string;
let berlinProperty: string;

beforeAll(async () => {
  const base = { db: t.db, logger: createLogger('silent'), clock, config: loadConfig({}) };
  platform = { ...base, jobs: createJobs(base) };
  tenantId = await tenantWith(t.db, { timezone: 'America/New_York', vertical: 'hospitality' });
  const agent = await insertIn(t.db, tenantId, agents, {
    name: 'Concierge',
    assistantName: 'Mark',
    status: 'active',
    quietHoursStart: '22:00',
    quietHoursEnd: '08:00',
  });
  await insertIn(t.db, tenantId, channels, {
    kind: 'sms',
    name: 'SMS',
    externalAccountId: '+15550001',
    agentId: agent.id,
  });
  await insertIn(t.db, tenantId, channels, {
    kind: 'email',
    name: 'Email',
    externalAccountId: 'stay@example.test',
  });
  contactId = (await insertIn(t.db, tenantId, contacts, { name: 'Ada Guest', phone: '+15557654321' })).id;
  const template = (trigger: 'T_MINUS_3' | 'T_MINUS_1' | 'DAY_OF', body: string) =>
    insertIn(t.db, tenantId, messageTemplates, { channel: 'sms', trigger, body });
  await template(
    'T_MINUS_3',
    'Hi {{guest_first_name}}, {{assistant_name}} here: 3 days to {{property_name}}!',
  );
  await template('T_MINUS_1', 'See you tomorrow at {{property_address}}, from {{checkin_time}}.');
  await template('DAY_OF', 'Lockbox code for {{property_name}}: {{lockbox_code}}.');
  nyProperty = (
    await insertIn(t.db, tenantId, properties, {
      name: 'Harbor Loft',
      address: '1 Pier St',
      metadata: { lockbox_code: '4711' },
    })
  ).id; // no time zone: the tenant's (New York)
  berlinProperty = (
    await insertIn(t.db, tenantId, properties, {
      name: 'Spree Flat',
      address: 'Ufer 2',
      timezone: 'Europe/Berlin',
      metadata: { lockbox_code: '0815' },
    })
  ).id;
  await insertIn(t.db, tenantId, propertySettings, {
    propertyId: berlinProperty,
    scheduleDayOfTime: '07:00',
  });
});

afterAll(() => platform.jobs.stop());

async function reservation(values: {
  propertyId: string;
  checkIn: string;
  preferredChannel?: 'sms' | 'email';
}) {
  const [y, m, d] = values.checkIn.split('-').map(Number);
  const checkOut = new Date(Date.UTC(y!, m! - 1, d! + 2)).toISOString().slice(0, 10);
  return (
    await insertIn(t.db, tenantId, reservations, {
      contactId,
      guestName: 'Ada Guest',
      guestPhone: '+15557654321',
      checkOut,
      ...values,
    })
  ).id;
}

const sentTo = (reservationId: string) =>
  withTenant(t.db, tenantId, (tx) =>
    tx
      .select({ content: messages.content, metadata: messages.metadata, status: messages.deliveryStatus })
      .from(messages)
      .where(sql`${messages.metadata}->>'reservationId' = ${reservationId}`)
      .orderBy(messages.createdAt, messages.id),
  );

const claims = (reservationId: string) =>
  withTenant(t.db, tenantId, (tx) =>
    tx
      .select()
      .from(scheduledMessages)
      .where(eq(scheduledMessages.reservationId, reservationId))
      .orderBy(scheduledMessages.rule),
  );

async function tickAt(at: string, outbound?: Outbound) {
  clock.set(at);
  return runScheduleTick(platform, outbound);
}

describe('scheduled reservation messages', () => {
  it('sends T-3, T-1 and day-of at New York local times across spring-forward, each once', async () => {
    const r = await reservation({ propertyId: nyProperty, checkIn: '2026-03-09' });
    await tickAt('2026-03-06T14:59:00Z'); // 09:59 EST
    expect(await sentTo(r)).toHaveLength(0);
    await tickAt('2026-03-06T15:00:00Z'); // 10:00 EST
    await tickAt('2026-03-06T15:01:00Z'); // the next tick (or a restarted worker) sends nothing more
    expect((await sentTo(r)).map((m) => m.content)).toEqual(['Hi Ada, Mark here: 3 days to Harbor Loft!']);

    await tickAt('2026-03-08T13:59:00Z'); // 09:59 EDT on the day clocks change
    expect(await sentTo(r)).toHaveLength(1);
    await tickAt('2026-03-08T14:00:00Z'); // 10:00 EDT
    await tickAt('2026-03-09T18:00:00Z'); // 14:00 EDT on arrival day
    await tickAt('2026-03-09T18:05:00Z');
    const sent = await sentTo(r);
    expect(sent.map((m) => m.content)).toEqual([
      'Hi Ada, Mark here: 3 days to Harbor Loft!',
      'See you tomorrow at 1 Pier St, from 15:00.',
      'Lockbox code for Harbor Loft: 4711.',
    ]);
    expect(sent.every((m) => m.status === 'queued')).toBe(true);
    // Handed to the channel: each delivery runs (outbound 'log' mode: logged, not sent to Twilio).
    expect(await platform.jobs.drain({ names: ['channels.deliver'] })).toBe(3);
    expect((await sentTo(r)).map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
    const rows = await claims(r);
    expect(rows.map((c) => [c.rule, c.status, c.channelKind, c.attempts])).toEqual([
      ['DAY_OF', 'sent', 'sms', 1],
      ['T_MINUS_1', 'sent', 'sms', 1],
      ['T_MINUS_3', 'sent', 'sms', 1],
    ]);
    expect(new Set(rows.map((c) => c.conversationId)).size).toBe(1); // one thread with the guest
  });

  it('holds a day-of message set inside quiet hours until they end, on Berlin fall-back day', async () => {
    const r = await reservation({ propertyId: berlinProperty, checkIn: '2026-10-25' });
    await tickAt('2026-10-25T06:30:00Z'); // 07:30 CET: the 07:00 message is in quiet hours
    expect((await sentTo(r)).filter((m) => m.metadata.scheduleRule === 'DAY_OF')).toHaveLength(0);
    await tickAt('2026-10-25T07:00:00Z'); // 08:00 CET
    const dayOf = (await sentTo(r)).filter((m) => m.metadata.scheduleRule === 'DAY_OF');
    expect(dayOf.map((m) => m.content)).toEqual(['Lockbox code for Spree Flat: 0815.']);
    // T-3 and T-1 passed before any tick ran: recorded as skipped, not sent late on arrival day.
    const rows = await claims(r);
    expect(rows.map((c) => [c.rule, c.status])).toEqual([
      ['DAY_OF', 'sent'],
      ['T_MINUS_1', 'skipped'],
      ['T_MINUS_3', 'skipped'],
    ]);
  });

  it('sends once when two ticks run at the same moment', async () => {
    const r = await reservation({ propertyId: nyProperty, checkIn: '2026-05-20' });
    clock.set('2026-05-17T14:00:00Z'); // T-3, 10:00 EDT
    const results = await Promise.all([runScheduleTick(platform), runScheduleTick(platform)]);
    expect(results.reduce((n, x) => n + x.sent, 0)).toBe(1);
    expect(await sentTo(r)).toHaveLength(1);
    expect((await claims(r)).map((c) => c.status)).toEqual(['sent']);
  });

  it('sends nothing while the tenant is suspended, and resumes when it is reactivated', async () => {
    const r = await reservation({ propertyId: nyProperty, checkIn: '2026-07-20' });
    const setStatus = (subscriptionStatus: 'suspended' | 'active') =>
      withPlatform(t.db, (tx) =>
        tx.update(tenants).set({ subscriptionStatus }).where(eq(tenants.id, tenantId)),
      );
    await setStatus('suspended');
    expect(await tickAt('2026-07-17T14:00:00Z')).toMatchObject({ sent: 0 }); // T-3, 10:00 EDT
    expect(await claims(r)).toEqual([]);
    await setStatus('active');
    expect(await tickAt('2026-07-17T14:01:00Z')).toMatchObject({ sent: 1 });
    expect(await sentTo(r)).toHaveLength(1);
  });

  it('retries a failed send on the next tick, and records why it failed meanwhile', async () => {
    const r = await reservation({ propertyId: nyProperty, checkIn: '2026-06-20' });
    const broken: Outbound = {
      sendMessages: async () => {
        throw new Error('provider unavailable');
      },
    };
    expect(await tickAt('2026-06-17T14:00:00Z', broken)).toMatchObject({ failed: 1, sent: 0 });
    expect(await claims(r)).toMatchObject([
      { status: 'failed', detail: 'provider unavailable', attempts: 1 },
    ]);
    expect(await tickAt('2026-06-17T14:01:00Z')).toMatchObject({ sent: 1 });
    expect(await claims(r)).toMatchObject([{ status: 'sent', detail: null, attempts: 2 }]);
    expect(await sentTo(r)).toHaveLength(1);
  });

  it('counts a send that failed after storing its message as sent, and never repeats it', async () => {
    const r = await reservation({ propertyId: nyProperty, checkIn: '2026-07-10' });
    const storesThenFails: Outbound = {
      async sendMessages(p, tenant, inputs) {
        // Stored and committed (without marking its claim), then the send fails.
        await defaultOutbound.sendMessages(p, tenant, inputs);
        throw new Error('delivery could not be enqueued');
      },
    };
    expect(await tickAt('2026-07-07T14:00:00Z', storesThenFails)).toMatchObject({ sent: 1, failed: 0 });
    await tickAt('2026-07-07T14:01:00Z');
    expect(await sentTo(r)).toHaveLength(1);
    expect(await claims(r)).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });

  it('settles claims whose worker died: completed if its message was stored, else sent again', async () => {
    const done = await reservation({ propertyId: nyProperty, checkIn: '2026-07-20' });
    const lost = await reservation({ propertyId: nyProperty, checkIn: '2026-07-21' });
    clock.set('2026-07-18T14:00:00Z');
    // Two workers claimed T-3 at 14:00; one stored its message and died, the other died first.
    const claim = (reservationId: string, dueAt: string) =>
      insertIn(t.db, tenantId, scheduledMessages, {
        reservationId,
        rule: 'T_MINUS_3',
        dueAt: new Date(dueAt),
        claimedAt: clock.now(),
      });
    const doneClaim = await claim(done, '2026-07-17T14:00:00Z');
    await claim(lost, '2026-07-18T14:00:00Z');
    const conversation = await insertIn(t.db, tenantId, conversations, { contactId });
    await sendMessage(platform, tenantId, {
      conversationId: conversation.id,
      body: 'stored before the crash',
      senderType: 'system',
      metadata: { scheduledMessageId: doneClaim.id, reservationId: done },
    });

    await tickAt('2026-07-18T14:05:00Z'); // within the lease: the claims may still be in flight
    expect((await claims(done)).map((c) => c.status)).toEqual(['claimed']);
    expect(await sentTo(lost)).toHaveLength(0);

    await tickAt('2026-07-18T14:11:00Z'); // past the lease
    expect(await claims(done)).toMatchObject([{ status: 'sent', conversationId: conversation.id }]);
    expect((await sentTo(done)).map((m) => m.content)).toEqual(['stored before the crash']);
    expect(await claims(lost)).toMatchObject([{ status: 'sent', attempts: 2 }]);
    expect(await sentTo(lost)).toHaveLength(1);
  });

  it('skips what it cannot send and waits for a missing template value', async () => {
    const email = await reservation({
      propertyId: nyProperty,
      checkIn: '2026-08-20',
      preferredChannel: 'email',
    });
    const noCode = await reservation({ propertyId: berlinProperty, checkIn: '2026-08-21' });
    await withTenant(t.db, tenantId, (tx) =>
      tx.update(properties).set({ metadata: {} }).where(eq(properties.id, berlinProperty)),
    );
    await tickAt('2026-08-17T14:00:00Z');
    expect(await claims(email)).toMatchObject([
      { status: 'skipped', detail: 'no active email template for T_MINUS_3' },
    ]);
    await tickAt('2026-08-21T07:00:00Z'); // 09:00 CEST, day-of for the Berlin stay
    const dayOf = (await claims(noCode)).find((c) => c.rule === 'DAY_OF');
    expect(dayOf).toMatchObject({ status: 'failed', detail: 'no value for {{lockbox_code}}' });
    await withTenant(t.db, tenantId, (tx) =>
      tx
        .update(properties)
        .set({ metadata: { lockbox_code: '2222' } })
        .where(eq(properties.id, berlinProperty)),
    );
    await tickAt('2026-08-21T07:01:00Z');
    expect((await sentTo(noCode)).map((m) => m.content)).toContain('Lockbox code for Spree Flat: 2222.');
  });

  it('ignores cancelled reservations and runs as the schedule.tick job', async () => {
    const cancelled = await reservation({ propertyId: nyProperty, checkIn: '2026-09-20' });
    const kept = await reservation({ propertyId: nyProperty, checkIn: '2026-09-20' });
    await withTenant(t.db, tenantId, (tx) =>
      tx.update(reservations).set({ status: 'cancelled' }).where(eq(reservations.id, cancelled)),
    );
    clock.set('2026-09-17T14:00:00Z');
    await platform.jobs.send('schedule.tick', {});
    expect(await platform.jobs.drain({ names: ['schedule.tick'] })).toBe(1);
    expect(await sentTo(kept)).toHaveLength(1);
    expect(await sentTo(cancelled)).toHaveLength(0);
    expect(await platform.jobs.counts('schedule.tick')).toEqual({ completed: 1 });
  });
});
