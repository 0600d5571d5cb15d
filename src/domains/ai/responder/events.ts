/**
 * Stand-in for `emitEvent` (src/domains/ops/events.ts, issue 7): records one webhook delivery per
 * subscribed active endpoint inside the caller's transaction, as the contract says. Deleted when
 * the channels branch is merged; callers keep the same signature.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import { webhookDeliveries, webhookEndpoints } from '../../ops/tables.js';

export async function emitEvent(
  tx: Tx,
  tenantId: string,
  type: string,
  data: object,
  options: { at?: Date } = {},
): Promise<void> {
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.status, 'active'),
        sql`(cardinality(${webhookEndpoints.events}) = 0 OR ${webhookEndpoints.events} && ARRAY[${type}, '*']::text[])`,
      ),
    );
  if (endpoints.length === 0) return;
  const eventId = `msg_${randomBytes(16).toString('base64url')}`;
  const payload = { type, timestamp: (options.at ?? new Date()).toISOString(), data };
  await tx
    .insert(webhookDeliveries)
    .values(endpoints.map((e) => ({ tenantId, endpointId: e.id, eventType: type, eventId, payload })));
}
