/**
 * The only two ways to touch data:
 *
 * - `withTenant(db, tenantId, fn)`: one transaction as the request role `frontdesk_app` with
 *   `app.tenant_id` set, both transaction-local, set in a single statement (one round trip).
 *   Row Level Security then decides what `fn` sees. Isolation never depends on a
 *   `WHERE tenant_id = …`; hot-path queries add one anyway so that Citus routes them to one shard.
 * - `withPlatform(db, fn)`: one transaction as `frontdesk_platform`, the explicit path for
 *   platform work (provisioning tenants, resolving which tenant a request belongs to). The role
 *   reaches only the tables that work needs (`frontdesk_platform_privileges()`,
 *   migrations/0016_platform_role.sql); anything else is "permission denied".
 *
 * Both settings end with the transaction, committed or rolled back, so a pooled connection
 * never carries a tenant or a role into the next one.
 *
 * One code path on PGlite, PostgreSQL and Citus: `frontdesk_enter_tenant()` and
 * `frontdesk_enter_platform()` (migration 0017) use `SET LOCAL` from plpgsql, the one form Citus
 * propagates to its workers (`set_config(…, true)` is not; see docs/scale-out.md).
 */
import pg from 'pg';
import type { Database, Tx } from './database.js';
import { NOTHING_TO_CHECK } from './gate.js';

export const REQUEST_ROLE = 'frontdesk_app';
export const PLATFORM_ROLE = 'frontdesk_platform';

/** A UUID, in either case. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InvalidTenantError extends Error {
  override name = 'InvalidTenantError';
}

/**
 * Runs `fn` in one transaction, inside the tenant's context.
 * The id is checked to be a UUID before it is written into the setup statement (which is
 * parameterless so that it can share a round trip). On a server, BEGIN and the setup go with
 * the transaction's first statement, in its round trip (`scopedLazily`, gate.ts): the statement
 * runs after them, in the tenant's context, as if they had been sent first.
 */
export async function withTenant<T>(db: Database, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID_RE.test(tenantId)) throw new InvalidTenantError('tenant id must be a UUID');
  return db.scopedLazily(`SELECT frontdesk_enter_tenant('${tenantId.toLowerCase()}')`, NOTHING_TO_CHECK, fn);
}

/** Runs `fn` in one transaction on the explicit platform path (no tenant context); BEGIN as `withTenant`. */
export async function withPlatform<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.scopedLazily('SELECT frontdesk_enter_platform()', NOTHING_TO_CHECK, fn);
}

/** The API key `withApiKey` authenticated: its tenant, role, plan limits and tenant settings. */
export interface KeyEntry {
  key_id: string;
  key_tenant: string;
  key_role: string;
  key_last_used: Date | string | null;
  plan_limits: Record<string, number> | null;
  tenant_settings: Record<string, unknown> | null;
  subscription: string;
}

const HEX_RE = (n: number) => new RegExp(`^[0-9a-f]{${n}}$`);
const PREFIX_RE = HEX_RE(12);
const HASH_RE = HEX_RE(64);

/**
 * Runs `fn` in one transaction that authenticates an API key and enters its tenant in BEGIN's
 * round trip (`frontdesk_enter_with_key`, migration 0021): the platform role finds the key, then
 * the request role with the key's tenant. `fn` gets the key, or undefined when it is not valid
 * (unknown, revoked, expired, tenant inactive); the transaction then sees no tenant's rows.
 */
export async function withApiKey<T>(
  db: Database,
  key: { prefix: string; hash: string; at: Date },
  fn: (tx: Tx, entry: KeyEntry | undefined) => Promise<T>,
): Promise<T> {
  return db.scoped(keySetup(key), (tx, rows) => fn(tx, rows[0] as KeyEntry | undefined));
}

/**
 * `withApiKey` with the key's check sent with the transaction's first statement, in its round
 * trip (database.ts `scopedLazily`): `check` gets the key (undefined when not valid) before that
 * statement's result is handed back, and what it throws rolls the transaction back. Until then
 * `fn` runs on what the caller already knows of the key; the statements themselves run in the
 * context the database resolved, as with `withApiKey`. For requests that do nothing outside the
 * database before their first statement.
 */
export async function withApiKeyLazily<T>(
  db: Database,
  key: { prefix: string; hash: string; at: Date },
  check: (entry: KeyEntry | undefined) => void,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.scopedLazily(keySetup(key), (rows) => check(rows[0] as KeyEntry | undefined), fn);
}

function keySetup(key: { prefix: string; hash: string; at: Date }): string {
  if (!PREFIX_RE.test(key.prefix) || !HASH_RE.test(key.hash)) {
    throw new InvalidTenantError('an API key prefix and hash are lowercase hex');
  }
  return `SELECT * FROM frontdesk_enter_with_key('${key.prefix}', '${key.hash}', '${key.at.toISOString()}')`;
}

/** What `withSession` found: `entered` with the user's tenant and role, or why not. */
export interface SessionEntry {
  outcome: 'entered' | 'invalid' | 'no_membership' | 'no_tenant' | 'not_member';
  session_user_id: string | null;
  session_tenant: string | null;
  member_role: string | null;
  plan_limits: Record<string, number> | null;
  tenant_settings: Record<string, unknown> | null;
  subscription: string | null;
}

/**
 * `withApiKey` for a console user's session (`frontdesk_enter_with_session`, migration 0024):
 * the session by its token's hash, and the tenant `hint` names (its id or slug; without one,
 * the user's only tenant), entered in BEGIN's round trip. Unless the outcome is `entered`, the
 * transaction sees no tenant's rows.
 */
export async function withSession<T>(
  db: Database,
  session: { hash: string; hint: string | undefined; at: Date },
  fn: (tx: Tx, entry: SessionEntry) => Promise<T>,
): Promise<T> {
  return db.scoped(sessionSetup(session), (tx, rows) => fn(tx, rows[0] as unknown as SessionEntry));
}

/** `withSession` with the session's check sent with the first statement (see `withApiKeyLazily`). */
export async function withSessionLazily<T>(
  db: Database,
  session: { hash: string; hint: string | undefined; at: Date },
  check: (entry: SessionEntry) => void,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.scopedLazily(sessionSetup(session), (rows) => check(rows[0] as unknown as SessionEntry), fn);
}

function sessionSetup(session: { hash: string; hint: string | undefined; at: Date }): string {
  if (!HASH_RE.test(session.hash)) throw new InvalidTenantError('a session token hash is lowercase hex');
  const hint = session.hint === undefined ? 'NULL' : pg.escapeLiteral(session.hint);
  return `SELECT * FROM frontdesk_enter_with_session('${session.hash}', ${hint}, '${session.at.toISOString()}')`;
}
