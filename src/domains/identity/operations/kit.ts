/** What the identity operations share: the role enum and the last-owner rule. */
import { and, eq, ne } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import { z } from '../../../platform/zod.js';
import { memberships, ROLES } from '../tables.js';

export const role = z.enum(ROLES);

/** The user behind a session, or null for an API key (`createdBy`, `invitedBy`). */
export const actingUserId = (actor: { type: string; id: string }): string | null =>
  actor.type === 'user' ? actor.id : null;

/**
 * A tenant keeps at least one owner: refuses (409) to demote or remove the last one. The other
 * owners' rows are locked, so two owners demoting each other at once cannot both succeed.
 */
export async function keepAnOwner(tx: Tx, leaving: Record<string, unknown>): Promise<void> {
  if (leaving.role !== 'owner') return;
  const others = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        // tenant_id as well as RLS: on Citus, a locking read must name its shard.
        eq(memberships.tenantId, leaving.tenantId as string),
        eq(memberships.role, 'owner'),
        ne(memberships.id, leaving.id as string),
      ),
    )
    .for('update');
  if (others.length === 0)
    throw new AppError('conflict', 'a tenant keeps at least one owner: make another member owner first');
}
