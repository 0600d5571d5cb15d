/**
 * Seed rules of the ops domain: usage events (seed 001), idempotency keys, outgoing webhooks
 * (seed 004) and the global inbound-event table that makes provider webhooks idempotent (seed
 * 003's webhook_events). The append-only audit log is in audit-log.test.ts.
 */
import { beforeAll, describe, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  expectRejected,
  insertIn,
  type RowOf,
  SQLSTATE as S,
  type TenantOwned,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { idempotencyKeys } from '../../platform/http/tables.js';
import {
  INBOUND_EVENT_STATUSES,
  inboundEvents,
  usageEvents,
  WEBHOOK_DELIVERY_STATUSES,
  webhookDeliveries,
  webhookEndpoints,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
});

const reject = <T extends TenantOwned>(table: T, values: RowOf<T>, code: string, constraint?: string) =>
  expectInsertRejected(t.db, A, table, values, code, constraint);

describe('usage events (seed 001)', () => {
  const usage = (extra: Partial<typeof usageEvents.$inferInsert> = {}) => ({
    eventType: 'llm.completion',
    ...extra,
  });

  it('event type is a dotted lowercase name; token counts and cost are non-negative', async () => {
    for (const eventType of ['llm.completion', 'embedding', 'message.outbound_sms']) {
      await insertIn(t.db, A, usageEvents, usage({ eventType, tokensTotal: 1200, costMicros: 1_500 }));
    }
    for (const eventType of ['LLM Call', '.x', 'a..b', '']) {
      await reject(usageEvents, usage({ eventType }), S.checkViolation, 'usage_events_event_type_check');
    }
    for (const [key, name] of [
      ['tokensInput', 'tokens_input'],
      ['tokensOutput', 'tokens_output'],
      ['tokensTotal', 'tokens_total'],
    ] as const) {
      await reject(usageEvents, usage({ [key]: -1 }), S.checkViolation, `usage_events_${name}_check`);
    }
    await reject(usageEvents, usage({ costMicros: -1 }), S.checkViolation, 'usage_events_cost_check');
    await reject(usageEvents, usage({ costMicros: 0.5 }), S.invalidTextRepresentation);
  });
});

describe('idempotency keys', () => {
  const key = (extra: Partial<typeof idempotencyKeys.$inferInsert> = {}) => ({
    key: uniq('idem'),
    method: 'POST',
    path: '/v1/messages',
    requestHash: 'h',
    expiresAt: new Date(Date.now() + 86_400_000),
    ...extra,
  });

  it('a key is unique per tenant, 1–255 characters; a completed key stores its response status', async () => {
    await insertIn(t.db, A, idempotencyKeys, key({ key: 'k1' }));
    await reject(idempotencyKeys, key({ key: 'k1' }), S.uniqueViolation, 'idempotency_keys_tenant_key_key');
    await insertIn(t.db, B, idempotencyKeys, key({ key: 'k1' }));
    for (const k of ['', 'k'.repeat(256)]) {
      await reject(idempotencyKeys, key({ key: k }), S.checkViolation, 'idempotency_keys_key_check');
    }
    await reject(
      idempotencyKeys,
      key({ status: 'completed' }),
      S.checkViolation,
      'idempotency_keys_completed_check',
    );
    await insertIn(t.db, A, idempotencyKeys, key({ status: 'completed', responseStatus: 201 }));
  });
});

describe('outgoing webhooks (seed 004)', () => {
  const endpoint = (extra: Partial<typeof webhookEndpoints.$inferInsert> = {}) => ({
    url: 'https://hooks.example.test/frontdesk',
    secret: 'whsec_test',
    ...extra,
  });

  it('an endpoint has an http(s) URL, a secret, and a disabled reason only when disabled', async () => {
    await reject(
      webhookEndpoints,
      endpoint({ url: 'ftp://example.test' }),
      S.checkViolation,
      'webhook_endpoints_url_check',
    );
    await reject(
      webhookEndpoints,
      endpoint({ disabledReason: 'x' }),
      S.checkViolation,
      'webhook_endpoints_disabled_check',
    );
    await reject(
      webhookEndpoints,
      endpoint({ failureCount: -1 }),
      S.checkViolation,
      'webhook_endpoints_failure_count_check',
    );
    await insertIn(
      t.db,
      A,
      webhookEndpoints,
      endpoint({ status: 'disabled', disabledReason: 'too many failures' }),
    );
    await expectNotNull(t.db, A, webhookEndpoints, () => endpoint(), ['url', 'secret']);
  });

  it('an event is delivered once per endpoint; deliveries follow their status and stay in the tenant', async () => {
    const epA = (await insertIn(t.db, A, webhookEndpoints, endpoint())).id;
    const epB = (await insertIn(t.db, B, webhookEndpoints, endpoint())).id;
    const delivery = (extra: Partial<typeof webhookDeliveries.$inferInsert> = {}) => ({
      endpointId: epA,
      eventType: 'conversation.created',
      eventId: uniq('evt'),
      payload: { id: 'c1' },
      ...extra,
    });
    await insertIn(t.db, A, webhookDeliveries, delivery({ eventId: 'evt_1' }));
    await reject(
      webhookDeliveries,
      delivery({ eventId: 'evt_1' }),
      S.uniqueViolation,
      'webhook_deliveries_endpoint_event_key',
    );
    await expectEnum(t.db, A, {
      table: webhookDeliveries,
      column: 'status',
      values: WEBHOOK_DELIVERY_STATUSES,
      row: (v) => delivery({ status: v as never, deliveredAt: v === 'succeeded' ? new Date() : null }),
      constraint: 'webhook_deliveries_status_check',
    });
    await reject(
      webhookDeliveries,
      delivery({ status: 'succeeded' }),
      S.checkViolation,
      'webhook_deliveries_delivered_check',
    );
    for (const responseStatus of [99, 600]) {
      await reject(
        webhookDeliveries,
        delivery({ responseStatus }),
        S.checkViolation,
        'webhook_deliveries_response_status_check',
      );
    }
    await reject(
      webhookDeliveries,
      delivery({ endpointId: epB }),
      S.foreignKeyViolation,
      'webhook_deliveries_endpoint_fk',
    );
  });
});

describe('inbound events (seed 003 webhook_events, global)', () => {
  const event = (extra: Partial<typeof inboundEvents.$inferInsert> = {}) => ({
    provider: 'twilio',
    eventId: uniq('SM'),
    eventType: 'message.received',
    ...extra,
  });
  const insert = (values: typeof inboundEvents.$inferInsert) => () =>
    withPlatform(t.db, (tx) => tx.insert(inboundEvents).values(values));

  it('(provider, event_id) is unique: a redelivered event is refused, the same id from another provider is not', async () => {
    await insert(event({ eventId: 'SM123' }))();
    await expectRejected(
      t.db,
      inboundEvents,
      insert(event({ eventId: 'SM123' })),
      S.uniqueViolation,
      'inbound_events_provider_event_key',
    );
    await insert(event({ provider: 'telegram', eventId: 'SM123' }))();
  });

  it('status is a closed list; provider, event id and type are required', async () => {
    for (const status of INBOUND_EVENT_STATUSES) await insert(event({ status }))();
    await expectRejected(
      t.db,
      inboundEvents,
      insert(event({ status: 'lost' as never })),
      S.checkViolation,
      'inbound_events_status_check',
    );
    for (const key of ['provider', 'eventId', 'eventType'] as const) {
      await expectRejected(
        t.db,
        inboundEvents,
        insert({ ...event(), [key]: null as never }),
        S.notNullViolation,
      );
    }
  });

  it('is written on the platform path only: the request role can neither write nor read it', async () => {
    await expectRejected(
      t.db,
      inboundEvents,
      () => withTenant(t.db, A, (tx) => tx.insert(inboundEvents).values(event())),
      S.insufficientPrivilege,
    );
    await expectRejected(
      t.db,
      inboundEvents,
      () => withTenant(t.db, A, (tx) => tx.select().from(inboundEvents)),
      S.insufficientPrivilege,
    );
  });
});
