/**
 * `frontdesk seed --demo`: one demo tenant per seed system (DESIGN.md, "The five seed systems as
 * demo tenants"), with realistic, deterministic data.
 *
 * Global rows (plans, agent templates, users) go through the platform path; each tenant row is
 * created there too, and everything the tenant owns is written inside `withTenant`, so Row Level
 * Security checks every demo row exactly as it checks a request's. Idempotent: a tenant whose
 * slug exists is skipped whole, and global rows are inserted only when their natural key is free.
 */
import { count, eq, inArray } from 'drizzle-orm';
import { memberships } from '../domains/identity/tables.js';
import type { Database } from '../platform/db/database.js';
import { withPlatform, withTenant } from '../platform/db/tenant.js';
import { auditLog } from '../platform/http/tables.js';
import { tenants } from '../schema/tenants.js';
import { agency } from './agency.js';
import { ensureGlobals } from './catalog.js';
import { daysAgo, plusMinutes, stamp } from './clock.js';
import { coaching } from './coaching.js';
import { type DemoTenant, makeContext, type StaffRole, staffEmail } from './context.js';
import { hospitality } from './hospitality.js';
import { demoId, Rng } from './ids.js';
import { success } from './success.js';
import { widget } from './widget.js';

export { ADMIN_EMAIL, DEMO_PASSWORD } from './catalog.js';

export const DEMO_TENANTS: readonly DemoTenant[] = [coaching, hospitality, agency, success, widget];

export interface TenantSeedResult {
  slug: string;
  name: string;
  status: 'created' | 'skipped';
  /** Rows written per table (empty when skipped). */
  rows: Record<string, number>;
}

export interface SeedSummary {
  /** Global rows inserted by this run. */
  global: { plans: number; agentTemplates: number; users: number };
  tenants: TenantSeedResult[];
}

const TENANT_CREATED = daysAgo(200);

/** Loads the demo data; see the module comment. */
export async function seedDemo(db: Database): Promise<SeedSummary> {
  const people = DEMO_TENANTS.flatMap((t) =>
    t.staff.map((s) => ({ email: staffEmail(s.role, t.slug), name: s.name })),
  );
  const globals = await ensureGlobals(db, people);
  // Skip existing tenants without trying to insert them: the insert would fire the tenants'
  // time zone check (a scan of pg_timezone_names) only to be discarded by ON CONFLICT.
  const existing = await withPlatform(db, (tx) =>
    tx
      .select({ slug: tenants.slug })
      .from(tenants)
      .where(
        inArray(
          tenants.slug,
          DEMO_TENANTS.map((t) => t.slug),
        ),
      ),
  );
  const skip = new Set(existing.map((t) => t.slug));
  const results: TenantSeedResult[] = [];
  for (const demo of DEMO_TENANTS) {
    results.push(
      skip.has(demo.slug)
        ? { slug: demo.slug, name: demo.tenant.name, status: 'skipped', rows: {} }
        : await seedTenant(db, demo, globals),
    );
  }
  return { global: globals.created, tenants: results };
}

/** Seeds the demo when the database has no tenant at all (a fresh embedded data folder). */
export async function seedDemoIfEmpty(db: Database): Promise<SeedSummary | null> {
  const [row] = await withPlatform(db, (tx) => tx.select({ n: count() }).from(tenants));
  return row && row.n > 0 ? null : seedDemo(db);
}

async function seedTenant(
  db: Database,
  demo: DemoTenant,
  globals: Awaited<ReturnType<typeof ensureGlobals>>,
): Promise<TenantSeedResult> {
  const name = demo.tenant.name;
  const tenantId = demoId(`tenant:${demo.slug}`, TENANT_CREATED);
  const created = await withPlatform(db, (tx) =>
    tx
      .insert(tenants)
      .values({
        ...demo.tenant,
        id: tenantId,
        slug: demo.slug,
        planId: globals.planIds[demo.plan] ?? null,
        ...stamp(TENANT_CREATED),
      })
      .onConflictDoNothing()
      .returning({ id: tenants.id }),
  );
  if (created.length === 0) return { slug: demo.slug, name, status: 'skipped', rows: {} };

  try {
    const rows = await withTenant(db, tenantId, async (tx) => {
      const staff = {} as Record<StaffRole, string>;
      for (const s of demo.staff) staff[s.role] = globals.userIds[staffEmail(s.role, demo.slug)]!;
      const ctx = makeContext(tx, tenantId, demo.slug, staff, globals.templateIds, new Rng(demo.slug));
      await ctx.write.insert(
        memberships,
        demo.staff.map((s, i) => {
          const at = plusMinutes(TENANT_CREATED, 10 + i * 90);
          return {
            id: ctx.id(`membership:${s.role}`, at),
            userId: staff[s.role],
            role: s.role,
            ...stamp(at),
          };
        }),
      );
      await demo.populate(ctx);
      const at = plusMinutes(TENANT_CREATED, 1);
      await ctx.write.insert(auditLog, [
        {
          id: ctx.id('audit:tenant.created', at),
          actorType: 'system',
          action: 'tenant.created',
          resourceType: 'tenant',
          resourceId: tenantId,
          newValues: { slug: demo.slug, name, source: 'frontdesk seed --demo' },
          createdAt: at,
        },
      ]);
      return ctx.write.counts;
    });
    return { slug: demo.slug, name, status: 'created', rows: { tenants: 1, ...rows } };
  } catch (error) {
    // The tenant row and its data are written in two transactions (platform, then tenant);
    // undo the first so the next run does not skip a half-made tenant.
    await withPlatform(db, (tx) => tx.delete(tenants).where(eq(tenants.id, tenantId)));
    throw error;
  }
}
