/**
 * User sessions: email + password (argon2id) → an opaque bearer token `fds_<secret>`, valid for
 * a fixed time. The user then acts in one tenant they are a member of, with that membership's role.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { sha256 } from '../../platform/hash.js';
import { plans, tenants } from '../../schema/tenants.js';
import { corsOriginsOf } from './api-keys.js';
import { verifyPassword } from './passwords.js';
import { memberships, type Role, userSessions, users } from './tables.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const TOKEN_RE = /^fds_[A-Za-z0-9_-]{43}$/;

/**
 * Returns a new session token (and whether its user is a platform admin), or null when the email
 * or password is wrong (never says which).
 */
export async function login(
  db: Database,
  email: string,
  password: string,
  now: Date,
): Promise<{ token: string; userId: string; expiresAt: Date; platformAdmin: boolean } | null> {
  const [user] = await withPlatform(db, (tx) =>
    tx
      .select({
        id: users.id,
        hash: users.passwordHash,
        status: users.status,
        platformAdmin: users.isPlatformAdmin,
      })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`),
  );
  // Verify against a fixed hash when there is no user, so timing does not reveal which emails exist.
  const ok = await verifyPassword(user?.hash ?? DUMMY_HASH, password);
  if (!user || !ok || user.status !== 'active') return null;
  const token = `fds_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await withPlatform(db, async (tx) => {
    await tx.insert(userSessions).values({ userId: user.id, tokenHash: sha256(token), expiresAt });
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
  });
  return { token, userId: user.id, expiresAt, platformAdmin: user.platformAdmin };
}

export async function logout(db: Database, token: string): Promise<void> {
  await withPlatform(db, (tx) => tx.delete(userSessions).where(eq(userSessions.tokenHash, sha256(token))));
}

export interface ResolvedSession {
  userId: string;
  tenantId: string;
  role: Role;
  planLimits: Record<string, number>;
  corsOrigins: string[];
  subscriptionStatus: string;
}

export type SessionResult = ResolvedSession | 'invalid' | 'no_membership' | 'no_tenant' | 'not_member';

/**
 * Resolves a session token and the tenant it acts in: `tenantHint` (id or slug, from the
 * `Frontdesk-Tenant` header) or, when absent, the user's only tenant.
 */
export async function resolveSession(
  db: Database,
  token: string,
  tenantHint: string | undefined,
  now: Date,
): Promise<SessionResult> {
  if (!TOKEN_RE.test(token)) return 'invalid';
  return withPlatform(db, async (tx) => {
    const [session] = await tx
      .select({ userId: userSessions.userId })
      .from(userSessions)
      .innerJoin(users, eq(users.id, userSessions.userId))
      .where(
        and(
          eq(userSessions.tokenHash, sha256(token)),
          gt(userSessions.expiresAt, now),
          eq(users.status, 'active'),
        ),
      );
    if (!session) return 'invalid';
    const rows = await tx
      .select({
        tenantId: tenants.id,
        slug: tenants.slug,
        role: memberships.role,
        limits: plans.limits,
        settings: tenants.settings,
        status: tenants.subscriptionStatus,
      })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .leftJoin(plans, eq(plans.id, tenants.planId))
      .where(and(eq(memberships.userId, session.userId), eq(tenants.active, true)));
    const chosen = tenantHint
      ? rows.find((r) => r.tenantId === tenantHint || r.slug === tenantHint)
      : rows.length === 1
        ? rows[0]
        : undefined;
    if (rows.length === 0) return 'no_membership';
    if (!chosen) return tenantHint ? 'not_member' : 'no_tenant';
    return {
      userId: session.userId,
      tenantId: chosen.tenantId,
      role: chosen.role,
      planLimits: chosen.limits ?? {},
      corsOrigins: corsOriginsOf(chosen.settings),
      subscriptionStatus: chosen.status,
    };
  });
}

/** An argon2id hash of a random string: verifying against it costs what a real check costs. */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$R9pMvDCu3lEKzqCBtP+NdIxxG/O1PbHQTApWTcYbK3k';

/** The user behind a session token when that user is a platform admin, else null. */
export async function resolvePlatformAdmin(
  db: Database,
  token: string,
  now: Date,
): Promise<{ userId: string } | null> {
  if (!TOKEN_RE.test(token)) return null;
  const [row] = await withPlatform(db, (tx) =>
    tx
      .select({ userId: users.id })
      .from(userSessions)
      .innerJoin(users, eq(users.id, userSessions.userId))
      .where(
        and(
          eq(userSessions.tokenHash, sha256(token)),
          gt(userSessions.expiresAt, now),
          eq(users.isPlatformAdmin, true),
          eq(users.status, 'active'),
        ),
      ),
  );
  return row ?? null;
}
