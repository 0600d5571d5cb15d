/**
 * Database errors as API errors: 503 with Retry-After when the database is unreachable; for
 * constraint violations 409 for a duplicate, a still-referenced row or a forbidden state change,
 * 422 for a value the database refuses (every data exception, class 22). The detail names the
 * rule in
 * plain words, never a constraint or table name.
 */
import { constraintOf, databaseError } from '../db/error-names.js';
import { isDatabaseUnavailable, isDiskFull, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../db/unavailable.js';
import { AppError } from '../errors.js';

/** Raised by the frontdesk_enforce_quota trigger (migrations/0011_plans.sql). */
export const QUOTA_SQLSTATE = 'FDQ01';

/** The quota problem of a database error raised by the quota trigger, else undefined. */
export function quotaError(error: unknown): AppError | undefined {
  const pg = databaseError(error);
  return pg?.code === QUOTA_SQLSTATE ? quotaProblem(pg.detail) : undefined;
}

/** The quota problem: which limit, how much is allowed and used, on which plan (docs/plans.md). */
function quotaProblem(detail: string | undefined): AppError {
  let q: { limit?: string; allowed?: number; used?: number; plan?: string | null; period?: string | null } =
    {};
  try {
    q = JSON.parse(detail ?? '{}');
  } catch {}
  const plan = q.plan ?? 'no plan';
  return new AppError(
    'quota_exceeded',
    `the ${plan} plan allows ${q.allowed} ${q.limit}${q.period ? ` in ${q.period}` : ''} and ${q.used} are used: upgrade the plan or free some`,
    {
      members: {
        limit: q.limit,
        allowed: q.allowed,
        used: q.used,
        plan: q.plan ?? null,
        period: q.period ?? null,
      },
    },
  );
}

const invalid = () => new AppError('validation_failed', 'a value breaks one of the rules of this resource');

export function mapDatabaseError(error: unknown): AppError | undefined {
  // The database went away (restart, failover, killed connection): nothing was acknowledged,
  // retrying shortly is right. Providers retry webhooks on any 5xx.
  if (isDatabaseUnavailable(error)) {
    const detail = isDiskFull(error)
      ? 'the database is out of disk space; nothing was stored, retry later'
      : 'the database is unreachable; retry shortly';
    return new AppError('unavailable', detail, {
      headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    });
  }
  const pg = databaseError(error);
  switch (pg?.code) {
    case '23505':
      return new AppError('conflict', 'a resource with the same unique value already exists');
    case '23503':
      // PostgreSQL says "update or delete on table …" when the row is still referenced.
      return /^update or delete on/.test(pg.message ?? '')
        ? new AppError('conflict', 'other resources still refer to this one: remove or change them first')
        : new AppError('validation_failed', 'a referenced resource does not exist in your tenant');
    case '23514':
      // Workflow triggers report a forbidden state change as a `*_transition_check` violation.
      return constraintOf(pg)?.endsWith('_transition_check')
        ? new AppError('conflict', 'this change is not allowed in the resource’s current state')
        : invalid();
    case '23502':
      return invalid();
    case 'P0001':
      return new AppError('conflict', 'this change is not allowed in the resource’s current state');
    case 'P0002':
      return new AppError('not_found', 'no such resource in your tenant');
    case QUOTA_SQLSTATE:
      return quotaProblem(pg.detail);
    case '40001':
    case '40P01':
      return new AppError('conflict', 'the resource was changed concurrently; retry the request');
    default:
      // Class 22 (data exception): a value of the wrong form or range for its column (a time
      // out of range, an overflow, bad text) — the client's input, never a server fault.
      return pg?.code?.startsWith('22') ? invalid() : undefined;
  }
}
