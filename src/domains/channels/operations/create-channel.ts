/**
 * POST /channels: a channel; the server makes a widget channel's key, and refuses an external
 * account another channel (of any tenant) already routes, since inbound traffic is routed by
 * that key alone.
 */
import { and, eq } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import type { Database } from '../../../platform/db/database.js';
import { withPlatform, withTenant } from '../../../platform/db/tenant.js';
import { AppError } from '../../../platform/errors.js';
import { audit } from '../../../platform/http/audit.js';
import { etagOf } from '../../../platform/http/etag.js';
import { jsonRow } from '../../../platform/http/json-value.js';
import { operation } from '../../../platform/http/operation.js';
import { columnRules } from '../../../platform/http/resource.js';
import { sealSecrets } from '../../../platform/secrets.js';
import { z } from '../../../platform/zod.js';
import { type ChannelKind, channels } from '../tables.js';
import { CHANNEL_EXAMPLE, newWidgetKey, type Row, withSecrets } from './kit.js';

type ZObject = z.ZodObject<z.ZodRawShape>;
const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });

const read = (factory.createSelectSchema(channels) as unknown as ZObject)
  .omit({ tenantId: true, secrets: true } as never)
  .openapi('Channel');
const create = withSecrets(
  (factory.createInsertSchema(channels, columnRules(channels) as never) as unknown as ZObject).omit({
    tenantId: true,
    id: true,
    createdAt: true,
    updatedAt: true,
    secrets: true,
    widgetKey: true,
    lastError: true,
    lastInboundAt: true,
  } as never),
)
  .extend({ externalAccountId: z.string().min(1).max(255).nullable().optional() })
  .openapi('ChannelCreate');
const serialize = (row: Row): Row => jsonRow(row, ['secrets']);

/** True when any channel (of any tenant) routes `kind` + `externalAccountId`: the platform view. */
async function isRouted(db: Database, kind: ChannelKind, externalAccountId: string): Promise<boolean> {
  const [hit] = await withPlatform(db, (tx) =>
    tx
      .select({ id: channels.id })
      .from(channels)
      .where(and(eq(channels.kind, kind), eq(channels.externalAccountId, externalAccountId)))
      .limit(1),
  );
  return hit !== undefined;
}

export const createChannelOperation = operation({
  method: 'post',
  path: '/channels',
  scope: 'tenant',
  role: 'admin',
  collection: true,
  resource: 'channels',
  tag: 'Channels',
  operationId: 'createChannel',
  summary: 'Create a channel',
  description:
    'A widget channel gets its `widgetKey` from the server. `externalAccountId` (phone number, bot id, team id, inbound address) routes inbound traffic: one already connected anywhere answers 409. Send an `Idempotency-Key` header to make retries safe.',
  request: { body: create, bodyExample: CHANNEL_EXAMPLE },
  responses: { 201: { description: 'Created', schema: read } },
  writeErrors: true,
  idempotent: true,
  // The routing check reads every tenant's channels (the platform view) before the write's transaction.
  transaction: false,
  handler: async ({ c, body, principal, platform }) => {
    const input = body as Row & { kind: ChannelKind; externalAccountId?: string | null };
    const tenantId = principal.tenantId;
    const account = input.externalAccountId ?? null;
    // Check, then insert: two tenants racing for one account could both pass; closing that
    // needs a globally unique routing key in the schema (routing keys are unique per tenant).
    if (account !== null && (await isRouted(platform.db, input.kind, account))) {
      throw new AppError('conflict', 'this external account is already connected to a channel');
    }
    const row = await withTenant(platform.db, tenantId, async (tx) => {
      const [created] = await tx
        .insert(channels)
        .values({
          ...(input as typeof channels.$inferInsert),
          ...(input.secrets
            ? { secrets: sealSecrets(platform.config.secrets, input.secrets as Record<string, string>) }
            : {}),
          tenantId,
          externalAccountId: account,
          widgetKey: input.kind === 'widget' ? newWidgetKey() : null,
        })
        .returning();
      await audit(tx, c, {
        action: 'channels.create',
        resourceType: 'channels',
        resourceId: created!.id,
        newValues: serialize(created!),
      });
      return created!;
    });
    const out = serialize(row);
    c.header('location', `/v1/channels/${row.id}`);
    c.header('etag', etagOf(out));
    return out;
  },
});
