/**
 * The set-based schedule tick on a real database: an idle tick looks at no tenant, every change
 * to what decides a schedule makes the next tick look again (the schedule_wakeups triggers),
 * several ticks at once over a batch send each message once, and tenants stay apart.
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
import { channels } from '../channels/tables.js';
import { messageTemplates } from '../content/tables.js';
import { messages } from '../conversations/tables.js';
import { contacts } from '../crm/tables.js';
import { runScheduleTick } from './schedule.js';
import { scheduledMessages } from './schedule-tables.js';
import { tenantsToLook } from './schedule-wakeups.js';
import { properties, propertySettings, reservations } from './tables.js';

const t = useTestDatabase();
const clock = new ManualClock('2026-01-01T00:00:00Z');
let platform: AppPlatform;

beforeAll(() => {
  const base = { db: t.db, logger: createLogger('silent'), clock, config: loadConfig({}) };
  platform = { ...base, jobs: createJobs(base) };
});

afterAll(() => platform.jobs.stop());

/** A hospitality tenant in UTC with an SMS channel, its agent and T-3/T-1/day-of templates. */
async function hotel(name: string) {
  const tenantId = await tenantWith(t.db, { timezone: 'UTC', vertical: 'hospitality' });
  const agent = await insertIn(t.db, tenantId, agents, { name: 'Concierge', status: 'active' });
  await insertIn(t.db, tenantId, channels, {
    kind: 'sms',
    name: 'SMS',
    externalAccountId: `+1555${Math.floor(Math.random() * 1e6)}`,
    agentId: agent.id,
  });
  for (const trigger of ['T_MINUS_3', 'T_MINUS_1', 'DAY_OF'] as const) {
    await insertIn(t.db, tenantId, messageTemplates, {
      channel: 'sms',
      trigger,
      body: `${trigger} at {{property_name}} for {{guest_first_name}}`,
    });
  }
  const contactId = (await insertIn(t.db, tenantId, contacts, { name: 'Guest', phone: '+15557654321' })).id;
  const propertyId = (await insertIn(t.db, tenantId, properties, { name })).id;
  const book = async (checkIn: string, guestName = 'Ada Guest') =>
    (
      await insertIn(t.db, tenantId, reservations, {
        propertyId,
        contactId,
        guestName,
        guestPhone: '+15557654321',
        checkIn,
        checkOut: '2026-12-31',
      })
    ).id;
  return { tenantId, agentId: agent.id, propertyId, book };
}

const looked = async (tenantId: string) =>
  (await tenantsToLook(t.db, clock.now())).some((x) => x.id === tenantId);

const sentIn = (tenantId: string) =>
  withTenant(t.db, tenantId, (tx) =>
    tx
      .select({
        content: messages.content,
        reservationId: sql<string>`${messages.metadata}->>'reservationId'`,
      })
      .from(messages)
      .orderBy(messages.content),
  );

describe('the set-based schedule tick', () => {
  it('looks at no tenant while nothing is due, and again after any change to what decides a schedule', async () => {
    const h = await hotel('Dune House');
    await h.book('2026-04-10'); // T-3 due 2026-04-07 10:00 UTC
    clock.set('2026-04-06T09:00:00Z');
    expect(await looked(h.tenantId)).toBe(true); // never looked at yet
    expect(await runScheduleTick(platform)).toMatchObject({ sent: 0 });
    expect(await looked(h.tenantId)).toBe(false); // idle until the next rule or UTC midnight
    clock.set('2026-04-06T23:59:00Z');
    expect(await looked(h.tenantId)).toBe(false);

    // A booking for tomorrow: its T-1 is due now (its T-3 passed before any tick could send it).
    const late = await h.book('2026-04-07');
    expect(await looked(h.tenantId)).toBe(true);
    expect(await runScheduleTick(platform)).toMatchObject({ sent: 1, skipped: 1 });
    expect((await sentIn(h.tenantId)).map((m) => m.reservationId)).toEqual([late]);
    expect(await looked(h.tenantId)).toBe(false);

    // The property's T-3 time moves earlier: the next tick sends at the new time.
    clock.set('2026-04-07T08:00:00Z');
    expect(await looked(h.tenantId)).toBe(true); // UTC midnight passed: new check-in dates
    expect(await runScheduleTick(platform)).toMatchObject({ sent: 0 });
    expect(await looked(h.tenantId)).toBe(false);
    await insertIn(t.db, h.tenantId, propertySettings, { propertyId: h.propertyId, scheduleT3Time: '08:00' });
    expect(await looked(h.tenantId)).toBe(true);
    expect(await runScheduleTick(platform)).toMatchObject({ sent: 1 });
    expect(await looked(h.tenantId)).toBe(false);

    // Quiet hours, a template, a channel, the tenant's time zone: each marks the tenant.
    const changes = [
      () =>
        withTenant(t.db, h.tenantId, (tx) =>
          tx
            .update(agents)
            .set({ quietHoursStart: '22:00', quietHoursEnd: '08:00' })
            .where(eq(agents.id, h.agentId)),
        ),
      () =>
        withTenant(t.db, h.tenantId, (tx) =>
          tx
            .update(messageTemplates)
            .set({ body: 'Changed {{property_name}}' })
            .where(eq(messageTemplates.trigger, 'DAY_OF')),
        ),
      () => withTenant(t.db, h.tenantId, (tx) => tx.update(channels).set({ status: 'active' })),
      () =>
        withPlatform(t.db, (tx) =>
          tx.update(tenants).set({ timezone: 'Europe/Berlin' }).where(eq(tenants.id, h.tenantId)),
        ),
    ];
    for (const change of changes) {
      await change();
      expect(await looked(h.tenantId)).toBe(true);
      await runScheduleTick(platform);
      expect(await looked(h.tenantId)).toBe(false);
    }
  });

  it('sends each message of a batch once when three ticks run at the same moment', async () => {
    const h = await hotel('Pine Lodge');
    const booked: string[] = [];
    for (let i = 0; i < 24; i++) booked.push(await h.book(i % 2 ? '2026-05-13' : '2026-05-11', `Guest ${i}`));
    clock.set('2026-05-10T10:00:00Z'); // T-3 of the 13th and T-1 of the 11th are due
    const results = await Promise.all([1, 2, 3].map(() => runScheduleTick(platform)));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(24);
    const sent = await sentIn(h.tenantId);
    expect(sent).toHaveLength(24);
    expect(new Set(sent.map((m) => m.reservationId))).toEqual(new Set(booked));
    const claims = await withTenant(t.db, h.tenantId, (tx) =>
      tx.select({ status: scheduledMessages.status, rule: scheduledMessages.rule }).from(scheduledMessages),
    );
    expect(claims.filter((c) => c.status === 'sent')).toHaveLength(24);
    // The 11th's T-3 was missed before any tick ran: skipped, once.
    expect(claims.filter((c) => c.status === 'skipped')).toHaveLength(12);
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(0);
    expect(await looked(h.tenantId)).toBe(false);
  });

  it('sends each tenant its own messages, into its own conversations', async () => {
    const a = await hotel('Alder Inn');
    const b = await hotel('Birch Barn');
    const ra = await a.book('2026-06-13');
    const rb = await b.book('2026-06-13');
    clock.set('2026-06-10T10:00:00Z');
    await runScheduleTick(platform);
    expect(await sentIn(a.tenantId)).toEqual([
      { content: 'T_MINUS_3 at Alder Inn for Ada', reservationId: ra },
    ]);
    expect(await sentIn(b.tenantId)).toEqual([
      { content: 'T_MINUS_3 at Birch Barn for Ada', reservationId: rb },
    ]);
  });
});
