/**
 * Releasing held replies when they are due by the platform clock (the `responder.release` job).
 * A hold is claimed (pending → released) before the answer is composed, so two workers never
 * answer it twice; if answering fails the claim is undone and the job retried.
 */
import { and, eq, lte, type SQL } from 'drizzle-orm';
import { withTenant } from '../../../platform/db/tenant.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import type { Outcome, ResponderDeps } from './outcome.js';
import { respond } from './respond.js';
import { replyHolds } from './tables.js';

/** Releases the due holds of a tenant (or the one named); returns what each release did. */
export async function releaseDueHolds(
  platform: AppPlatform,
  deps: ResponderDeps,
  tenantId: string,
  holdId?: string,
): Promise<Outcome[]> {
  const now = platform.clock.now();
  const conds: SQL[] = [eq(replyHolds.status, 'pending'), lte(replyHolds.dueAt, now)];
  if (holdId) conds.push(eq(replyHolds.id, holdId));
  const claimed = await withTenant(platform.db, tenantId, (tx) =>
    tx
      .update(replyHolds)
      .set({ status: 'released', outcome: 'releasing', resolvedAt: now, updatedAt: now })
      .where(and(...conds))
      .returning(),
  );
  const outcomes: Outcome[] = [];
  for (const hold of claimed) {
    try {
      outcomes.push(await respond(platform, deps, tenantId, hold.conversationId, hold.messageId, hold.id));
    } catch (error) {
      await withTenant(platform.db, tenantId, (tx) =>
        tx
          .update(replyHolds)
          .set({ status: 'pending', outcome: null, resolvedAt: null })
          .where(eq(replyHolds.id, hold.id)),
      );
      throw error;
    }
  }
  return outcomes;
}
