/** POST /api-keys: a new API key, shown this once. */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { atLeast } from '../../../platform/http/principal.js';
import { z } from '../../../platform/zod.js';
import { createApiKey } from '../api-keys.js';
import { actingUserId, role } from './kit.js';

const createKeyBody = z.object({
  name: z.string().min(1).max(200),
  role: role.default('agent'),
  scopes: z.array(z.string().max(100)).max(50).default([]),
  // Documented as a date-time string (null would coerce to 1970, which is refused as past).
  expiresAt: z.coerce.date().openapi({ type: 'string', format: 'date-time' }).optional(),
});
const createdKey = z.object({ id: z.string(), key: z.string(), prefix: z.string(), name: z.string(), role });

export const createApiKeyOperation = operation({
  method: 'post',
  path: '/api-keys',
  scope: 'tenant',
  role: 'owner',
  collection: true,
  resource: 'api-keys',
  tag: 'Identity',
  operationId: 'createApiKey',
  summary: 'Create an API key',
  description:
    'The response holds the key itself (`key`): it is shown this once and cannot be retrieved again.',
  request: { body: createKeyBody },
  responses: { 201: { description: 'Created', schema: createdKey } },
  handler: async ({ tx, c, body, principal, clock, audit }) => {
    // "In the future" by the platform's clock: checked here, where the clock is known.
    if (body.expiresAt && body.expiresAt.getTime() <= clock.now().getTime())
      throw new AppError('validation_failed', 'the request body is not valid', {
        errors: [{ path: 'expiresAt', message: 'must be in the future' }],
      });
    if (!atLeast(principal.role, body.role))
      throw new AppError('forbidden', 'a key cannot have a higher role than yours');
    const made = await createApiKey(tx, principal.tenantId, {
      name: body.name,
      role: body.role,
      scopes: body.scopes,
      expiresAt: body.expiresAt ?? null,
      createdBy: actingUserId(principal.actor),
    });
    await audit({
      action: 'api-keys.create',
      resourceType: 'api-keys',
      resourceId: made.row.id,
      newValues: { name: body.name, role: body.role, prefix: made.row.prefix },
    });
    c.header('location', `/v1/api-keys/${made.row.id}`);
    const { keyHash: _h, tenantId: _t, ...row } = made.row;
    return { ...row, key: made.key };
  },
});
