/**
 * POST /prompt-versions: a new, unpublished version of an agent's system prompt, numbered by the
 * server (highest + 1 per agent) unless the client names a free number.
 */
import { eq, max } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import { AppError } from '../../../platform/errors.js';
import { etagOf } from '../../../platform/http/etag.js';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { actingUser } from '../../conversations/acting-user.js';
import { promptVersions } from '../tables.js';
import { lockAgent, PROMPT_EXAMPLE, serialize } from './kit.js';

const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
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

export const createPromptVersionOperation = operation({
  method: 'post',
  path: '/prompt-versions',
  scope: 'tenant',
  role: 'admin',
  resource: 'prompt-versions',
  collection: true,
  tag: 'AI',
  operationId: 'createPromptVersion',
  summary: 'Create a prompt version',
  description:
    'Adds a new, unpublished version of an agent’s system prompt. Without `version` the server numbers it (highest + 1); a number already taken answers 409. Send an `Idempotency-Key` header to make retries safe.',
  request: { body: create, bodyExample: PROMPT_EXAMPLE },
  responses: { 201: { description: 'Created', schema: read } },
  writeErrors: true,
  idempotent: true,
  handler: async ({ tx, c, body: input, principal, audit }) => {
    if (!(await lockAgent(tx, principal.tenantId, input.agentId))) {
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
        tenantId: principal.tenantId,
        agentId: input.agentId,
        version,
        content: input.content,
        notes: input.notes ?? null,
        createdBy: actingUser(c),
      })
      .returning();
    const body = serialize(created!);
    await audit({
      action: 'prompt-versions.create',
      resourceType: 'prompt-versions',
      resourceId: created!.id,
      newValues: body,
    });
    c.header('location', `/v1/prompt-versions/${created!.id}`);
    c.header('etag', etagOf(body));
    return body;
  },
});
