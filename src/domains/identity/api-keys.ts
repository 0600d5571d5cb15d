/**
 * API keys: `fd_<prefix>_<secret>`. The prefix (12 hex chars) finds the key; the SHA-256 of the
 * whole key proves it. The key itself exists only in the response that created it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { sha256 } from '../../platform/hash.js';
import { plans, tenants } from '../../schema/tenants.js';
import { apiKeys, type Role } from './tables.js';

const KEY_RE = /^fd_([0-9a-f]{12})_([A-Za-z0-9_-]{32,64})$/;

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('hex');
  const key = `fd_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

/** Creates a key inside the tenant's transaction; returns the row and the key (shown once). */
export async function createApiKey(
  tx: Tx,
  tenantId: string,
  input: { name: string; role: Role; scopes?: string[]; expiresAt?: Date | null; createdBy?: string | null },
) {
  const { key, prefix, hash } = generateApiKey();
  const [row] = await tx
    .insert(apiKeys)
    .values({
      tenantId,
      name: input.name,
      role: input.role,
      scopes: input.scopes ?? [],
      expiresAt: input.expiresAt ?? null,
      createdBy: input.createdBy ?? null,
      prefix,
      keyHash: hash,
    })
    .returning();
  return { row: row!, key };
}

export interface ResolvedKey {
  keyId: string;
  tenantId: string;
  role: Role;
  scopes: string[];
  lastUsedAt: Date | null;
  planLimits: Record<string, number>;
  corsOrigins: string[];
  expiresAt: Date | null;
  /** The tenant's subscription status (a stopped tenant's keys are refused: plans/status.ts). */
  subscriptionStatus: string;
}

/** A tenant's allowed browser origins, from its settings. */
export function corsOriginsOf(settings: Record<string, unknown> | null | undefined): string[] {
  const origins = settings?.corsOrigins;
  return Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string') : [];
}

/** Finds the tenant and role of a presented key (platform path), or null when it is not valid. */
export async function resolveApiKey(db: Database, presented: string, now: Date): Promise<ResolvedKey | null> {
  const m = KEY_RE.exec(presented);
  if (!m) return null;
  const candidates = await withPlatform(db, (tx) =>
    tx
      .select({
        key: apiKeys,
        active: tenants.active,
        settings: tenants.settings,
        limits: plans.limits,
        status: tenants.subscriptionStatus,
      })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .leftJoin(plans, eq(plans.id, tenants.planId))
      .where(and(eq(apiKeys.prefix, m[1]!), isNull(apiKeys.revokedAt))),
  );
  const presentedHash = Buffer.from(sha256(presented), 'hex');
  for (const c of candidates) {
    if (!timingSafeEqual(presentedHash, Buffer.from(c.key.keyHash, 'hex'))) continue;
    if (!c.active) return null;
    if (c.key.expiresAt && c.key.expiresAt.getTime() <= now.getTime()) return null;
    return {
      keyId: c.key.id,
      tenantId: c.key.tenantId,
      role: c.key.role,
      scopes: c.key.scopes,
      lastUsedAt: c.key.lastUsedAt,
      planLimits: c.limits ?? {},
      corsOrigins: corsOriginsOf(c.settings),
      expiresAt: c.key.expiresAt,
      subscriptionStatus: c.status,
    };
  }
  return null;
}

/** Records use, at most once a minute per key (a write per request would cost more than the request). */
export async function touchApiKey(
  db: Database,
  key: Pick<ResolvedKey, 'keyId' | 'tenantId' | 'lastUsedAt'>,
  now: Date,
): Promise<void> {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < 60_000) return;
  await withPlatform(db, (tx) =>
    tx
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.tenantId, key.tenantId), eq(apiKeys.id, key.keyId))),
  );
}
