/**
 * Authentication: `Authorization: Bearer <api key | session token>` → a `Principal` (tenant,
 * role, actor), then the plan's rate limits. The tenant comes from the credentials only, never
 * from the request body.
 *
 * An API key or a session on an operation that runs in the request's transaction (most tenant
 * operations) is checked inside that transaction: BEGIN and `frontdesk_enter_with_key` (or
 * `frontdesk_enter_with_session`) go in one round trip (the platform role finds the credential,
 * then the request role enters its tenant), and the rest of the chain (role, validation, handler,
 * audit) runs in it. Validity is read from the database on every request, so a revoked key or an
 * ended session is refused at once by every process. What a process remembers of a credential
 * (its tenant, and its last plan limit) only sizes the rate counters, which are hit before the
 * transaction opens: a counter row is locked while it is bumped, and inside the transaction it
 * would stay locked (and serialise a tenant) until COMMIT. The first request of a credential in a
 * process, and operations outside the request's transaction, resolve it on the platform path.
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import { corsOriginsOf, type ResolvedKey, resolveApiKey, touchApiKey } from '../domains/identity/api-keys.js';
import { resolveSession } from '../domains/identity/sessions.js';
import type { Role } from '../domains/identity/tables.js';
import { assertServing } from '../domains/plans/status.js';
import type { Clock } from '../platform/clock.js';
import type { Database, Tx } from '../platform/db/database.js';
import {
  type KeyEntry,
  type SessionEntry,
  UUID_RE,
  withApiKey,
  withApiKeyLazily,
  withSession,
  withSessionLazily,
} from '../platform/db/tenant.js';
import { AppError } from '../platform/errors.js';
import { sha256 } from '../platform/hash.js';
import type { AppEnv } from '../platform/http/context.js';
import { hitPlanLimits, judgePlanLimits, setHeaders } from '../platform/http/plan-rate-limit.js';
import { atLeast, type Principal, requireRole } from '../platform/http/principal.js';
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

/** Why a session names no tenant: `withSession`'s outcomes but `entered` (resolveSession's refusals too). */
type SessionOutcome = Exclude<SessionEntry['outcome'], 'entered'>;

/** The error each way a session can fail to name a tenant answers with. */
function sessionRefused(outcome: SessionOutcome): AppError {
  switch (outcome) {
    case 'invalid':
      return new AppError('unauthorized', 'the session is invalid or expired', INVALID_TOKEN);
    case 'no_membership':
      return new AppError('forbidden', 'you are not a member of any tenant');
    case 'no_tenant':
      return new AppError(
        'bad_request',
        'you belong to several tenants: name one in the `Frontdesk-Tenant` header',
      );
    case 'not_member':
      return new AppError('forbidden', 'you are not a member of that tenant');
  }
}

async function sessionPrincipal(
  platform: AuthPlatform,
  c: Context<AppEnv>,
  token: string,
): Promise<Principal> {
  const session = await resolveSession(
    platform.db,
    token,
    c.req.header('frontdesk-tenant') || undefined,
    platform.clock.now(),
  );
  if (typeof session === 'string') throw sessionRefused(session);
  assertServing(session.subscriptionStatus);
  return {
    tenantId: session.tenantId,
    role: session.role,
    actor: { type: 'user', id: session.userId },
    rateLimitPerMinute: rateFrom(session.planLimits),
    corsOrigins: session.corsOrigins,
  };
}

/** The principal of a session `withSession` entered; the refusal when it did not. */
function sessionEntryPrincipal(e: SessionEntry): Principal {
  if (e.outcome !== 'entered') throw sessionRefused(e.outcome);
  assertServing(e.subscription!);
  return {
    tenantId: e.session_tenant!,
    role: e.member_role as Role,
    actor: { type: 'user', id: e.session_user_id! },
    rateLimitPerMinute: rateFrom(e.plan_limits),
    corsOrigins: corsOriginsOf(e.tenant_settings),
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

/**
 * What a process remembers of credentials it has seen (a key by its hash; a session by its hash
 * and the tenant it names): who to count a hit against.
 */
class KnownCredentials {
  readonly #byKey = new Map<string, Principal>();
  get(key: string) {
    return this.#byKey.get(key);
  }
  set(key: string, p: Principal) {
    if (this.#byKey.size >= 10_000) this.#byKey.clear();
    this.#byKey.set(key, p);
  }
}

/** Runs the rest of the chain in a transaction that enters as `principal`, or throws the refusal. */
type Enter = (body: (tx: Tx, principal: Principal) => Promise<void>) => Promise<void>;

/**
 * The credential's check going with the operation's first statement (`withApiKeyLazily`,
 * `withSessionLazily`), when the operation declares that its first effect is one
 * (`firstStatementRole`) and what this process last saw of the credential (`seen`) allows the
 * operation: until the check is back the chain runs as `seen`; then what the check found must
 * still allow it (a key or a member may have lost its role), or that statement's result is never
 * used and the transaction is rolled back. Undefined when the check must come first: a credential
 * last seen with too low a role (it may have been raised since) or another operation.
 */
function checkedWithFirstStatement(
  c: Context<AppEnv>,
  known: KnownCredentials,
  cacheKey: string,
  seen: Principal,
  lazily: (check: (found: Principal) => void, fn: (tx: Tx) => Promise<void>) => Promise<void>,
): Enter | undefined {
  const role = c.get('firstStatementRole');
  if (!role || !atLeast(seen.role, role)) return undefined;
  let fresh: Principal | undefined;
  return (body) =>
    lazily(
      (found) => {
        // The tenant a key or a tenant id names cannot change; this is the backstop.
        if (found.tenantId !== seen.tenantId) throw new AppError('unauthorized', 'the credential changed');
        fresh = found;
        known.set(cacheKey, found);
        c.set('principal', found);
        requireRole(c, role);
      },
      // On PGlite the check has run already: the chain gets what it found.
      (tx) => body(tx, fresh ?? seen),
    );
}

export function authenticate(platform: AuthPlatform, limiter: RateCounter): MiddlewareHandler<AppEnv> {
  const known = new KnownCredentials();
  /** Today's path: the credentials on the platform path, then the operation opens its own transaction. */
  const outside = async (c: Context<AppEnv>, next: Next, principal: Principal) => {
    c.set('principal', principal);
    const headers = judgePlanLimits(principal, await hitPlanLimits(limiter, principal));
    await next();
    setHeaders(c, headers);
  };
  const session = async (c: Context<AppEnv>, next: Next, token: string) => {
    // An empty header names no tenant, on both paths.
    const hint = c.req.header('frontdesk-tenant') || undefined;
    const cacheKey = `${sha256(token)}\n${hint ?? ''}`;
    const seen = known.get(cacheKey);
    if (!c.get('wantsRequestTx') || !seen) {
      // First sight of this session (and tenant) in this process, or an operation without the
      // request's transaction: resolved on the platform path.
      const principal = await sessionPrincipal(platform, c, token);
      known.set(cacheKey, principal);
      return outside(c, next, principal);
    }
    const entry = { hash: sha256(token), hint, at: platform.clock.now() };
    // Lazily only for a tenant named by its id (the console's way): a slug, or no hint at all,
    // may come to name another tenant between two requests.
    const enter: Enter =
      (hint !== undefined && UUID_RE.test(hint)
        ? checkedWithFirstStatement(c, known, cacheKey, seen, (check, fn) =>
            withSessionLazily(platform.db, entry, (found) => check(sessionEntryPrincipal(found)), fn),
          )
        : undefined) ??
      ((body) => withSession(platform.db, entry, (tx, found) => body(tx, sessionEntryPrincipal(found))));
    await inRequestTransaction(c, next, { limiter, known }, { cacheKey, seen }, enter);
  };
  return async (c, next) => {
    const credential = bearer(c);
    if (credential.startsWith('fds_')) return session(c, next, credential);
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
    let used: KeyEntry | undefined;
    const accept = (entry: KeyEntry | undefined): Principal => {
      if (!entry) throw invalidKey();
      used = entry;
      assertServing(entry.subscription);
      return entryPrincipal(entry);
    };
    const key = { prefix: m[1]!, hash, at: now };
    const enter: Enter =
      checkedWithFirstStatement(c, known, hash, seen, (check, fn) =>
        withApiKeyLazily(platform.db, key, (found) => check(accept(found)), fn),
      ) ?? ((body) => withApiKey(platform.db, key, (tx, found) => body(tx, accept(found))));
    await inRequestTransaction(c, next, { limiter, known }, { cacheKey: hash, seen }, enter);
    // The key's last use, at most once a minute, after the transaction (see migration 0021).
    if (used) {
      const { key_id: keyId, key_tenant: tenantId, key_last_used: last } = used as KeyEntry;
      const lastUsedAt = last === null ? null : new Date(last);
      await touchApiKey(platform.db, { keyId, tenantId, lastUsedAt }, now);
    }
  };
}

/** Thrown to roll the request's transaction back once the response is an error; made once (an Error's stack costs). */
const ROLLBACK = new Error('rolled back: the response is an error');

/**
 * The rest of the chain inside the transaction `enter` opens: the plan's rate counters are hit
 * first, sized by what this process saw of the credential last time (`seen`), then the
 * transaction authenticates it again, for real, in BEGIN's round trip.
 */
async function inRequestTransaction(
  c: Context<AppEnv>,
  next: Next,
  { limiter, known }: { limiter: RateCounter; known: KnownCredentials },
  credential: { cacheKey: string; seen: Principal },
  enter: Enter,
): Promise<void> {
  const hits = await hitPlanLimits(limiter, credential.seen);
  let headers: Record<string, string> = {};
  try {
    await enter(async (tx, principal) => {
      known.set(credential.cacheKey, principal);
      c.set('principal', principal);
      headers = judgePlanLimits(principal, hits);
      c.set('requestTx', tx);
      await next();
      c.set('requestTx', undefined);
      // Hono answered an error thrown further down already (c.error): undo the transaction.
      if (c.error) throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  setHeaders(c, headers);
}
