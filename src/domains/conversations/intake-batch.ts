/**
 * `recordInboundMessage` for a burst: the messages of one tenant, in order of receipt, in the
 * caller's one transaction, with the same rules and the same rows (contact, identity,
 * conversation, message, comms event, webhook events, stream notification), but set-based
 * wherever one message does not depend on the one before it:
 *
 * - one read of the channels, one of the messages already stored (redeliveries);
 * - the batch's known senders found in one read (a new one is resolved on its own, once), and
 *   every contact of the batch locked in one statement (in id order, so two batches sharing
 *   contacts cannot deadlock);
 * - the open conversations of the batch's (contact, channel, thread)s found in one read (a
 *   missing one is opened on its own, once);
 * - one insert of the messages, one of the comms events, one of the webhook events, one
 *   notification statement, one update each of the conversations, contacts and channels.
 *
 * A message a concurrent delivery stored first is reported as a duplicate, as the single path
 * does. Any error (a deleted channel, an empty sender, the plan's quota) fails the whole batch:
 * the caller then stores its messages one by one, so each is settled on its own.
 *
 * Size (about 440 lines): each set-based step above feeds the next (senders → contacts →
 * conversations → messages → their follow-ups) through shared per-batch maps; apart, the maps
 * would have to be passed across files.
 */
import { and, inArray, sql } from 'drizzle-orm';
import { arrayLiteral, deferToCommit, rawQuery, type Tx } from '../../platform/db/database.js';
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
  OPEN_STATUSES,
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
 * The contacts already known by the batch's (channel, sender) pairs, in one read, keyed
 * `channel\nsender`: what `resolveContact` would find first for each.
 */
async function knownSenders(
  tx: Tx,
  tenantId: string,
  fresh: ReadonlyArray<{ channel: ChannelRow; value: string }>,
): Promise<Map<string, ContactRef>> {
  if (fresh.length === 0) return new Map();
  const rows = await rawQuery<{ channel_id: string; value: string; id: string; account_id: string | null }>(
    tx,
    `SELECT ci.channel_id, ci.external_user_id AS value, c.id, c.account_id
       FROM contact_identities ci
       JOIN contacts c ON c.tenant_id = ci.tenant_id AND c.id = ci.contact_id
      WHERE ci.tenant_id = $1
        AND (ci.channel_id, ci.external_user_id) IN (SELECT * FROM unnest($2::uuid[], $3::text[]))`,
    [tenantId, fresh.map((f) => f.channel.id), fresh.map((f) => f.value)],
  );
  return new Map(rows.map((r) => [`${r.channel_id}\n${r.value}`, { id: r.id, accountId: r.account_id }]));
}

/** An open conversation the batch may add to, with what decides which one a message joins. */
interface OpenConversation {
  id: string;
  thread: string | null;
  lastMessageAt: number;
  /** Creation order: the database's time, then the order the batch opened them in. */
  createdAt: number;
}

/**
 * The open conversations of the batch's (contact, channel) pairs, in one read, keyed
 * `contact\nchannel`: every one `findOrOpenConversation` could pick from.
 */
async function openConversations(
  tx: Tx,
  tenantId: string,
  todo: ReadonlyArray<{ contact: ContactRef; channel: ChannelRow }>,
): Promise<Map<string, OpenConversation[]>> {
  const open = new Map<string, OpenConversation[]>();
  if (todo.length === 0) return open;
  const rows = await rawQuery<{
    id: string;
    contact_id: string;
    channel_id: string;
    external_thread_id: string | null;
    last_message_at: Date | null;
    created_at: Date;
  }>(
    tx,
    `SELECT c.id, c.contact_id, c.channel_id, c.external_thread_id, c.last_message_at, c.created_at
       FROM conversations c
      WHERE c.tenant_id = $1 AND c.status = ANY($4::text[])
        AND (c.contact_id, c.channel_id) IN (SELECT * FROM unnest($2::uuid[], $3::uuid[]))`,
    [tenantId, todo.map((t) => t.contact.id), todo.map((t) => t.channel.id), [...OPEN_STATUSES]],
  );
  for (const r of rows) {
    const key = `${r.contact_id}\n${r.channel_id}`;
    const list = open.get(key) ?? open.set(key, []).get(key)!;
    list.push({
      id: r.id,
      thread: r.external_thread_id,
      // ORDER BY last_message_at DESC puts a conversation without messages first.
      lastMessageAt: r.last_message_at?.getTime() ?? Number.POSITIVE_INFINITY,
      createdAt: r.created_at.getTime(),
    });
  }
  return open;
}

/**
 * The conversation `findOrOpenConversation` picks among `open`: with a thread, that thread's;
 * without one, any; the most recent message first, then the most recently created.
 */
function pickConversation(
  open: readonly OpenConversation[],
  thread: string | null,
): OpenConversation | undefined {
  let best: OpenConversation | undefined;
  for (const c of open) {
    if (thread && c.thread !== thread) continue;
    if (
      !best ||
      c.lastMessageAt > best.lastMessageAt ||
      (c.lastMessageAt === best.lastMessageAt && c.createdAt > best.createdAt)
    )
      best = c;
  }
  return best;
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
  const firstOf = new Map<string, number>();
  const fresh: Array<{ input: InboundMessageInput; channel: ChannelRow; value: string }> = [];
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
    fresh.push({ input, channel, value });
  }
  const senders = await knownSenders(tx, tenantId, fresh);
  const todo: Array<Omit<Placed, 'conversationId' | 'created'>> = [];
  for (const { input, channel, value } of fresh) {
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
  // Each message joins the conversation the single path would give it, which depends on the
  // messages before it (the most recent one wins): the batch's conversations are followed here.
  const open = await openConversations(tx, tenantId, todo);
  const placed: Placed[] = [];
  let opened = 0;
  for (const t of todo) {
    const pair = `${t.contact.id}\n${t.channel.id}`;
    const candidates = open.get(pair) ?? open.set(pair, []).get(pair)!;
    const thread = t.input.externalThreadId || null;
    let conversation = pickConversation(candidates, thread);
    let created = false;
    if (!conversation) {
      const found = await findOrOpenConversation(tx, tenantId, t.channel, t.contact, t.input);
      created = found.created;
      conversation = {
        id: found.conversationId,
        thread,
        lastMessageAt: 0,
        createdAt: Number.MAX_SAFE_INTEGER - 1_000_000 + opened++,
      };
      candidates.push(conversation);
    }
    conversation.lastMessageAt = t.input.receivedAt.getTime();
    placed.push({ ...t, conversationId: conversation.id, created });
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
  // These writes go with the COMMIT (`deferToCommit`): nothing in the transaction reads them back.
  const touch = async (table: string, column: string, { ids, ats }: { ids: string[]; ats: string[] }) =>
    deferToCommit(
      tx,
      `update ${table} t set ${column} = v.at
         from unnest($1::uuid[], $2::timestamptz[]) as v(id, at)
        where t.tenant_id = $3 and t.id = v.id`,
      [arrayLiteral(ids), arrayLiteral(ats), tenantId],
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
  await deferToCommit(
    tx,
    tx.insert(commsEvents).values(
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
    ),
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
