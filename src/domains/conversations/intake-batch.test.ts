/**
 * recordInboundMessages (a burst, set-based) against recordInboundMessage one by one: the same
 * sequence of messages, given to two tenants set up alike, leaves the same rows (contacts joined
 * by address, conversations opened once, messages in order, the comms log, the webhook events
 * and the last-seen times) and reports the same duplicates.
 */
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { insertIn, tenantWith, uniq } from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { channels } from '../channels/tables.js';
import { contacts } from '../crm/tables.js';
import { webhookDeliveries, webhookEndpoints } from '../ops/tables.js';
import { type InboundMessageInput, recordInboundMessage } from './intake.js';
import { recordInboundMessages } from './intake-batch.js';
import { commsEvents, conversations, messages } from './tables.js';

const t = useTestDatabase();
const at = (s: number) => new Date(Date.UTC(2026, 2, 2, 10, 0, s));

/** A tenant with a webhook endpoint, an SMS channel and a contact already known by phone. */
async function setUp() {
  const tenantId = await tenantWith(t.db);
  await insertIn(t.db, tenantId, webhookEndpoints, {
    url: 'https://hooks.example.com/in',
    events: ['*'],
    secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdA==',
  });
  const channelId = (
    await insertIn(t.db, tenantId, channels, { kind: 'sms', name: 'SMS', externalAccountId: uniq('sms') })
  ).id;
  await insertIn(t.db, tenantId, contacts, { name: 'Known', phone: '+1 (555) 010-0001' });
  return { tenantId, channelId };
}

/** The burst: a known guest twice, a new one, a repeat within it and one stored before. */
const burst = (channelId: string): InboundMessageInput[] =>
  (
    [
      ['+15550100001', 'one', 'm1'],
      ['+15550100002', 'two', 'm2'],
      ['+15550100001', 'three', 'm3'],
      ['+15550100002', 'two again', 'm2'],
      ['+15550100003', 'earlier', 'm0'],
    ] as const
  ).map(([phone, text, id], i) => ({
    channelId,
    identity: { kind: 'phone', value: phone },
    text,
    externalMessageId: id,
    receivedAt: at(i + 1),
  }));

/** What a tenant holds, with its ids replaced by their order of appearance. */
async function view(tenantId: string) {
  return withTenant(t.db, tenantId, async (tx) => {
    const names = new Map<string, number>();
    const name = (id: string | null) => (id ? (names.get(id) ?? names.set(id, names.size).get(id)) : null);
    const msgs = await tx.select().from(messages).orderBy(asc(messages.createdAt));
    const convs = await tx.select().from(conversations).orderBy(asc(conversations.startedAt));
    const people = await tx.select().from(contacts).orderBy(asc(contacts.createdAt));
    const log = await tx.select().from(commsEvents).orderBy(asc(commsEvents.createdAt));
    const hooks = await tx.select().from(webhookDeliveries);
    const [channel] = await tx.select().from(channels);
    return {
      messages: msgs.map((m) => [
        m.content,
        m.externalMessageId,
        name(m.conversationId),
        name(m.authorContactId),
      ]),
      conversations: convs.map((c) => [name(c.id), name(c.contactId), c.status, c.lastMessageAt]),
      contacts: people.map((c) => [name(c.id), c.name, c.phone, c.lastSeenAt]),
      log: log.map((e) => [e.fromAddr, e.bodyPreview, e.providerMessageId, e.status]),
      hooks: hooks
        .map((h) => {
          const p = h.payload as { type: string; timestamp: string; data: { id: string } };
          return `${p.type} ${p.timestamp} ${name(p.data.id)}`;
        })
        .sort(),
      lastInboundAt: channel?.lastInboundAt,
    };
  });
}

/** Each result's (duplicate, conversation created) pair. */
const flags = (r: Array<{ duplicate: boolean; conversationCreated: boolean }>) =>
  r.map((x) => [x.duplicate, x.conversationCreated]);

describe('recordInboundMessages', () => {
  it('leaves what recordInboundMessage one by one leaves, duplicates included', async () => {
    const single = await setUp();
    const batch = await setUp();
    for (const s of [single, batch])
      await withTenant(t.db, s.tenantId, (tx) =>
        recordInboundMessage(tx, s.tenantId, burst(s.channelId)[4]!),
      );

    const one: Array<{ duplicate: boolean; conversationCreated: boolean }> = [];
    for (const input of burst(single.channelId))
      one.push(
        await withTenant(t.db, single.tenantId, (tx) => recordInboundMessage(tx, single.tenantId, input)),
      );
    const all = await withTenant(t.db, batch.tenantId, (tx) =>
      recordInboundMessages(tx, batch.tenantId, burst(batch.channelId)),
    );

    expect(flags(all)).toEqual(flags(one));
    expect(flags(all)).toEqual([
      [false, true],
      [false, true],
      [false, false],
      [true, false],
      [true, false],
    ]);
    // A repeat points at the message the batch stored; the earlier one at the earlier message.
    expect(all[3]!.messageId).toBe(all[1]!.messageId);
    const [earlier] = await withTenant(t.db, batch.tenantId, (tx) =>
      tx.select().from(messages).where(eq(messages.externalMessageId, 'm0')),
    );
    expect(all[4]!.messageId).toBe(earlier!.id);
    expect(await view(batch.tenantId)).toEqual(await view(single.tenantId));
    expect((await view(batch.tenantId)).messages).toHaveLength(4);
  });

  it('a later burst finds its known senders and open conversations as one by one does: threads apart, a closed conversation not reopened', async () => {
    const single = await setUp();
    const batch = await setUp();
    const later = (channelId: string): InboundMessageInput[] =>
      (
        [
          ['+15550100001', 'back again', 'n1', undefined],
          ['+15550100002', 'after closing', 'n2', undefined],
          ['+15550100001', 'in a thread', 'n3', 't1'],
          ['+15550100001', 'same thread', 'n4', 't1'],
          ['+15550100001', 'other thread', 'n5', 't2'],
          ['+15550100001', 'no thread again', 'n6', ''],
        ] as const
      ).map(([phone, text, id, thread], i) => ({
        channelId,
        identity: { kind: 'phone', value: phone },
        text,
        externalMessageId: id,
        ...(thread === undefined ? {} : { externalThreadId: thread }),
        receivedAt: at(20 + i),
      }));
    for (const s of [single, batch]) {
      for (const input of burst(s.channelId))
        await withTenant(t.db, s.tenantId, (tx) => recordInboundMessage(tx, s.tenantId, input));
      // The second guest's conversation is closed: their next message opens a new one.
      await withTenant(t.db, s.tenantId, async (tx) => {
        const [m] = await tx.select().from(messages).where(eq(messages.externalMessageId, 'm2'));
        await tx
          .update(conversations)
          .set({ status: 'closed' })
          .where(eq(conversations.id, m!.conversationId));
      });
    }
    const one: Array<{ duplicate: boolean; conversationCreated: boolean }> = [];
    for (const input of later(single.channelId))
      one.push(
        await withTenant(t.db, single.tenantId, (tx) => recordInboundMessage(tx, single.tenantId, input)),
      );
    const all = await withTenant(t.db, batch.tenantId, (tx) =>
      recordInboundMessages(tx, batch.tenantId, later(batch.channelId)),
    );
    expect(flags(all)).toEqual(flags(one));
    expect(flags(all)).toEqual([
      [false, false], // the open conversation, found
      [false, true], // the closed one is not reopened
      [false, true], // thread t1: none yet
      [false, false],
      [false, true], // thread t2
      [false, false], // no thread: the most recent open conversation
    ]);
    expect(await view(batch.tenantId)).toEqual(await view(single.tenantId));
    // No new contact: both senders were known by their identity.
    expect((await view(batch.tenantId)).contacts).toHaveLength(3);
  });

  it('fails whole on a sender it cannot use, writing nothing', async () => {
    const s = await setUp();
    const inputs = burst(s.channelId).slice(0, 2);
    inputs.push({ ...inputs[0]!, externalMessageId: 'bad', identity: { kind: 'phone', value: '  ' } });
    await expect(
      withTenant(t.db, s.tenantId, (tx) => recordInboundMessages(tx, s.tenantId, inputs)),
    ).rejects.toBeInstanceOf(AppError);
    expect((await view(s.tenantId)).messages).toEqual([]);
  });
});
