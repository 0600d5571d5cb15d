/**
 * Refreshing account health scores (seed 002): `account_health_score(account_id)` (migration
 * 0004) recomputes and stores each score; this runs it for every account of a tenant and
 * reports each score before and after, which is what the churn check compares.
 *
 * The function's 30-day engagement window is measured with the database's `now()`, not the
 * platform clock: it predates the clock and lives in a migration that is not edited.
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';

export interface HealthChange {
  accountId: string;
  name: string;
  previous: number | null;
  current: number;
}

/**
 * Recomputes every account's health score in the tenant's transaction (each row stays locked
 * until it commits, so a concurrent refresh waits); returns the changes, accounts in id order.
 */
export async function refreshAccountHealth(tx: Tx): Promise<HealthChange[]> {
  // The outer SELECT reads `health_score` before the function replaces it.
  return rows<HealthChange>(
    tx,
    sql`SELECT a.id AS "accountId", a.name, a.health_score AS previous,
               account_health_score(a.id) AS current
          FROM accounts a ORDER BY a.id`,
  );
}
