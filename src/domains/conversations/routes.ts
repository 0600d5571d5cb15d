/**
 * Conversations over HTTP: conversations (assign, set-status), their messages (flat and nested
 * under the conversation), the provider delivery log (read-only), approvals (approve, reject,
 * edit) and escalations (acknowledge, resolve, mark-false-positive).
 *
 * Messages are created through one function for both `POST /messages` and
 * `POST /conversations/{id}/messages`: the channel is copied from the conversation (external
 * message ids are unique per channel), the author is the calling user for a team member's
 * message, and the conversation's `last_message_at` moves with it. Messages are never edited.
 */
import { and, asc, desc, eq, gt, lt } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import type { Context } from 'hono';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import type { AppEnv } from '../../platform/http/context.js';
import { etagOf } from '../../platform/http/etag.js';
import { withIdempotency } from '../../platform/http/idempotency.js';
import { decodeCursor, encodeCursor, MAX_LIMIT } from '../../platform/http/pagination.js';
import { requireRole } from '../../platform/http/principal.js';
import { defineResource } from '../../platform/http/resource.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody, parseWith } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { memberships } from '../identity/tables.js';
import { actingUser } from './acting-user.js';
import { CONVERSATION_STATUSES, commsEvents, conversations, MESSAGE_ROLES, messages } from './tables.js';
import { conversationEvents, messageCreated } from './workflow-events.js';
import { registerWorkflowRoutes } from './workflow-routes.js';

type Row = Record<string, unknown>;

const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const idParam = z.object({ id: z.uuid() });
const serialize = (row: Row): Row => {
  const { tenantId: _t, ...rest } = row;
  return JSON.parse(JSON.stringify(rest)) as Row;
};

/** Columns of a message that the pipeline owns (delivery, AI provenance) or the server sets. */
const MESSAGE_SERVER_COLUMNS = [
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
const messageBody = (factory.createInsertSchema(messages) as unknown as z.ZodObject<z.ZodRawShape>)
  .omit(omitKeys(['tenantId', 'id', 'createdAt', 'updatedAt', ...MESSAGE_SERVER_COLUMNS]))
  .extend({
    role: z.enum(MESSAGE_ROLES).default('agent'),
    content: z.string().min(1).max(100_000),
  });
const flatMessageBody = messageBody.extend({ conversationId: z.uuid() });
const messageRead = (factory.createSelectSchema(messages) as unknown as z.ZodObject<z.ZodRawShape>).omit(
  omitKeys(['tenantId']),
);
const nestedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(20),
  cursor: z.string().max(200).optional(),
  sort: z.enum(['createdAt', '-createdAt']).default('createdAt'),
});
export function registerConversationsRoutes(api: ApiContext): void {
  registerConversationResource(api);
  registerMessageResource(api);
  const helpers = messageHelpers(api);
  registerMessageCreate(api, helpers);
  registerConversationMessageList(api);
  registerConversationMessageCreate(api, helpers);
  registerCommsEvents(api);
  registerWorkflowRoutes(api);
}

/** Conversations, as a resource with their actions. */
function registerConversationResource(api: ApiContext): void {
  defineResource(api, {
    name: 'conversations',
    component: 'Conversation',
    tag: 'Conversations',
    table: conversations,
    writeRole: 'agent',
    // Status and its timestamps change through set-status; assignment through assign.
    readOnly: ['status', 'resolvedAt', 'closedAt', 'lastMessageAt', 'assignedUserId', 'startedByUserId'],
    filters: [
      'status',
      'channelId',
      'contactId',
      'accountId',
      'assignedUserId',
      'agentId',
      'externalThreadId',
    ],
    example: {
      subject: 'Charged twice for the March invoice',
      contactId: '01950000-0000-7000-8000-000000000001',
      channelId: '01950000-0000-7000-8000-000000000002',
      priority: 2,
      tags: ['billing'],
    },
    refs: { contactId: 'contacts', channelId: 'channels' },
    afterWrite: conversationEvents,
    actions: [
      {
        name: 'assign',
        summary: 'Assign the conversation to a team member (or unassign with null)',
        role: 'agent',
        body: z.object({ userId: z.uuid().nullable() }),
        apply: async (_row, body, { tx }) => {
          const userId = body.userId as string | null;
          if (userId) {
            const [member] = await tx
              .select({ id: memberships.id })
              .from(memberships)
              .where(eq(memberships.userId, userId));
            if (!member) {
              throw new AppError('validation_failed', 'the request body is not valid', {
                errors: [{ path: 'userId', message: 'not a member of this tenant' }],
              });
            }
          }
          return { assignedUserId: userId };
        },
      },
      {
        name: 'set-status',
        summary: 'Change the status; resolved and closed record when',
        role: 'agent',
        body: z.object({ status: z.enum(CONVERSATION_STATUSES) }),
        apply: (row, body) => {
          const status = body.status as (typeof CONVERSATION_STATUSES)[number];
          const now = api.platform.clock.now();
          if (status === row.status) return { status };
          switch (status) {
            case 'resolved':
              return { status, resolvedAt: now, closedAt: null };
            case 'closed':
              return { status, closedAt: now };
            case 'archived':
              return { status };
            default:
              // Reopened: it is neither resolved nor closed any more.
              return { status, resolvedAt: null, closedAt: null };
          }
        },
      },
    ],
  });
}

/** Messages, as a read-only resource (created by the operations below). */
function registerMessageResource(api: ApiContext): void {
  defineResource(api, {
    name: 'messages',
    component: 'Message',
    tag: 'Conversations',
    table: messages,
    writeRole: 'agent',
    readOnly: [...MESSAGE_SERVER_COLUMNS.filter((c) => c !== 'conversationId')],
    filters: ['conversationId', 'role', 'type', 'authorContactId', 'externalMessageId', 'deliveryStatus'],
    example: {
      conversationId: '01950000-0000-7000-8000-000000000003',
      role: 'agent',
      content: 'I have refunded the duplicate charge; it will show within 5 business days.',
      isInternal: false,
    },
    refs: { conversationId: 'conversations' },
    // Created below (one function for the flat and the nested form); never edited.
    create: false,
    update: false,
  });
}

type MessageHelpers = ReturnType<typeof messageHelpers>;

/** What both ways of creating a message share. */
function messageHelpers(api: ApiContext) {
  /**
   * Inserts a message into a conversation of the caller's tenant; null when there is no such
   * conversation. The body is read once the conversation is found: another tenant's id is a 404
   * whatever is sent.
   */
  const createMessage = async (
    tx: Tx,
    c: Context<AppEnv>,
    conversationId: string,
    readInput: () => Promise<Row>,
  ) => {
    const tenantId = c.get('principal').tenantId;
    const [conv] = await tx
      .select({ channelId: conversations.channelId })
      .from(conversations)
      .where(eq(conversations.id, conversationId))
      .for('update');
    if (!conv) return null;
    const input = await readInput();
    const authorUserId = input.role === 'agent' ? actingUser(c) : null;
    const [created] = await tx
      .insert(messages)
      .values({
        ...(input as object),
        tenantId,
        conversationId,
        channelId: conv.channelId,
        authorUserId,
      } as never)
      .returning();
    await messageCreated(tx, tenantId, created!, api.platform.clock.now());
    await tx
      .update(conversations)
      .set({ lastMessageAt: created!.createdAt })
      .where(eq(conversations.id, conversationId));
    await audit(tx, c, {
      action: 'messages.create',
      resourceType: 'messages',
      resourceId: created!.id,
      newValues: serialize(created!),
    });
    return created!;
  };
  const created = (c: Context<AppEnv>, row: Row) => {
    const body = serialize(row);
    c.header('location', `/v1/messages/${row.id}`);
    c.header('etag', etagOf(body));
    return c.json(body, 201);
  };
  return { createMessage, created };
}

/** POST /messages. */
function registerMessageCreate(api: ApiContext, { createMessage, created }: MessageHelpers): void {
  const { db } = api;

  route(api, {
    method: 'post',
    path: '/messages',
    collection: true,
    role: 'agent',
    resource: 'messages',
    tag: 'Conversations',
    operationId: 'createMessage',
    summary: 'Add a message to a conversation',
    description:
      'The channel comes from the conversation; a team member’s message (`role: agent`) records the calling user as its author. Send an `Idempotency-Key` header to make retries safe.',
    request: { body: json(flatMessageBody) },
    responses: { 201: { description: 'Created', ...json(messageRead) } },
    handler: (c) => {
      requireRole(c, 'agent');
      return withIdempotency(c, api.platform, async () => {
        const { conversationId, ...input } = await jsonBody(c, flatMessageBody);
        const row = await withTenant(db, c.get('principal').tenantId, (tx) =>
          createMessage(tx, c, conversationId as string, async () => input),
        );
        if (!row) {
          throw new AppError('validation_failed', 'the request body is not valid', {
            errors: [{ path: 'conversationId', message: 'no such conversation' }],
          });
        }
        return created(c, row);
      });
    },
  });
}

/** GET /conversations/:id/messages: one conversation's messages. */
function registerConversationMessageList(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'get',
    path: '/conversations/:id/messages',
    role: 'viewer',
    resource: 'conversations',
    tag: 'Conversations',
    operationId: 'listConversationMessages',
    summary: 'List a conversation’s messages',
    description: 'Oldest first by default; pass `nextCursor` back as `cursor` for the next page.',
    request: { params: idParam, query: nestedQuery },
    responses: {
      200: {
        description: 'One page',
        ...json(z.object({ data: z.array(messageRead), nextCursor: z.string().nullable() })),
      },
    },
    handler: async (c) => {
      requireRole(c, 'viewer');
      const { id } = parseWith(idParam, { id: c.req.param('id') }, 'path');
      const q = parseWith(nestedQuery, c.req.query(), 'query');
      const isDesc = q.sort === '-createdAt';
      const cur = q.cursor ? decodeCursor(q.cursor) : undefined;
      if (cur && cur.desc !== isDesc)
        throw new AppError('bad_request', 'the cursor belongs to another sort order');
      const rows = await withTenant(db, c.get('principal').tenantId, async (tx) => {
        const [conv] = await tx
          .select({ id: conversations.id })
          .from(conversations)
          .where(eq(conversations.id, id));
        if (!conv) throw new AppError('not_found', 'no such conversation');
        return tx
          .select()
          .from(messages)
          .where(
            and(
              eq(messages.conversationId, id),
              cur ? (isDesc ? lt(messages.id, cur.id) : gt(messages.id, cur.id)) : undefined,
            ),
          )
          .orderBy(isDesc ? desc(messages.id) : asc(messages.id))
          .limit(q.limit + 1);
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const next = rows.length > q.limit && last ? encodeCursor({ id: last.id, desc: isDesc }) : null;
      return c.json({ data: page.map(serialize), nextCursor: next });
    },
  });
}

/** POST /conversations/:id/messages. */
function registerConversationMessageCreate(
  api: ApiContext,
  { createMessage, created }: MessageHelpers,
): void {
  const { db } = api;

  route(api, {
    method: 'post',
    path: '/conversations/:id/messages',
    role: 'agent',
    resource: 'conversations',
    tag: 'Conversations',
    operationId: 'createConversationMessage',
    summary: 'Add a message to this conversation',
    description:
      'Like `POST /v1/messages` with the conversation taken from the path. Send an `Idempotency-Key` header to make retries safe.',
    request: { params: idParam, body: json(messageBody) },
    responses: { 201: { description: 'Created', ...json(messageRead) } },
    handler: (c) => {
      requireRole(c, 'agent');
      const { id } = parseWith(idParam, { id: c.req.param('id') }, 'path');
      return withIdempotency(c, api.platform, async () => {
        const row = await withTenant(db, c.get('principal').tenantId, (tx) =>
          createMessage(tx, c, id, () => jsonBody(c, messageBody)),
        );
        if (!row) throw new AppError('not_found', 'no such conversation');
        return created(c, row);
      });
    },
  });
}

/** Communication events (delivery records), read-only. */
function registerCommsEvents(api: ApiContext): void {
  defineResource(api, {
    name: 'comms-events',
    component: 'CommsEvent',
    tag: 'Conversations',
    table: commsEvents,
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['channelId', 'channelKind', 'messageId', 'direction', 'status', 'providerMessageId'],
    example: {
      channelKind: 'sms',
      direction: 'outbound',
      fromAddr: '+15550100',
      toAddr: '+15550123',
      bodyPreview: 'Your door code for Friday is 4821.',
      status: 'delivered',
      providerMessageId: 'SM5f1c2d3e4a',
    },
  });
}
