/**
 * Authentication: `Authorization: Bearer <api key | session token>` → a `Principal` (tenant,
 * role, actor), then the plan's rate limits. The tenant comes from the credentials only, never
 * from the request body.
 *
 * An API key on an operation that runs in the request's transaction (most tenant operations) is
 * checked inside that transaction: BEGIN and `frontdesk_enter_with_key` go in one round trip
 * (the platform role finds the key, then the request role enters its tenant), and the rest of
 * the chain (role, validation, handler, audit) runs in it. Validity is read from the database on
 * every request, so a revoked key is refused at once by every process. What a process remembers
 * of a key (its tenant and id, which never change, and its last plan limit) only sizes the rate
 * counters, which are hit before the transaction opens: a counter row is locked while it is
 * bumped, and inside the transaction it would stay locked (and serialise a tenant) until COMMIT.
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import { corsOriginsOf, type ResolvedKey, resolveApiKey, touchApiKey } from '../domains/identity/api-keys.js';
import { resolveSession } from '../domains/identity/sessions.js';
import type { Role } from '../domains/identity/tables.js';
import { assertServing } from '../domains/plans/status.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/database.js';
import { type KeyEntry, withApiKey } from '../platform/db/tenant.js';
import { AppError } from '../platform/errors.js';
import { sha256 } from '../platform/hash.js';
import type { AppEnv } from '../platform/http/context.js';
import { hitPlanLimits, judgePlanLimits, setHeaders } from '../platform/http/plan-rate-limit.js';
import type { Principal } from '../platform/http/principal.js';
import type { RateCounter } from '../platform/http/rate-limit.js';

/** Requests per minute when a tenant has no plan (or its plan sets no limit). */
export const DEFAULT_RATE_LIMIT = 600;

/** RFC 6750: a 401 always says how to authenticate. */
export const WWW_AUTHENTICATE = 'Bearer realm="frontdesk"';
const INVALID_TOKEN = { headers: { 'www-authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"` } };
const KEY_RE = /^fd_([0-9a-f]{12})_[A-Za-z0-9_-]{32,64}$/;

const rateFrom = (limits: Record<string, number> | null) => limits?.requestsPerMinute ?? DEFAULT_RATE_LIMIT;
const invalidKey = () =>
  new AppError('unauthorized', 'the API key is invalid, revoked or expired', INVALID_TOKEN);

interface AuthPlatform {
  db: Database;
  clock: Clock;
}

function bearer(c: Context<AppEnv>): string {
  const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (!m)
    throw new AppError('unauthorized', 'send an API key or session token as `Authorization: Bearer …`', {
      headers: { 'www-authenticate': WWW_AUTHENTICATE },
    });
  return m[1]!;
}

async function sessionPrincipal(
  platform: AuthPlatform,
  c: Context<AppEnv>,
  token: string,
): Promise<Principal> {
  const session = await resolveSession(
    platform.db,
    token,
    c.req.header('frontdesk-tenant'),
    platform.clock.now(),
  );
  if (session === 'invalid')
    throw new AppError('unauthorized', 'the session is invalid or expired', INVALID_TOKEN);
  if (session === 'no_membership') throw new AppError('forbidden', 'you are not a member of any tenant');
  if (session === 'no_tenant') {
    throw new AppError(
      'bad_request',
      'you belong to several tenants: name one in the `Frontdesk-Tenant` header',
    );
  }
  if (session === 'not_member') throw new AppError('forbidden', 'you are not a member of that tenant');
  assertServing(session.subscriptionStatus);
  return {
    tenantId: session.tenantId,
    role: session.role,
    actor: { type: 'user', id: session.userId },
    rateLimitPerMinute: rateFrom(session.planLimits),
    corsOrigins: session.corsOrigins,
  };
}

const keyPrincipal = (key: ResolvedKey): Principal => ({
  tenantId: key.tenantId,
  role: key.role,
  actor: { type: 'api_key', id: key.keyId },
  keyId: key.keyId,
  rateLimitPerMinute: rateFrom(key.planLimits),
  corsOrigins: key.corsOrigins,
});

const entryPrincipal = (e: KeyEntry): Principal => ({
  tenantId: e.key_tenant,
  role: e.key_role as Role,
  actor: { type: 'api_key', id: e.key_id },
  keyId: e.key_id,
  rateLimitPerMinute: rateFrom(e.plan_limits),
  corsOrigins: corsOriginsOf(e.tenant_settings),
});

/** What a process remembers of keys it has seen, by the key's hash: who to count a hit against. */
class KnownKeys {
  readonly #byHash = new Map<string, Principal>();
  get(hash: string) {
    return this.#byHash.get(hash);
  }
  set(hash: string, p: Principal) {
    if (this.#byHash.size >= 10_000) this.#byHash.clear();
    this.#byHash.set(hash, p);
  }
}

export function authenticate(platform: AuthPlatform, limiter: RateCounter): MiddlewareHandler<AppEnv> {
  const known = new KnownKeys();
  /** Today's path: the credentials on the platform path, then the operation opens its own transaction. */
  const outside = async (c: Context<AppEnv>, next: Next, principal: Principal) => {
    c.set('principal', principal);
    const headers = judgePlanLimits(principal, await hitPlanLimits(limiter, principal));
    await next();
    setHeaders(c, headers);
  };
  return async (c, next) => {
    const credential = bearer(c);
    if (credential.startsWith('fds_'))
      return outside(c, next, await sessionPrincipal(platform, c, credential));
    const m = KEY_RE.exec(credential);
    if (!m) throw invalidKey();
    const hash = sha256(credential);
    const now = platform.clock.now();
    let seen = known.get(hash);
    if (!c.get('wantsRequestTx') || !seen) {
      // First sight of this key in this process (or an operation without the request's transaction).
      const key = await resolveApiKey(platform.db, credential, now);
      if (!key) throw invalidKey();
      assertServing(key.subscriptionStatus);
      seen = keyPrincipal(key);
      known.set(hash, seen);
      if (!c.get('wantsRequestTx')) {
        await touchApiKey(platform.db, key, now);
        return outside(c, next, seen);
      }
    }
    return inRequestTransaction(
      c,
      next,
      { platform, limiter, known },
      { prefix: m[1]!, hash, at: now, seen },
    );
  };
}

async function inRequestTransaction(
  c: Context<AppEnv>,
  next: Next,
  { platform, limiter, known }: { platform: AuthPlatform; limiter: RateCounter; known: KnownKeys },
  key: { prefix: string; hash: string; at: Date; seen: Principal },
): Promise<void> {
  const hits = await hitPlanLimits(limiter, key.seen);
  const rollback = new Error('rolled back: the response is an error');
  let headers: Record<string, string> = {};
  let used: KeyEntry | undefined;
  try {
    await withApiKey(platform.db, key, async (tx, entry) => {
      if (!entry) throw invalidKey();
      used = entry;
      assertServing(entry.subscription);
      const principal = entryPrincipal(entry);
      known.set(key.hash, principal);
      c.set('principal', principal);
      headers = judgePlanLimits(principal, hits);
      c.set('requestTx', tx);
      await next();
      c.set('requestTx', undefined);
      // Hono answered an error thrown further down already (c.error): undo the transaction.
      if (c.error) throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  setHeaders(c, headers);
  // The key's last use, at most once a minute, after the transaction (see migration 0021).
  if (used) {
    const lastUsedAt = used.key_last_used === null ? null : new Date(used.key_last_used);
    await touchApiKey(platform.db, { keyId: used.key_id, tenantId: used.key_tenant, lastUsedAt }, key.at);
  }
}
