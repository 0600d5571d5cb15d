/**
 * Approval expiry (seed 002): a pending approval whose `expires_at` has passed becomes
 * `expired` (resolved at the moment it was expired), so its draft can no longer be approved
 * and is never sent — the responder delivers only approved or edited drafts, and the approval
 * routes refuse to decide anything that is not pending.
 */
import { and, eq, lte } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Platform } from '../../platform/jobs.js';
import { activeTenants } from '../tenancy/lookup.js';
import { approvals } from './tables.js';

/** Expires the tenant's pending approvals due at `now`; returns their ids. */
export async function expireApprovals(tx: Tx, now: Date): Promise<string[]> {
  const expired = await tx
    .update(approvals)
    .set({ status: 'expired', resolvedAt: now })
    .where(and(eq(approvals.status, 'pending'), lte(approvals.expiresAt, now)))
    .returning({ id: approvals.id });
  return expired.map((a) => a.id);
}

/** The expiry sweep over every active tenant (the `conversations.expire-approvals` job). */
export async function runApprovalExpiry(platform: Platform): Promise<number> {
  const now = platform.clock.now();
  let count = 0;
  for (const tenant of await activeTenants(platform.db)) {
    count += (await withTenant(platform.db, tenant.id, (tx) => expireApprovals(tx, now))).length;
  }
  return count;
}
