/**
 * Database constraint violations as API errors: 409 for a duplicate, a still-referenced row or a
 * forbidden state change, 422 for a value the database refuses (every data exception, class 22). The detail names the rule in
 * plain words, never a constraint or table name.
 */
import { AppError } from '../errors.js';

interface PgLikeError {
  code?: string;
  message?: string;
  constraint?: string;
  cause?: unknown;
}

/** The driver's error (drizzle wraps it in `cause`). */
function pgError(error: unknown): PgLikeError | undefined {
  for (let e: unknown = error, i = 0; e && i < 4; e = (e as PgLikeError).cause, i++) {
    const code = (e as PgLikeError).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as PgLikeError;
  }
  return undefined;
}

const invalid = () => new AppError('validation_failed', 'a value breaks one of the rules of this resource');

export function mapDatabaseError(error: unknown): AppError | undefined {
  const pg = pgError(error);
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
      return pg.constraint?.endsWith('_transition_check')
        ? new AppError('conflict', 'this change is not allowed in the resource’s current state')
        : invalid();
    case '23502':
      return invalid();
    case 'P0001':
      return new AppError('conflict', 'this change is not allowed in the resource’s current state');
    case 'P0002':
      return new AppError('not_found', 'no such resource in your tenant');
    case '40001':
    case '40P01':
      return new AppError('conflict', 'the resource was changed concurrently; retry the request');
    default:
      // Class 22 (data exception): a value of the wrong form or range for its column (a time
      // out of range, an overflow, bad text) — the client's input, never a server fault.
      return pg?.code?.startsWith('22') ? invalid() : undefined;
  }
}
