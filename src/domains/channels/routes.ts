/**
 * Channels, integrations and widget settings over the API (configuration: admin writes).
 *
 * Credentials (`secrets`) are write-only: accepted on create and update (replaced as a whole),
 * never returned and redacted in the audit log. A channel's routing keys are fixed at creation:
 * the server makes the widget key, and refuses an external account another channel (of any
 * tenant) already routes, since inbound traffic is routed by that key alone.
 */

import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { createSchemaFactory } from 'drizzle-zod';
import type { Database } from '../../platform/db/database.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import { etagOf } from '../../platform/http/etag.js';
import { withIdempotency } from '../../platform/http/idempotency.js';
import { writeErrors } from '../../platform/http/openapi.js';
import { requireRole } from '../../platform/http/principal.js';
import { columnRules, defineResource } from '../../platform/http/resource.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody } from '../../platform/http/validate.js';
import { sealSecrets } from '../../platform/secrets.js';
import { z } from '../../platform/zod.js';
import { registerInboundRoutes } from './inbound-routes.js';
import { type ChannelKind, channels, integrations, widgetSettings } from './tables.js';

const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
type Row = Record<string, unknown>;
type ZObject = z.ZodObject<z.ZodRawShape>;

const secrets = z
  .record(z.string().min(1).max(100), z.string().max(10_000))
  .refine((o) => Object.keys(o).length <= 50, 'at most 50 entries')
  .openapi({
    description:
      'Provider credentials (tokens, signing secrets). Write-only: never returned; an update replaces the whole set.',
  });
/** Seals `secrets` of a create or update body before it is written (src/platform/secrets.ts). */
const sealed =
  (api: ApiContext) =>
  (input: Row): Row =>
    input.secrets
      ? {
          ...input,
          secrets: sealSecrets(api.platform.config.secrets, input.secrets as Record<string, string>),
        }
      : input;
/** Adds the write-only `secrets` back to a body schema (`hidden` takes it out of both directions). */
const withSecrets = (s: ZObject): ZObject => s.extend({ secrets: secrets.optional() });

/** An origin as browsers send it: scheme and host (and port), nothing else. */
const origin = z
  .string()
  .max(300)
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'an origin such as https://www.example.com (no path)');

const newWidgetKey = (): string => `wk_${randomBytes(18).toString('base64url')}`;

const CHANNEL_EXAMPLE = {
  kind: 'widget',
  name: 'Website chat',
  config: { greeting: 'Hi! Questions about your stay? Ask away.', collectEmail: true },
};

export function registerChannelRoutes(api: ApiContext): void {
  registerChannelCreate(api);
  registerInboundRoutes(api);
  defineResource(api, {
    name: 'channels',
    component: 'Channel',
    tag: 'Channels',
    table: channels,
    writeRole: 'admin',
    // POST is the route above; kind and routing keys cannot change afterwards.
    create: false,
    hidden: ['secrets'],
    readOnly: ['kind', 'externalAccountId', 'widgetKey', 'lastError', 'lastInboundAt'],
    filters: ['kind', 'status', 'agentId', 'externalAccountId', 'widgetKey'],
    refine: withSecrets,
    prepare: sealed(api),
    example: CHANNEL_EXAMPLE,
    actions: [
      {
        name: 'rotate-widget-key',
        summary: 'Replace the widget key (embeds using the old key stop loading)',
        role: 'admin',
        apply(row) {
          if (row.kind !== 'widget') throw new AppError('conflict', 'only widget channels have a widget key');
          return { widgetKey: newWidgetKey() };
        },
      },
    ],
  });

  defineResource(api, {
    name: 'integrations',
    component: 'Integration',
    tag: 'Channels',
    table: integrations,
    writeRole: 'admin',
    // `config` is returned: credentials belong in `secrets`.
    hidden: ['secrets'],
    readOnly: ['lastSyncAt', 'lastError'],
    filters: ['type', 'status', 'name'],
    refine: withSecrets,
    prepare: sealed(api),
    example: {
      type: 'hubspot',
      name: 'HubSpot CRM',
      config: { portalId: '24681357', syncContacts: true, pipeline: 'default' },
      secrets: { accessToken: 'pat-na1-00000000-0000-0000-0000-000000000000' },
    },
  });

  defineResource(api, {
    name: 'widget-settings',
    component: 'WidgetSettings',
    tag: 'Channels',
    table: widgetSettings,
    writeRole: 'admin',
    filters: ['agentId'],
    refine: (s) => s.extend({ allowedOrigins: z.array(origin).max(100).optional() }),
    example: {
      agentId: '',
      appearance: { theme: 'light', primaryColor: '#0F766E', position: 'bottom-right' },
      behavior: { openOnLoad: false, showTypingIndicator: true, collectEmail: 'before_chat' },
      launcher: { icon: 'chat', label: 'Chat with us' },
      chatWindow: { title: 'Paradise Stays', subtitle: 'We usually reply in a few minutes', width: 380 },
      allowedOrigins: ['https://www.paradise-stays.example'],
    },
    refs: { agentId: 'agents' },
  });
}

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

function registerChannelCreate(api: ApiContext): void {
  const { db } = api;
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
  const serialize = ({ tenantId: _t, secrets: _s, ...rest }: Row): Row =>
    JSON.parse(JSON.stringify(rest)) as Row;

  route(api, {
    method: 'post',
    path: '/channels',
    collection: true,
    role: 'admin',
    resource: 'channels',
    tag: 'Channels',
    operationId: 'createChannel',
    summary: 'Create a channel',
    description:
      'A widget channel gets its `widgetKey` from the server. `externalAccountId` (phone number, bot id, team id, inbound address) routes inbound traffic: one already connected anywhere answers 409. Send an `Idempotency-Key` header to make retries safe.',
    request: { body: { content: { 'application/json': { schema: create, example: CHANNEL_EXAMPLE } } } },
    responses: {
      201: { description: 'Created', content: { 'application/json': { schema: read } } },
      ...writeErrors,
    },
    handler: (c) => {
      requireRole(c, 'admin'); // before the Idempotency-Key is claimed
      return withIdempotency(c, api.platform, async () => {
        const input = (await jsonBody(c, create)) as Row & {
          kind: ChannelKind;
          externalAccountId?: string | null;
        };
        const tenantId = c.get('principal').tenantId;
        const account = input.externalAccountId ?? null;
        // Check, then insert: two tenants racing for one account could both pass; closing that
        // needs a globally unique routing key in the schema (routing keys are unique per tenant).
        if (account !== null && (await isRouted(db, input.kind, account))) {
          throw new AppError('conflict', 'this external account is already connected to a channel');
        }
        const row = await withTenant(db, tenantId, async (tx) => {
          const [created] = await tx
            .insert(channels)
            .values({
              ...(input as typeof channels.$inferInsert),
              ...(input.secrets
                ? {
                    secrets: sealSecrets(
                      api.platform.config.secrets,
                      input.secrets as Record<string, string>,
                    ),
                  }
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
        const body = serialize(row);
        c.header('location', `/v1/channels/${row.id}`);
        c.header('etag', etagOf(body));
        return c.json(body, 201);
      });
    },
  });
}
