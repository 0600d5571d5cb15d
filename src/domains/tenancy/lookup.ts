/**
 * Finding a tenant before there is a tenant context: by slug (white-label URLs), by host name
 * (custom domains), by id, and the tenants a user belongs to. These run on the explicit platform
 * path, since resolving the tenant is exactly what a request cannot do from inside one.
 * They return the row whether or not the tenant is active; callers decide what inactive means.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.js';
import { UUID_RE, withPlatform } from '../../platform/db/tenant.js';
import { type Tenant, tenants } from '../../schema/tenants.js';
import { memberships, type Role } from '../identity/tables.js';

/**
 * The tenant with this slug (slugs are lower case; the input is trimmed and lower-cased).
 * @example await tenantBySlug(db, 'leadingwithmeaning')
 */
export async function tenantBySlug(db: Database, slug: string): Promise<Tenant | null> {
  const wanted = slug.trim().toLowerCase();
  if (!wanted) return null;
  const [row] = await withPlatform(db, (tx) =>
    tx.select().from(tenants).where(eq(tenants.slug, wanted)).limit(1),
  );
  return row ?? null;
}

/** A Host header value as a bare host name: lower case, no port, no trailing dot. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h; // IPv6 literal: never a tenant domain
  h = h.replace(/:\d+$/, '');
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * The tenant serving this host: its `custom_domain` or its `domain`, compared case-insensitively
 * (a port or trailing dot in a Host header is ignored). A custom domain is unique and wins over a
 * `domain`, which is not unique; among tenants sharing a `domain` the oldest wins.
 * @example await tenantByDomain(db, 'Assess.LeadingWithMeaning.com:443')
 */
export async function tenantByDomain(db: Database, host: string): Promise<Tenant | null> {
  const h = normalizeHost(host);
  if (!h) return null;
  const [row] = await withPlatform(db, (tx) =>
    tx
      .select()
      .from(tenants)
      .where(sql`lower(${tenants.customDomain}) = ${h} or lower(${tenants.domain}) = ${h}`)
      .orderBy(
        sql`(lower(${tenants.customDomain}) = ${h}) is true desc`,
        asc(tenants.createdAt),
        asc(tenants.id),
      )
      .limit(1),
  );
  return row ?? null;
}

/** The tenant with this id; null for an unknown or malformed id. */
export async function tenantById(db: Database, id: string): Promise<Tenant | null> {
  if (!UUID_RE.test(id)) return null;
  const [row] = await withPlatform(db, (tx) => tx.select().from(tenants).where(eq(tenants.id, id)).limit(1));
  return row ?? null;
}

export interface TenantMembership {
  tenant: Tenant;
  role: Role;
}

/** Every tenant the user is a member of, with their role there, by tenant name. */
export async function tenantsOfUser(db: Database, userId: string): Promise<TenantMembership[]> {
  if (!UUID_RE.test(userId)) return [];
  const rows = await withPlatform(db, (tx) =>
    tx
      .select({ tenant: tenants, role: memberships.role })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(tenants.name), asc(tenants.id)),
  );
  return rows;
}

/**
 * Every active tenant with its time zone, settings and subscription status (recurring jobs walk
 * them one by one; those that reach outside skip stopped tenants: plans/status.ts).
 */
export async function activeTenants(
  db: Database,
): Promise<Array<Pick<Tenant, 'id' | 'timezone' | 'settings' | 'subscriptionStatus'>>> {
  return withPlatform(db, (tx) =>
    tx
      .select({
        id: tenants.id,
        timezone: tenants.timezone,
        settings: tenants.settings,
        subscriptionStatus: tenants.subscriptionStatus,
      })
      .from(tenants)
      .where(eq(tenants.active, true))
      .orderBy(tenants.id),
  );
}
