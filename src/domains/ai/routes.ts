/**
 * AI configuration over the API (admin configures, everyone reads): agents, their versioned
 * system prompts, brand voices, and the global catalogue of agent templates.
 *
 * Prompt versions are numbered by the server (highest + 1 per agent) unless the client names a
 * free number, and are immutable apart from `notes`: a change of prompt is a new version. At most
 * one version per agent is published; `publish` moves that mark in one transaction, so a rollback
 * is publishing an older version. The default brand voice moves the same way (`set-default`).
 */
import { and, asc, desc, eq, gt, lt, max, ne, type SQL } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import type { Context } from 'hono';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import type { AppEnv } from '../../platform/http/context.js';
import { etagOf } from '../../platform/http/etag.js';
import { withIdempotency } from '../../platform/http/idempotency.js';
import { writeErrors } from '../../platform/http/openapi.js';
import { decodeCursor, encodeCursor, listQuery } from '../../platform/http/pagination.js';
import { requireRole } from '../../platform/http/principal.js';
import { type ActionSpec, defineResource } from '../../platform/http/resource.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody, parseWith } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { registerHandoffRoutes } from './handoff-routes.js';
import { registerPromptStats } from './prompt-stats.js';
import { AGENT_TYPES, agents, agentTemplates, brandVoices, promptVersions } from './tables.js';

const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
type Row = Record<string, unknown>;

/** A wall-clock time as Postgres TIME accepts it; quiet hours are in the tenant's time zone. */
const wallClock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'a time of day as HH:MM or HH:MM:SS (24-hour clock)');

/** The user behind the request, for created_by / published_by (API keys have none). */
const userOf = (c: Context<AppEnv>): string | null => {
  const { actor } = c.get('principal');
  return actor.type === 'user' ? actor.id : null;
};

const PROMPT_EXAMPLE = {
  agentId: '',
  content:
    'You are Mark, the guest assistant of Paradise Stays. Answer questions about bookings, check-in and the properties from the knowledge base only. Be warm and brief. Hand refunds, complaints and emergencies to a human.',
  notes: 'First version: tone from the brand voice, escalation rules from ops.',
};

export function registerAiRoutes(api: ApiContext): void {
  defineResource(api, {
    name: 'agents',
    component: 'Agent',
    tag: 'AI',
    table: agents,
    writeRole: 'admin',
    readOnly: ['createdBy'],
    filters: ['status', 'type', 'brandVoiceId', 'templateId'],
    refine: (s) =>
      s.extend({
        confidenceThreshold: z.number().min(0).max(1).optional(),
        quietHoursStart: wallClock.nullable().optional(),
        quietHoursEnd: wallClock.nullable().optional(),
        responseDelaySeconds: z.int().min(0).max(86_400).optional(),
      }),
    example: {
      name: 'Guest messaging',
      assistantName: 'Mark',
      description: 'Answers guest questions about stays by SMS and email.',
      type: 'concierge',
      status: 'active',
      welcomeMessage: 'Hi, I’m Mark from Paradise Stays. How can I help with your booking?',
      modelConfig: { model: 'gpt-4o-mini', temperature: 0.3, maxTokens: 600 },
      escalationConfig: { notify: 'email', to: 'ops@paradise-stays.example' },
      autoReplyEnabled: true,
      confidenceThreshold: 0.7,
      quietHoursStart: '22:00',
      quietHoursEnd: '08:00',
      responseDelaySeconds: 180,
      escalationCategories: ['refund', 'complaint', 'emergency'],
    },
  });

  registerPromptVersions(api);
  registerPromptStats(api);
  registerHandoffRoutes(api);

  defineResource(api, {
    name: 'brand-voices',
    component: 'BrandVoice',
    tag: 'AI',
    table: brandVoices,
    writeRole: 'admin',
    // Moved by set-default / unset-default, which clear the previous default in the same transaction.
    readOnly: ['isDefault'],
    filters: ['isDefault', 'applicableTo', 'name'],
    refine: (s) =>
      s.extend({
        responsePatterns: z
          .array(z.object({ situation: z.string().min(1).max(500), pattern: z.string().min(1).max(5_000) }))
          .max(200)
          .optional(),
      }),
    example: {
      name: 'Warm and professional',
      description: 'Client-facing replies for agency accounts.',
      toneGuidelines: 'Friendly but precise. Short paragraphs. Acknowledge the issue before solving it.',
      approvedPhrases: ['Happy to help', 'Here is what I found'],
      forbiddenPhrases: ['As an AI', 'Unfortunately, that is not possible'],
      responsePatterns: [
        {
          situation: 'bug report',
          pattern: 'Thank them, restate the issue, give the next step and a time frame.',
        },
      ],
      applicableTo: 'client_conversations',
    },
    actions: [
      {
        name: 'set-default',
        summary: 'Make this the default brand voice (the previous default stops being one)',
        role: 'admin',
        async apply(row, _body, { tx }) {
          if (row.isDefault) return { isDefault: true };
          await tx
            .update(brandVoices)
            .set({ isDefault: false })
            .where(and(eq(brandVoices.isDefault, true), ne(brandVoices.id, row.id as string)));
          return { isDefault: true };
        },
      },
      {
        name: 'unset-default',
        summary: 'Stop this brand voice being the default (the tenant then has none)',
        role: 'admin',
        apply: () => ({ isDefault: false }),
      },
    ],
  });

  registerAgentTemplates(api);
}

/**
 * Locks the agent row so that version numbering and publishing are serialized per agent. The
 * tenant is named as well as enforced by RLS: on Citus, a locking read must name its shard.
 */
async function lockAgent(tx: Tx, tenantId: string, agentId: string): Promise<boolean> {
  const [agent] = await tx
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)))
    .for('no key update');
  return agent !== undefined;
}

function registerPromptVersions(api: ApiContext): void {
  const { db } = api;
  const read = (factory.createSelectSchema(promptVersions) as unknown as z.ZodObject)
    .omit({ tenantId: true })
    .openapi('PromptVersion');
  const create = z
    .object({
      agentId: z.uuid(),
      version: z
        .int()
        .positive()
        .max(2_147_483_647)
        .optional()
        .openapi({ description: 'Omit to get the next number (highest version of the agent + 1).' }),
      content: z.string().min(1).max(200_000),
      notes: z.string().max(5_000).nullable().optional(),
    })
    .openapi('PromptVersionCreate');
  const serialize = ({ tenantId: _t, ...rest }: Row): Row => JSON.parse(JSON.stringify(rest)) as Row;

  route(api, {
    method: 'post',
    path: '/prompt-versions',
    collection: true,
    role: 'admin',
    resource: 'prompt-versions',
    tag: 'AI',
    operationId: 'createPromptVersion',
    summary: 'Create a prompt version',
    description:
      'Adds a new, unpublished version of an agent’s system prompt. Without `version` the server numbers it (highest + 1); a number already taken answers 409. Send an `Idempotency-Key` header to make retries safe.',
    request: { body: { content: { 'application/json': { schema: create, example: PROMPT_EXAMPLE } } } },
    responses: {
      201: { description: 'Created', content: { 'application/json': { schema: read } } },
      ...writeErrors,
    },
    handler: (c) => {
      requireRole(c, 'admin'); // before the Idempotency-Key is claimed
      return withIdempotency(c, api.platform, async () => {
        const input = await jsonBody(c, create);
        const tenantId = c.get('principal').tenantId;
        const row = await withTenant(db, tenantId, async (tx) => {
          if (!(await lockAgent(tx, tenantId, input.agentId))) {
            throw new AppError('validation_failed', 'the request body is not valid', {
              errors: [{ path: 'agentId', message: 'no such agent' }],
            });
          }
          let version = input.version;
          if (version === undefined) {
            const [last] = await tx
              .select({ v: max(promptVersions.version) })
              .from(promptVersions)
              .where(eq(promptVersions.agentId, input.agentId));
            version = (last?.v ?? 0) + 1;
          }
          const [created] = await tx
            .insert(promptVersions)
            .values({
              tenantId,
              agentId: input.agentId,
              version,
              content: input.content,
              notes: input.notes ?? null,
              createdBy: userOf(c),
            })
            .returning();
          await audit(tx, c, {
            action: 'prompt-versions.create',
            resourceType: 'prompt-versions',
            resourceId: created!.id,
            newValues: serialize(created!),
          });
          return created!;
        });
        const body = serialize(row);
        c.header('location', `/v1/prompt-versions/${row.id}`);
        c.header('etag', etagOf(body));
        return c.json(body, 201);
      });
    },
  });

  const publish: ActionSpec = {
    name: 'publish',
    summary: 'Publish this version (rollback = publish an older one)',
    role: 'admin',
    async apply(row, _body, { tx, c }) {
      // Already live: nothing to move (and no agent lock, which could deadlock with a publisher).
      if (row.isPublished) return { isPublished: true };
      await lockAgent(tx, row.tenantId as string, row.agentId as string);
      // The partial unique index allows one published version per agent: unpublish first.
      await tx
        .update(promptVersions)
        .set({ isPublished: false })
        .where(
          and(
            eq(promptVersions.agentId, row.agentId as string),
            eq(promptVersions.isPublished, true),
            ne(promptVersions.id, row.id as string),
          ),
        );
      return { isPublished: true, publishedAt: api.platform.clock.now(), publishedBy: userOf(c) };
    },
  };
  const rollback: ActionSpec = {
    name: 'rollback',
    summary: 'Roll back: publish the agent’s previous version instead of this published one',
    role: 'admin',
    async apply(row, _body, { tx, c }) {
      if (!row.isPublished) throw new AppError('conflict', 'only the published version can be rolled back');
      await lockAgent(tx, row.tenantId as string, row.agentId as string);
      const [previous] = await tx
        .select({ id: promptVersions.id })
        .from(promptVersions)
        .where(
          and(
            eq(promptVersions.agentId, row.agentId as string),
            lt(promptVersions.version, row.version as number),
          ),
        )
        .orderBy(desc(promptVersions.version))
        .limit(1);
      if (!previous) throw new AppError('conflict', 'there is no earlier version to roll back to');
      // One published version per agent (partial unique index): this one steps down first.
      await tx
        .update(promptVersions)
        .set({ isPublished: false })
        .where(eq(promptVersions.id, row.id as string));
      await tx
        .update(promptVersions)
        .set({ isPublished: true, publishedAt: api.platform.clock.now(), publishedBy: userOf(c) })
        .where(eq(promptVersions.id, previous.id));
      return { isPublished: false };
    },
  };
  const unpublish: ActionSpec = {
    name: 'unpublish',
    summary: 'Unpublish this version (the agent then has no published prompt)',
    role: 'admin',
    apply: () => ({ isPublished: false }),
  };

  defineResource(api, {
    name: 'prompt-versions',
    component: 'PromptVersion',
    tag: 'AI',
    table: promptVersions,
    writeRole: 'admin',
    // POST is the route above (it numbers versions); PATCH may change `notes` only.
    create: false,
    readOnly: ['agentId', 'version', 'content', 'isPublished', 'publishedAt', 'publishedBy', 'createdBy'],
    filters: ['agentId', 'isPublished', 'version'],
    example: PROMPT_EXAMPLE,
    refs: { agentId: 'agents' },
    actions: [publish, rollback, unpublish],
  });
}

/** GET /agent-templates: the global catalogue (active templates), read in the tenant context. */
function registerAgentTemplates(api: ApiContext): void {
  const read = (factory.createSelectSchema(agentTemplates) as unknown as z.ZodObject).openapi(
    'AgentTemplate',
  );
  const query = listQuery.extend({
    category: z.string().max(100).optional(),
    agentType: z.enum(AGENT_TYPES).optional(),
  });
  route(api, {
    method: 'get',
    path: '/agent-templates',
    collection: true,
    role: 'viewer',
    tag: 'AI',
    operationId: 'listAgentTemplates',
    summary: 'List agent templates',
    description:
      'Ready-made agents offered to every tenant (shared, read-only). Copy one into `POST /v1/agents` with `templateId`. Newest first by default; pass `nextCursor` back as `cursor`.',
    request: { query },
    responses: {
      200: {
        description: 'One page',
        content: {
          'application/json': {
            schema: z.object({ data: z.array(read), nextCursor: z.string().nullable() }),
          },
        },
      },
    },
    handler: async (c) => {
      requireRole(c, 'viewer');
      const q = parseWith(query, c.req.query(), 'query');
      const isDesc = q.sort === '-createdAt';
      const conds: SQL[] = [eq(agentTemplates.isActive, true)];
      if (q.category !== undefined) conds.push(eq(agentTemplates.category, q.category));
      if (q.agentType !== undefined) conds.push(eq(agentTemplates.agentType, q.agentType));
      if (q.cursor) {
        const cur = decodeCursor(q.cursor);
        if (cur.desc !== isDesc)
          throw new AppError('bad_request', 'the cursor belongs to another sort order');
        conds.push(isDesc ? lt(agentTemplates.id, cur.id) : gt(agentTemplates.id, cur.id));
      }
      const rows = await withTenant(api.db, c.get('principal').tenantId, (tx) =>
        tx
          .select()
          .from(agentTemplates)
          .where(and(...conds))
          .orderBy(isDesc ? desc(agentTemplates.id) : asc(agentTemplates.id))
          .limit(q.limit + 1),
      );
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const next = rows.length > q.limit && last ? encodeCursor({ id: last.id, desc: isDesc }) : null;
      return c.json({ data: JSON.parse(JSON.stringify(page)) as Row[], nextCursor: next });
    },
  });
}
