/**
 * What the webhook operations share: the endpoint's body and read schemas, its serializer (no
 * secrets; the ETag is computed over it), the generated signing secret, the URL check every
 * endpoint URL passes, and the reset that sends a delivery again.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import type { Context } from 'hono';
import type { Tx } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { etagOf } from '../../../platform/http/etag.js';
import { jsonRow } from '../../../platform/http/json-value.js';
import { z } from '../../../platform/zod.js';
import { EVENT_TYPES } from '../events.js';
import { webhookEndpoints } from '../tables.js';
import { endpointUrlProblem } from '../webhook-delivery.js';

export type Row = Record<string, unknown>;
type ZObject = z.ZodObject<z.ZodRawShape>;

const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
const omitKeys = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, true])) as never;
export const idParam = z.object({ id: z.uuid() });

export const ENDPOINT_HIDDEN = ['secret', 'previousSecret'];
export const ENDPOINT_READ_ONLY = ['secretRotatedAt', 'failureCount', 'lastTriggeredAt', 'lastSuccessAt'];
/** Signing secrets: `whsec_` and 32 random bytes in standard base64, as Standard Webhooks verifiers decode it. */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** The endpoint URL must be http(s); event names are short non-empty strings. */
export const refineEndpoint = (schema: ZObject): ZObject =>
  schema.extend({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048),
    // Only events that really fire (or `*`): a misspelt type would subscribe to nothing, silently.
    events: z
      .array(z.enum([...EVENT_TYPES, '*'], { error: `one of ${EVENT_TYPES.join(', ')} or *` }))
      .max(100)
      .optional(),
  });
export const endpointCreate = refineEndpoint(
  (factory.createInsertSchema(webhookEndpoints) as unknown as ZObject).omit(
    omitKeys(['tenantId', 'id', 'createdAt', 'updatedAt', ...ENDPOINT_HIDDEN, ...ENDPOINT_READ_ONLY]),
  ),
);
const endpointRead = (factory.createSelectSchema(webhookEndpoints) as unknown as ZObject).omit(
  omitKeys(['tenantId', ...ENDPOINT_HIDDEN]),
);
export const withSecret = endpointRead.extend({
  secret: z.string().openapi({ description: 'The signing secret: shown in this response only.' }),
});

/** What GET returns for an endpoint (no secrets), which its ETag is computed over. */
export const serializeEndpoint = (row: Row): Row => jsonRow(row, ['secret', 'previousSecret']);
/** The endpoint with its ETag, and this once its plain signing secret. */
export const withNewSecret = (c: Context<AppEnv>, row: Row): Row => {
  const body = serializeEndpoint(row);
  c.header('etag', etagOf(body));
  return { ...body, secret: row.secret };
};

/** 422 when the URL points at a private, loopback or link-local address (unless allowed by configuration). */
export async function assertPublicEndpoint(
  platform: { config: { allowPrivateUrls: boolean } },
  url: string,
): Promise<void> {
  const problem = await endpointUrlProblem(url, platform.config.allowPrivateUrls);
  if (problem) {
    throw new AppError('validation_failed', 'the request body is not valid', {
      errors: [{ path: 'url', message: `${problem}: webhook endpoints must be public addresses` }],
    });
  }
}

/** Back to pending with a fresh schedule; the message id stays (receivers dedupe on it). */
export const RESET = {
  status: 'pending' as const,
  attempt: 0,
  nextAttemptAt: null,
  deliveredAt: null,
  error: null,
};

/** The endpoint, which must be active to replay its deliveries (404, 409). */
export async function activeEndpoint(tx: Tx, id: string) {
  const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  if (!endpoint) throw new AppError('not_found', 'no such webhookendpoint');
  if (endpoint.status !== 'active') {
    throw new AppError('conflict', 'the endpoint is disabled: enable it before replaying');
  }
  return endpoint;
}
