/**
 * Where every inbound message enters a conversation, whatever the channel (provider webhooks,
 * the widget, the API): resolve the contact through its channel identity, find the open
 * conversation or open one, store the message. Runs inside the caller's tenant transaction, so
 * the contact, conversation, message and log row appear together or not at all.
 *
 * Identity rules (seed 000: a Slack user in one workspace is one contact of one client account):
 * - the (channel, external user id) identity decides first;
 * - else a contact already known by the same address joins: a phone number (SMS, WhatsApp) or an
 *   email address matches `contacts.phone`/`contacts.email` or an identity on another channel of
 *   the same address family, so a guest who texted and then emails stays one contact;
 * - else a new contact is made. Either way the identity is recorded for next time.
 *
 * In the same transaction: the conversation.opened and message.created webhook events and the
 * widget stream notification (workflow-events.ts), so they exist exactly when the message does.
 *
 * Size (about 350 lines): the identity rules above are one decision (identity, then address, then
 * a new contact) that the conversation and message steps depend on; apart, each would repeat it.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Jobs, PortPayload } from '../../platform/jobs.js';
import { type ChannelKind, channels } from '../channels/tables.js';
import { contactIdentities, contacts } from '../crm/tables.js';
import { replyPort } from './ports.js';
import { commsEvents, conversations, messages } from './threads.js';
import { conversationEvents, messageCreated } from './workflow-events.js';

export type IdentityKind = ChannelKind | 'email' | 'phone';

export interface InboundMessageInput {
  channelId: string;
  /** Who wrote: `phone`/`email` for address-based channels, the channel kind for provider user ids. */
  identity: { kind: IdentityKind; value: string; displayName?: string };
  text: string;
  /** The provider's message id: a redelivered message with the same id is stored once. */
  externalMessageId?: string;
  /** The provider's thread (Slack thread ts, email thread): a new thread opens a new conversation. */
  externalThreadId?: string;
  receivedAt: Date;
  metadata?: object;
}

export interface InboundMessageResult {
  contactId: string;
  conversationId: string;
  messageId: string;
  conversationCreated: boolean;
  /** True when this external message id was already stored (nothing was written). */
  duplicate: boolean;
}

export const OPEN_STATUSES = ['active', 'waiting'] as const;
const PHONE_CHANNELS: ChannelKind[] = ['sms', 'whatsapp'];

/** E.164-ish: digits with a leading +, so "+1 (555) 010-2000", "15550102000" and "whatsapp:+1…" agree. */
export function normalizePhone(value: string): string {
  const digits = value.replace(/^whatsapp:/i, '').replace(/[^\d]/g, '');
  return `+${digits}`;
}

export function normalizeIdentity(kind: IdentityKind, value: string): string {
  const v = value.trim();
  if (kind === 'phone' || kind === 'sms' || kind === 'whatsapp') return normalizePhone(v);
  if (kind === 'email') return v.toLowerCase();
  return v;
}

export async function recordInboundMessage(
  tx: Tx,
  tenantId: string,
  input: InboundMessageInput,
): Promise<InboundMessageResult> {
  const [channel] = await tx.select().from(channels).where(eq(channels.id, input.channelId));
  if (!channel) throw new AppError('not_found', 'channel not found');
  const value = normalizeIdentity(input.identity.kind, input.identity.value);
  if (!value || value === '+') throw new AppError('bad_request', 'the sender identity is empty');

  if (input.externalMessageId) {
    const existing = await findByExternalId(tx, channel.id, input.externalMessageId);
    if (existing) return { ...existing, conversationCreated: false, duplicate: true };
  }

  const contact = await resolveContact(tx, tenantId, channel, input.identity.kind, value, input);
  // Serialises intake per contact, so two messages racing in cannot open two conversations.
  // (tenant_id as well as RLS in this file's queries: on Citus they then run on the tenant's shard.)
  await tx.execute(
    sql`select 1 from ${contacts} where ${contacts.tenantId} = ${tenantId} and ${contacts.id} = ${contact.id} for update`,
  );

  const { conversationId, created } = await findOrOpenConversation(tx, tenantId, channel, contact, input);
  const [message] = await tx
    .insert(messages)
    .values({
      tenantId,
      conversationId,
      channelId: channel.id,
      role: 'user',
      content: input.text,
      authorContactId: contact.id,
      externalMessageId: input.externalMessageId ?? null,
      metadata: (input.metadata ?? {}) as Record<string, unknown>,
      createdAt: input.receivedAt,
    })
    .onConflictDoNothing()
    .returning({ id: messages.id });
  if (!message) {
    // A concurrent delivery of the same provider message committed first.
    const existing = await findByExternalId(tx, channel.id, input.externalMessageId!);
    if (!existing) throw new Error('message insert conflicted but no message was found');
    return { ...existing, conversationCreated: false, duplicate: true };
  }

  await tx
    .update(conversations)
    .set({ lastMessageAt: input.receivedAt })
    .where(eq(conversations.id, conversationId));
  if (created) {
    await conversationEvents(tx, {
      op: 'create',
      tenantId,
      at: input.receivedAt,
      before: null,
      after: {
        id: conversationId,
        status: 'active',
        contactId: contact.id,
        channelId: channel.id,
        assignedUserId: null,
      },
    });
  }
  await messageCreated(
    tx,
    tenantId,
    {
      id: message.id,
      conversationId,
      role: 'user',
      channelId: channel.id,
      isInternal: false,
    },
    input.receivedAt,
  );
  await tx.update(contacts).set({ lastSeenAt: input.receivedAt }).where(eq(contacts.id, contact.id));
  await tx.update(channels).set({ lastInboundAt: input.receivedAt }).where(eq(channels.id, channel.id));
  await tx.insert(commsEvents).values({
    tenantId,
    channelId: channel.id,
    channelKind: channel.kind,
    messageId: message.id,
    direction: 'inbound',
    fromAddr: value,
    toAddr: channel.externalAccountId ?? channel.name,
    bodyPreview: input.text.slice(0, 1000),
    status: 'received',
    providerMessageId: input.externalMessageId ?? null,
    createdAt: input.receivedAt,
  });
  return {
    contactId: contact.id,
    conversationId,
    messageId: message.id,
    conversationCreated: created,
    duplicate: false,
  };
}

/**
 * Hands a newly stored message to the responder (issue 8), if this build has one, in the
 * transaction that stored it: the job exists exactly when the message does (a worker sees
 * neither before the commit), so a failure between the two can never lose the hand-off.
 */
export async function notifyResponder(
  jobs: Jobs,
  tx: Tx,
  tenantId: string,
  messageId: string,
): Promise<void> {
  if (jobs.has(replyPort.name))
    await jobs.sendIn<PortPayload<typeof replyPort>>(tx, replyPort.name, { tenantId, messageId });
}

export async function findByExternalId(tx: Tx, channelId: string, externalMessageId: string) {
  const [row] = await tx
    .select({
      messageId: messages.id,
      conversationId: messages.conversationId,
      contactId: messages.authorContactId,
    })
    .from(messages)
    .where(and(eq(messages.channelId, channelId), eq(messages.externalMessageId, externalMessageId)));
  if (!row) return undefined;
  return { messageId: row.messageId, conversationId: row.conversationId, contactId: row.contactId ?? '' };
}

export type ChannelRow = typeof channels.$inferSelect;
export type ContactRef = { id: string; accountId: string | null };

export async function resolveContact(
  tx: Tx,
  tenantId: string,
  channel: ChannelRow,
  kind: IdentityKind,
  value: string,
  input: InboundMessageInput,
): Promise<ContactRef> {
  const known = await contactByIdentity(tx, channel.id, value);
  if (known) return known;

  const contact =
    (await contactByAddress(tx, tenantId, kind, value)) ??
    (await newContact(tx, tenantId, kind, value, input));
  const [identity] = await tx
    .insert(contactIdentities)
    .values({
      tenantId,
      contactId: contact.id,
      channelId: channel.id,
      externalUserId: value,
      externalUserName: input.identity.displayName ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: contactIdentities.id });
  if (identity) return contact;
  // Another message from the same new sender committed its identity first: use that contact,
  // and drop the one made here if nothing else refers to it yet.
  const winner = await contactByIdentity(tx, channel.id, value);
  if (!winner) throw new Error('identity insert conflicted but no identity was found');
  if (winner.id !== contact.id && contact.created)
    await tx.delete(contacts).where(eq(contacts.id, contact.id));
  return winner;
}

async function contactByIdentity(tx: Tx, channelId: string, value: string): Promise<ContactRef | undefined> {
  const [row] = await tx
    .select({ id: contacts.id, accountId: contacts.accountId })
    .from(contactIdentities)
    .innerJoin(
      contacts,
      and(eq(contacts.tenantId, contactIdentities.tenantId), eq(contacts.id, contactIdentities.contactId)),
    )
    .where(and(eq(contactIdentities.channelId, channelId), eq(contactIdentities.externalUserId, value)));
  return row;
}

/** A contact already known by this phone number or email address (oldest first, deterministic). */
async function contactByAddress(
  tx: Tx,
  tenantId: string,
  kind: IdentityKind,
  value: string,
): Promise<(ContactRef & { created: false }) | undefined> {
  const family: ChannelKind[] | undefined =
    kind === 'phone' || PHONE_CHANNELS.includes(kind as ChannelKind)
      ? PHONE_CHANNELS
      : kind === 'email'
        ? ['email']
        : undefined;
  if (!family) return undefined;
  const field =
    family === PHONE_CHANNELS
      ? sql`regexp_replace(${contacts.phone}, '[^0-9]', '', 'g') = ${value.slice(1)}`
      : sql`lower(${contacts.email}) = ${value}`;
  const [direct] = await tx
    .select({ id: contacts.id, accountId: contacts.accountId })
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), field))
    .orderBy(contacts.createdAt)
    .limit(1);
  if (direct) return { ...direct, created: false };
  const [viaIdentity] = await tx
    .select({ id: contacts.id, accountId: contacts.accountId })
    .from(contactIdentities)
    .innerJoin(
      channels,
      and(eq(channels.tenantId, contactIdentities.tenantId), eq(channels.id, contactIdentities.channelId)),
    )
    .innerJoin(
      contacts,
      and(eq(contacts.tenantId, contactIdentities.tenantId), eq(contacts.id, contactIdentities.contactId)),
    )
    .where(
      and(
        eq(contactIdentities.tenantId, tenantId),
        eq(contactIdentities.externalUserId, value),
        inArray(channels.kind, family),
      ),
    )
    .orderBy(contactIdentities.createdAt)
    .limit(1);
  return viaIdentity ? { ...viaIdentity, created: false } : undefined;
}

async function newContact(
  tx: Tx,
  tenantId: string,
  kind: IdentityKind,
  value: string,
  input: InboundMessageInput,
): Promise<ContactRef & { created: true }> {
  const isPhone = kind === 'phone' || PHONE_CHANNELS.includes(kind as ChannelKind);
  const [row] = await tx
    .insert(contacts)
    .values({
      tenantId,
      name: input.identity.displayName ?? null,
      phone: isPhone ? value : null,
      email: kind === 'email' ? value : null,
      firstSeenAt: input.receivedAt,
    })
    .returning({ id: contacts.id, accountId: contacts.accountId });
  return { ...row!, created: true };
}

export async function findOrOpenConversation(
  tx: Tx,
  tenantId: string,
  channel: ChannelRow,
  contact: ContactRef,
  input: InboundMessageInput,
): Promise<{ conversationId: string; created: boolean }> {
  const thread = input.externalThreadId
    ? eq(conversations.externalThreadId, input.externalThreadId)
    : sql`true`;
  const [open] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.contactId, contact.id),
        eq(conversations.channelId, channel.id),
        inArray(conversations.status, [...OPEN_STATUSES]),
        thread,
      ),
    )
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.createdAt))
    .limit(1);
  if (open) return { conversationId: open.id, created: false };
  const [created] = await tx
    .insert(conversations)
    .values({
      tenantId,
      contactId: contact.id,
      accountId: contact.accountId,
      channelId: channel.id,
      agentId: channel.agentId,
      externalThreadId: input.externalThreadId ?? null,
      status: 'active',
      startedAt: input.receivedAt,
      lastMessageAt: input.receivedAt,
    })
    .returning({ id: conversations.id });
  return { conversationId: created!.id, created: true };
}
