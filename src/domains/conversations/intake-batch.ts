/**
 * `recordInboundMessage` for a burst: the messages of one tenant, in order of receipt, in the
 * caller's one transaction, with the same rules and the same rows (contact, identity,
 * conversation, message, comms event, webhook events, stream notification), but set-based
 * wherever one message does not depend on the one before it:
 *
 * - one read of the channels, one of the messages already stored (redeliveries);
 * - each distinct sender resolved once, and every contact of the batch locked in one statement
 *   (in id order, so two batches sharing contacts cannot deadlock);
 * - each distinct (contact, channel, thread) finds or opens its conversation once;
 * - one insert of the messages, one of the comms events, one of the webhook events, one
 *   notification statement, one update each of the conversations, contacts and channels.
 *
 * A message a concurrent delivery stored first is reported as a duplicate, as the single path
 * does. Any error (a deleted channel, an empty sender, the plan's quota) fails the whole batch:
 * the caller then stores its messages one by one, so each is settled on its own.
 *
 * Size (about 320 lines): each set-based step above feeds the next (senders → contacts →
 * conversations → messages → their follow-ups) through shared per-batch maps; apart, the maps
 * would have to be passed across files.
 */
import { and, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Jobs, PortPayload } from '../../platform/jobs.js';
import { uuidv7 } from '../../schema/columns.js';
import { channels } from '../channels/tables.js';
import { notifyMessagesStored } from '../channels/widget-stream.js';
import { contacts } from '../crm/tables.js';
import { emitEvents } from '../ops/events.js';
import {
  type ChannelRow,
  type ContactRef,
  findOrOpenConversation,
  type InboundMessageInput,
  type InboundMessageResult,
  normalizeIdentity,
  resolveContact,
} from './intake.js';
import { replyPort } from './ports.js';
import { commsEvents, messages } from './threads.js';

/** One message of the batch once its sender and conversation are known. */
interface Placed {
  input: InboundMessageInput;
  channel: ChannelRow;
  value: string;
  contact: ContactRef;
  conversationId: string;
  created: boolean;
  messageId: string;
}

export async function recordInboundMessages(
  tx: Tx,
  tenantId: string,
  inputs: readonly InboundMessageInput[],
): Promise<InboundMessageResult[]> {
  if (inputs.length === 0) return [];
  const channelIds = [...new Set(inputs.map((i) => i.channelId))];
  const found = await tx.select().from(channels).where(inArray(channels.id, channelIds));
  const channelById = new Map(found.map((c) => [c.id, c]));
  const known = await storedAlready(tx, inputs);
  const results: Array<InboundMessageResult | undefined> = inputs.map((input) => {
    const existing = input.externalMessageId
      ? known.get(`${input.channelId}\n${input.externalMessageId}`)
      : undefined;
    return existing && { ...existing, conversationCreated: false, duplicate: true };
  });

  const placed = await place(tx, tenantId, inputs, results, channelById);
  if (placed.length === 0) return results as InboundMessageResult[];
  const inserted = new Set(
    (
      await tx
        .insert(messages)
        .values(
          placed.map((p) => ({
            id: p.messageId,
            tenantId,
            conversationId: p.conversationId,
            channelId: p.channel.id,
            role: 'user' as const,
            content: p.input.text,
            authorContactId: p.contact.id,
            externalMessageId: p.input.externalMessageId ?? null,
            metadata: (p.input.metadata ?? {}) as Record<string, unknown>,
            createdAt: p.input.receivedAt,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: messages.id })
    ).map((r) => r.id),
  );
  const stored = placed.filter((p) => inserted.has(p.messageId));
  await afterInsert(tx, tenantId, stored);
  // A concurrent delivery of the same provider message committed first: a duplicate.
  const late = placed.filter((p) => !inserted.has(p.messageId));
  const lateKnown =
    late.length > 0
      ? await storedAlready(
          tx,
          late.map((p) => p.input),
        )
      : new Map();
  for (const [i, input] of inputs.entries()) {
    if (results[i]) continue;
    const p = placed.find((x) => x.input === input)!;
    if (inserted.has(p.messageId)) {
      results[i] = {
        contactId: p.contact.id,
        conversationId: p.conversationId,
        messageId: p.messageId,
        conversationCreated: p.created,
        duplicate: false,
      };
      continue;
    }
    const existing = lateKnown.get(`${input.channelId}\n${input.externalMessageId}`);
    if (!existing) throw new Error('message insert conflicted but no message was found');
    results[i] = { ...existing, conversationCreated: false, duplicate: true };
  }
  return results as InboundMessageResult[];
}

/** The messages of `inputs` already stored, by channel and provider message id. */
async function storedAlready(tx: Tx, inputs: readonly InboundMessageInput[]) {
  const ids = [...new Set(inputs.flatMap((i) => (i.externalMessageId ? [i.externalMessageId] : [])))];
  const rows =
    ids.length === 0
      ? []
      : await tx
          .select({
            messageId: messages.id,
            conversationId: messages.conversationId,
            contactId: messages.authorContactId,
            channelId: messages.channelId,
            externalId: messages.externalMessageId,
          })
          .from(messages)
          .where(
            and(
              inArray(messages.channelId, [...new Set(inputs.map((i) => i.channelId))]),
              inArray(messages.externalMessageId, ids),
            ),
          );
  return new Map(
    rows.map((r) => [
      `${r.channelId}\n${r.externalId}`,
      { messageId: r.messageId, conversationId: r.conversationId, contactId: r.contactId ?? '' },
    ]),
  );
}

/**
 * Resolves each new message's sender (once per distinct sender), locks the batch's contacts, and
 * finds or opens each conversation (once per distinct contact, channel and thread). A message
 * repeated within the batch (same provider id) is placed once; its repeats are duplicates.
 */
async function place(
  tx: Tx,
  tenantId: string,
  inputs: readonly InboundMessageInput[],
  results: Array<InboundMessageResult | undefined>,
  channelById: Map<string, ChannelRow>,
): Promise<Placed[]> {
  const senders = new Map<string, ContactRef>();
  const todo: Array<Omit<Placed, 'conversationId' | 'created'>> = [];
  const firstOf = new Map<string, number>();
  for (const [i, input] of inputs.entries()) {
    if (results[i]) continue;
    const channel = channelById.get(input.channelId);
    if (!channel) throw new AppError('not_found', 'channel not found');
    const value = normalizeIdentity(input.identity.kind, input.identity.value);
    if (!value || value === '+') throw new AppError('bad_request', 'the sender identity is empty');
    if (input.externalMessageId) {
      const key = `${channel.id}\n${input.externalMessageId}`;
      if (firstOf.has(key)) continue; // a repeat: settled once the first is stored
      firstOf.set(key, i);
    }
    const senderKey = `${channel.id}\n${value}`;
    let contact = senders.get(senderKey);
    if (!contact) {
      contact = await resolveContact(tx, tenantId, channel, input.identity.kind, value, input);
      senders.set(senderKey, contact);
    }
    todo.push({ input, channel, value, contact, messageId: uuidv7() });
  }
  // Serialises intake per contact, as the single path does, in one statement.
  const contactIds = [...new Set(todo.map((t) => t.contact.id))].sort();
  if (contactIds.length > 0)
    await tx.execute(
      sql`select 1 from ${contacts} where ${contacts.tenantId} = ${tenantId} and ${contacts.id} = any(${sql.param(contactIds)}::uuid[]) order by ${contacts.id} for update`,
    );
  const threads = new Map<string, { conversationId: string; created: boolean }>();
  const placed: Placed[] = [];
  for (const t of todo) {
    const key = `${t.contact.id}\n${t.channel.id}\n${t.input.externalThreadId ?? ''}`;
    const known = threads.get(key);
    const found = known ?? (await findOrOpenConversation(tx, tenantId, t.channel, t.contact, t.input));
    threads.set(key, { conversationId: found.conversationId, created: false });
    placed.push({ ...t, ...found });
  }
  // Repeats within the batch point at their first occurrence's message.
  for (const [i, input] of inputs.entries()) {
    if (results[i] || !input.externalMessageId) continue;
    const first = firstOf.get(`${input.channelId}\n${input.externalMessageId}`);
    if (first === undefined || first === i) continue;
    const p = placed.find((x) => x.input === inputs[first])!;
    results[i] = {
      contactId: p.contact.id,
      conversationId: p.conversationId,
      messageId: p.messageId,
      conversationCreated: false,
      duplicate: true,
    };
  }
  return placed;
}

/** What the single path writes after each message, for all of them at once. */
async function afterInsert(tx: Tx, tenantId: string, stored: Placed[]): Promise<void> {
  if (stored.length === 0) return;
  // The last message of each conversation, contact and channel (in order of receipt) sets its time.
  const lastAt = (key: (p: Placed) => string) => {
    const last = new Map<string, Date>();
    for (const p of stored) last.set(key(p), p.input.receivedAt);
    return { ids: [...last.keys()], ats: [...last.values()].map((d) => d.toISOString()) };
  };
  const touch = async (table: string, column: string, { ids, ats }: { ids: string[]; ats: string[] }) =>
    tx.execute(
      sql`update ${sql.identifier(table)} t set ${sql.identifier(column)} = v.at
            from unnest(${sql.param(ids)}::uuid[], ${sql.param(ats)}::timestamptz[]) as v(id, at)
           where t.tenant_id = ${tenantId} and t.id = v.id`,
    );
  await touch(
    'conversations',
    'last_message_at',
    lastAt((p) => p.conversationId),
  );
  await emitIntakeEvents(tx, tenantId, stored);
  await notifyMessagesStored(
    tx,
    stored.map((p) => ({ tenantId, conversationId: p.conversationId, messageId: p.messageId })),
  );
  await touch(
    'contacts',
    'last_seen_at',
    lastAt((p) => p.contact.id),
  );
  await touch(
    'channels',
    'last_inbound_at',
    lastAt((p) => p.channel.id),
  );
  await tx.insert(commsEvents).values(
    stored.map((p) => ({
      tenantId,
      channelId: p.channel.id,
      channelKind: p.channel.kind,
      messageId: p.messageId,
      direction: 'inbound' as const,
      fromAddr: p.value,
      toAddr: p.channel.externalAccountId ?? p.channel.name,
      bodyPreview: p.input.text.slice(0, 1000),
      status: 'received' as const,
      providerMessageId: p.input.externalMessageId ?? null,
      createdAt: p.input.receivedAt,
    })),
  );
}

/** conversation.opened (a new conversation) and message.created of each stored message, in order. */
function emitIntakeEvents(tx: Tx, tenantId: string, stored: Placed[]): Promise<void> {
  return emitEvents(
    tx,
    tenantId,
    stored.flatMap((p) => [
      ...(p.created
        ? [
            {
              type: 'conversation.opened',
              at: p.input.receivedAt,
              data: {
                id: p.conversationId,
                status: 'active',
                contactId: p.contact.id,
                channelId: p.channel.id,
                assignedUserId: null,
              },
            },
          ]
        : []),
      {
        type: 'message.created',
        at: p.input.receivedAt,
        data: {
          id: p.messageId,
          conversationId: p.conversationId,
          role: 'user',
          channelId: p.channel.id,
          isInternal: false,
        },
      },
    ]),
    { at: stored[0]!.input.receivedAt },
  );
}

/** `notifyResponder` for a batch's new messages, in one statement. */
export async function notifyResponderOfAll(
  jobs: Jobs,
  tx: Tx,
  tenantId: string,
  messageIds: readonly string[],
): Promise<void> {
  if (messageIds.length > 0 && jobs.has(replyPort.name))
    await jobs.sendManyIn(
      tx,
      messageIds.map((messageId) => ({
        name: replyPort.name,
        data: { tenantId, messageId } satisfies PortPayload<typeof replyPort>,
      })),
    );
}
