/**
 * recordInboundMessage through the request role: identities resolve to one contact (seed 000's
 * Slack user per workspace, one contact of one client account), a known phone or email joins the
 * same contact on a new channel, open conversations are reused, provider message ids dedupe.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { insertIn, tenantWith, uniq } from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { channels } from '../channels/tables.js';
import { accounts, contactIdentities, contacts } from '../crm/tables.js';
import { webhookDeliveries, webhookEndpoints } from '../ops/tables.js';
import { type InboundMessageInput, normalizePhone, recordInboundMessage } from './intake.js';
import { commsEvents, conversations, messages } from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
const at = new Date('2026-03-02T10:00:00Z');

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
});

const channel = async (tenantId: string, kind: 'slack' | 'sms' | 'whatsapp' | 'email' | 'telegram') =>
  (
    await insertIn(t.db, tenantId, channels, {
      kind,
      name: `${kind} ${uniq()}`,
      externalAccountId: uniq(kind),
    })
  ).id;

const record = (
  tenantId: string,
  input: Partial<InboundMessageInput> & Pick<InboundMessageInput, 'channelId' | 'identity'>,
) =>
  withTenant(t.db, tenantId, (tx) =>
    recordInboundMessage(tx, tenantId, { text: 'hello', receivedAt: at, ...input }),
  );

describe('recordInboundMessage', () => {
  it('a Slack user of a workspace resolves to its client contact (seed 000) and opens one conversation on the account', async () => {
    const slack = await channel(A, 'slack');
    const account = await insertIn(t.db, A, accounts, { name: 'Acme' });
    const contact = await insertIn(t.db, A, contacts, { name: 'Dana', accountId: account.id });
    await insertIn(t.db, A, contactIdentities, {
      contactId: contact.id,
      channelId: slack,
      externalUserId: 'U0DANA',
    });

    const first = await record(A, {
      channelId: slack,
      identity: { kind: 'slack', value: 'U0DANA' },
      externalMessageId: 'm1',
    });
    expect(first).toMatchObject({ contactId: contact.id, conversationCreated: true, duplicate: false });
    const second = await record(A, {
      channelId: slack,
      identity: { kind: 'slack', value: 'U0DANA' },
      externalMessageId: 'm2',
    });
    expect(second).toMatchObject({
      contactId: contact.id,
      conversationId: first.conversationId,
      conversationCreated: false,
    });

    const [conv] = await withTenant(t.db, A, (tx) =>
      tx.select().from(conversations).where(eq(conversations.id, first.conversationId)),
    );
    expect(conv).toMatchObject({ accountId: account.id, channelId: slack, status: 'active' });
    const stored = await withTenant(t.db, A, (tx) =>
      tx.select().from(messages).where(eq(messages.conversationId, first.conversationId)),
    );
    expect(stored.map((m) => [m.role, m.authorContactId, m.externalMessageId])).toEqual([
      ['user', contact.id, 'm1'],
      ['user', contact.id, 'm2'],
    ]);
    const log = await withTenant(t.db, A, (tx) =>
      tx.select().from(commsEvents).where(eq(commsEvents.messageId, first.messageId)),
    );
    expect(log).toMatchObject([{ direction: 'inbound', status: 'received', fromAddr: 'U0DANA' }]);
  });

  it('an unknown sender becomes a new contact with the identity recorded', async () => {
    const tg = await channel(A, 'telegram');
    const r = await record(A, {
      channelId: tg,
      identity: { kind: 'telegram', value: '4242', displayName: 'Lee' },
    });
    const ids = await withTenant(t.db, A, (tx) =>
      tx.select().from(contactIdentities).where(eq(contactIdentities.contactId, r.contactId)),
    );
    expect(ids).toMatchObject([{ channelId: tg, externalUserId: '4242', externalUserName: 'Lee' }]);
    const again = await record(A, { channelId: tg, identity: { kind: 'telegram', value: '4242' } });
    expect(again.contactId).toBe(r.contactId);
  });

  it('a known phone number on a new channel joins the same contact (SMS then WhatsApp)', async () => {
    const sms = await channel(A, 'sms');
    const wa = await channel(A, 'whatsapp');
    const bySms = await record(A, {
      channelId: sms,
      identity: { kind: 'phone', value: '+1 (555) 010-7777' },
    });
    const byWa = await record(A, { channelId: wa, identity: { kind: 'phone', value: '15550107777' } });
    expect(byWa.contactId).toBe(bySms.contactId);
    expect(byWa.conversationId).not.toBe(bySms.conversationId); // a conversation lives on one channel
  });

  it('a contact known by email (no identity yet) is joined by an inbound email, case-insensitively', async () => {
    const email = await channel(A, 'email');
    const known = await insertIn(t.db, A, contacts, { name: 'Ria', email: 'Ria@Example.com' });
    const r = await record(A, { channelId: email, identity: { kind: 'email', value: 'ria@example.COM' } });
    expect(r.contactId).toBe(known.id);
  });

  it('the same provider message id is stored once, also when delivered concurrently', async () => {
    const sms = await channel(A, 'sms');
    const input = {
      channelId: sms,
      identity: { kind: 'phone' as const, value: '+15550108888' },
      externalMessageId: 'SMdup',
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => record(A, input)));
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const stored = await withTenant(t.db, A, (tx) =>
      tx.select().from(messages).where(eq(messages.externalMessageId, 'SMdup')),
    );
    expect(stored).toHaveLength(1);
    const people = await withTenant(t.db, A, (tx) =>
      tx.select().from(contactIdentities).where(eq(contactIdentities.externalUserId, '+15550108888')),
    );
    expect(people).toHaveLength(1);
  });

  it('a closed conversation is not reused; a new thread id opens a new conversation', async () => {
    const slack = await channel(A, 'slack');
    const first = await record(A, {
      channelId: slack,
      identity: { kind: 'slack', value: 'U1' },
      externalThreadId: '100.1',
    });
    const sameThread = await record(A, {
      channelId: slack,
      identity: { kind: 'slack', value: 'U1' },
      externalThreadId: '100.1',
    });
    expect(sameThread.conversationId).toBe(first.conversationId);
    const otherThread = await record(A, {
      channelId: slack,
      identity: { kind: 'slack', value: 'U1' },
      externalThreadId: '200.1',
    });
    expect(otherThread.conversationCreated).toBe(true);
    await withTenant(t.db, A, (tx) =>
      tx
        .update(conversations)
        .set({ status: 'closed', closedAt: at })
        .where(eq(conversations.id, first.conversationId)),
    );
    const after = await record(A, {
      channelId: slack,
      identity: { kind: 'slack', value: 'U1' },
      externalThreadId: '100.1',
    });
    expect(after.conversationCreated).toBe(true);
  });

  it("another tenant's channel is not found and nothing is stored; an empty sender is refused", async () => {
    const foreign = await channel(B, 'sms');
    await expect(
      record(A, { channelId: foreign, identity: { kind: 'phone', value: '+1555' } }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    const sms = await channel(A, 'sms');
    const err = await record(A, { channelId: sms, identity: { kind: 'phone', value: 'abc' } }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    const stored = await withTenant(t.db, A, (tx) =>
      tx.select().from(messages).where(eq(messages.channelId, sms)),
    );
    expect(stored).toHaveLength(0);
  });

  it('emits conversation.opened and message.created to subscribed webhook endpoints, in the same transaction', async () => {
    const C = await tenantWith(t.db);
    await insertIn(t.db, C, webhookEndpoints, {
      url: 'https://hooks.example.com/in',
      events: ['*'],
      secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdA==',
    });
    const sms = await channel(C, 'sms');
    const first = await record(C, { channelId: sms, identity: { kind: 'phone', value: '+15550101010' } });
    await record(C, { channelId: sms, identity: { kind: 'phone', value: '+15550101010' } });
    const events = await withTenant(t.db, C, (tx) =>
      tx.select().from(webhookDeliveries).orderBy(webhookDeliveries.createdAt),
    );
    expect(events.map((e) => e.eventType).sort()).toEqual([
      'conversation.opened',
      'message.created',
      'message.created',
    ]);
    expect(events.find((e) => e.eventType === 'conversation.opened')!.payload).toMatchObject({
      data: { id: first.conversationId },
    });
  });

  it('normalizePhone agrees across formats', () => {
    expect(normalizePhone('whatsapp:+1 555-010-2000')).toBe('+15550102000');
    expect(normalizePhone('15550102000')).toBe('+15550102000');
  });
});
