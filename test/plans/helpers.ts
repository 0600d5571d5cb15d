/** What the plans tests share: a plan with chosen limits, a tenant on it, and problem checks. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform } from '../../src/platform/db/tenant.js';
import { plans, tenants } from '../../src/schema/tenants.js';
import { makeTenant, type TestTenant } from '../helpers/api.js';

/** A new plan with these limits; returns its slug. */
export async function makePlan(db: Database, limits: Record<string, number>): Promise<string> {
  const slug = `p-${randomBytes(4).toString('hex')}`;
  await withPlatform(db, (tx) => tx.insert(plans).values({ slug, name: `Plan ${slug}`, limits }));
  return slug;
}

/** A tenant (keys for every role) on a new plan with `limits`. */
export async function tenantOnPlan(
  db: Database,
  limits: Record<string, number>,
  fields: Partial<typeof tenants.$inferInsert> = {},
): Promise<TestTenant & { plan: string }> {
  const plan = await makePlan(db, limits);
  const t = await makeTenant(db);
  await withPlatform(db, async (tx) => {
    const [p] = await tx.select({ id: plans.id }).from(plans).where(eq(plans.slug, plan));
    await tx
      .update(tenants)
      .set({ planId: p!.id, ...fields })
      .where(eq(tenants.id, t.id));
  });
  return { ...t, plan };
}

/** Expects the response to be the quota problem for `limit`, with the figures given. */
export async function expectQuotaProblem(
  res: Response,
  expected: { limit: string; allowed: number; used: number; plan: string | null },
): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body)).toBe(403);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(body).toMatchObject({ type: '/problems/quota-exceeded', code: 'quota_exceeded', ...expected });
  expect(body.detail).toContain(String(expected.allowed));
  return body;
}
