/**
 * What the conversation operations share: the message schemas (the body a client sends, the row
 * it reads), the row serializer, and `insertMessage`, the one way both `POST /messages` and
 * `POST /conversations/{id}/messages` store a message.
 */
import { and, eq } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import type { Tx } from '../../../platform/db/database.js';
import { etagOf } from '../../../platform/http/etag.js';
import { jsonRow } from '../../../platform/http/json-value.js';
import type { OperationContext } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { actingUser } from '../acting-user.js';
import { conversations, MESSAGE_ROLES, messages } from '../tables.js';
import { messageCreated } from '../workflow-events.js';

export type Row = Record<string, unknown>;

const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
export const idParam = z.object({ id: z.uuid() });

/** The row as the API shows it: no tenant, dates as ISO strings. */
export const serialize = (row: Row): Row => jsonRow(row);

/** Columns of a message that the pipeline owns (delivery, AI provenance) or the server sets. */
export const MESSAGE_SERVER_COLUMNS = [
  'conversationId',
  'channelId',
  'authorUserId',
  'deliveryStatus',
  'citations',
  'promptVersionId',
  'model',
  'confidence',
  'tokensIn',
  'tokensOut',
  'requiresApproval',
  'toolCalls',
] as const;
const omitKeys = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, true])) as never;

/** A message as the API accepts it: from a team member (`agent`, the default) or an import. */
export const messageBody = (factory.createInsertSchema(messages) as unknown as z.ZodObject<z.ZodRawShape>)
  .omit(omitKeys(['tenantId', 'id', 'createdAt', 'updatedAt', ...MESSAGE_SERVER_COLUMNS]))
  .extend({
    role: z.enum(MESSAGE_ROLES).default('agent'),
    content: z.string().min(1).max(100_000),
  });
export const flatMessageBody = messageBody.extend({ conversationId: z.uuid() }).openapi({
  example: {
    conversationId: '01950000-0000-7000-8000-000000000003',
    role: 'agent',
    content: 'Thanks for waiting: your refund was issued today and reaches your card in 3–5 days.',
  },
});
export const messageRead = (
  factory.createSelectSchema(messages) as unknown as z.ZodObject<z.ZodRawShape>
).omit(omitKeys(['tenantId']));

type Ctx = OperationContext<unknown, unknown, unknown, unknown>;

/** The conversation a message goes into, locked so that `last_message_at` moves in order. */
export async function lockConversation(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<{ id: string; channelId: string | null } | undefined> {
  const [conv] = await tx
    .select({ id: conversations.id, channelId: conversations.channelId })
    .from(conversations)
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)))
    .for('update');
  return conv;
}

/**
 * Inserts a message into a conversation (locked by the caller): the channel is copied from the
 * conversation (external message ids are unique per channel), a team member's message records
 * the calling user, and the conversation's `last_message_at` moves with it. Answers 201 with the
 * message, its Location and ETag.
 */
export async function insertMessage(
  ctx: Ctx,
  conv: { id: string; channelId: string | null },
  input: Row,
): Promise<Row> {
  const { tx, c, principal } = ctx;
  const [created] = await tx
    .insert(messages)
    .values({
      ...input,
      tenantId: principal.tenantId,
      conversationId: conv.id,
      channelId: conv.channelId,
      authorUserId: input.role === 'agent' ? actingUser(c) : null,
    } as never)
    .returning();
  await messageCreated(tx, principal.tenantId, created!, ctx.clock.now());
  await tx
    .update(conversations)
    .set({ lastMessageAt: created!.createdAt })
    .where(eq(conversations.id, conv.id));
  const body = serialize(created!);
  await ctx.audit({
    action: 'messages.create',
    resourceType: 'messages',
    resourceId: created!.id,
    newValues: body,
  });
  c.header('location', `/v1/messages/${created!.id}`);
  c.header('etag', etagOf(body));
  return body;
}
