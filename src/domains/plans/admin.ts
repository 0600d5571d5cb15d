/**
 * Platform work on a tenant's subscription: its status, its plan, its trial. Each change is one
 * transaction on the platform path that also writes the tenant's audit log (`tenant.status`,
 * `tenant.plan`, `tenant.trial`), naming who did it: a platform admin (user), or the CLI or the
 * trial job (system). Called by `PATCH /v1/platform/tenants/{id}`, `frontdesk tenants
 * suspend|resume|set-plan` and the daily `plans.trials` tick.
 */
import { and, eq, lte } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database.js';
import { UUID_RE, withPlatform } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { auditLog } from '../../platform/http/tables.js';
import { plans, type SubscriptionStatus, type Tenant, tenants } from '../../schema/tenants.js';

export interface PlatformActor {
  type: 'user' | 'system';
  /** The platform admin's user id; null for the CLI and jobs. */
  id: string | null;
  /** Where the change came from, recorded in the audit entry (`cli`, `api`, `trials`). */
  via: string;
}

export interface SubscriptionChange {
  plan?: string;
  subscriptionStatus?: SubscriptionStatus;
  trialEndsAt?: Date | null;
}

/** The tenant by id or slug, locked for the change; not_found otherwise. */
async function lockTenant(tx: Tx, idOrSlug: string): Promise<Tenant> {
  const [row] = await tx
    .select()
    .from(tenants)
    .where(UUID_RE.test(idOrSlug) ? eq(tenants.id, idOrSlug) : eq(tenants.slug, idOrSlug.toLowerCase()))
    .for('update');
  if (!row) throw new AppError('not_found', `no tenant "${idOrSlug}"`);
  return row;
}

async function record(
  tx: Tx,
  tenantId: string,
  actor: PlatformActor,
  action: string,
  oldValues: Record<string, unknown>,
  newValues: Record<string, unknown>,
) {
  await tx.insert(auditLog).values({
    tenantId,
    actorType: actor.type,
    actorId: actor.id,
    action,
    resourceType: 'tenants',
    resourceId: tenantId,
    oldValues,
    newValues: { ...newValues, via: actor.via },
  });
}

/**
 * Changes a tenant's plan (by slug), status and/or trial end; audits each change; returns the
 * tenant as it is now. A downgrade keeps every existing row: quotas only block new creation.
 * @example await changeSubscription(db, 'acme', { plan: 'starter' }, { type: 'system', id: null, via: 'cli' })
 */
export async function changeSubscription(
  db: Database,
  idOrSlug: string,
  change: SubscriptionChange,
  actor: PlatformActor,
): Promise<Tenant> {
  return withPlatform(db, async (tx) => {
    const before = await lockTenant(tx, idOrSlug);
    const set: Partial<Tenant> = {};
    if (change.plan !== undefined) {
      const [plan] = await tx.select().from(plans).where(eq(plans.slug, change.plan));
      if (!plan) {
        throw new AppError('validation_failed', 'unknown plan', {
          errors: [{ path: 'plan', message: `no plan "${change.plan}"` }],
        });
      }
      if (plan.id !== before.planId) {
        const [old] = before.planId ? await tx.select().from(plans).where(eq(plans.id, before.planId)) : [];
        set.planId = plan.id;
        await record(tx, before.id, actor, 'tenant.plan', { plan: old?.slug ?? null }, { plan: plan.slug });
      }
    }
    if (change.subscriptionStatus && change.subscriptionStatus !== before.subscriptionStatus) {
      set.subscriptionStatus = change.subscriptionStatus;
      await record(
        tx,
        before.id,
        actor,
        'tenant.status',
        { subscriptionStatus: before.subscriptionStatus },
        { subscriptionStatus: change.subscriptionStatus },
      );
    }
    if (change.trialEndsAt !== undefined && change.trialEndsAt?.getTime() !== before.trialEndsAt?.getTime()) {
      set.trialEndsAt = change.trialEndsAt;
      await record(
        tx,
        before.id,
        actor,
        'tenant.trial',
        { trialEndsAt: before.trialEndsAt?.toISOString() ?? null },
        { trialEndsAt: change.trialEndsAt?.toISOString() ?? null },
      );
    }
    if (Object.keys(set).length === 0) return before;
    const [after] = await tx.update(tenants).set(set).where(eq(tenants.id, before.id)).returning();
    return after!;
  });
}

/**
 * Moves every `trialing` tenant whose `trial_ends_at` has passed (at `now`) to `past_due`, audited
 * as the system; the platform then sets `active` (paid) or `suspended`/`canceled`. Idempotent: a
 * moved tenant is no longer trialing. Returns the slugs moved.
 */
export async function expireTrials(db: Database, now: Date): Promise<string[]> {
  return withPlatform(db, async (tx) => {
    const moved = await tx
      .update(tenants)
      .set({ subscriptionStatus: 'past_due' })
      .where(and(eq(tenants.subscriptionStatus, 'trialing'), lte(tenants.trialEndsAt, now)))
      .returning({ id: tenants.id, slug: tenants.slug, trialEndsAt: tenants.trialEndsAt });
    for (const t of moved) {
      await record(
        tx,
        t.id,
        { type: 'system', id: null, via: 'trials' },
        'tenant.status',
        { subscriptionStatus: 'trialing', trialEndsAt: t.trialEndsAt?.toISOString() ?? null },
        { subscriptionStatus: 'past_due' },
      );
    }
    return moved.map((t) => t.slug);
  });
}
