/**
 * Which tenants a schedule tick looks at (table `schedule_wakeups`, migration 0019): one query
 * finds the tenants whose row is dirty (triggers mark it on every change to what decides their
 * schedule), whose `next_at` has passed, whose time zone changed, or that have no row yet. The
 * steady state, a minute with nothing due, is that one query and nothing else.
 *
 * A tick that looks at a tenant clears `dirty` (and sets `next_at` to -infinity, so a tick that
 * dies half-way is redone by the next) in the transaction that reads the schedule, and when done
 * writes the next moment to look, unless the row was marked dirty meanwhile.
 */
import { sql } from 'drizzle-orm';
import { type Database, rows, type Tx } from '../../platform/db/database.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import type { Tenant } from '../../schema/tenants.js';
import { CLAIM_LEASE_MS } from './schedule-claims.js';

export type ScheduleTenant = Pick<Tenant, 'id' | 'timezone' | 'subscriptionStatus'>;

/** The active tenants whose schedule may have something to do at `now`. */
export async function tenantsToLook(db: Database, now: Date): Promise<ScheduleTenant[]> {
  return withPlatform(db, (tx) =>
    rows<ScheduleTenant>(
      tx,
      // The idle tenants first (one scan of schedule_wakeups), then every other active tenant:
      // two tables that Citus keeps apart (tenants a reference table, schedule_wakeups
      // distributed) meet only through the materialized set.
      sql`WITH idle AS MATERIALIZED (
            SELECT tenant_id, timezone FROM schedule_wakeups
             WHERE NOT dirty AND next_at > ${now.toISOString()}::timestamptz)
          SELECT t.id, t.timezone, t.subscription_status AS "subscriptionStatus"
            FROM tenants t
           WHERE t.active
             AND NOT EXISTS (SELECT 1 FROM idle i WHERE i.tenant_id = t.id AND i.timezone = t.timezone)
           ORDER BY t.id`,
    ),
  );
}

/** Starts looking at the tenant of `tx` (call first in the transaction that reads its schedule). */
export async function beginLook(tx: Tx, tenantTimezone: string): Promise<void> {
  await tx.execute(
    sql`INSERT INTO schedule_wakeups (tenant_id, id, next_at, dirty, timezone)
        VALUES (current_tenant_id(), gen_random_uuid(), '-infinity', false, ${tenantTimezone})
        ON CONFLICT (tenant_id) DO UPDATE
          SET dirty = false, next_at = '-infinity', timezone = excluded.timezone`,
  );
}

/**
 * Ends the look: the tenant is next looked at `nextAt`, or when a claim's lease runs out if that
 * is sooner; nothing is written if a change marked the row dirty since `beginLook`.
 */
export async function finishLook(db: Database, tenantId: string, nextAt: Date): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx.execute(
      sql`UPDATE schedule_wakeups
             SET next_at = least(${nextAt.toISOString()}::timestamptz,
                                 (SELECT min(claimed_at) FROM scheduled_messages WHERE status = 'claimed')
                                   + ${CLAIM_LEASE_MS} * interval '1 millisecond')
           WHERE NOT dirty`,
    ),
  );
}

/** The next UTC midnight: the candidates' window (check-in dates near UTC today) moves on then. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}
