/**
 * Database constraint violations as API errors: 409 for a duplicate, 422 for a value the
 * database refuses. The detail names the rule in plain words, never a constraint or table name.
 */
import { AppError } from '../errors.js';

interface PgLikeError {
  code?: string;
  cause?: unknown;
}

function pgCode(error: unknown): string | undefined {
  for (let e: unknown = error, i = 0; e && i < 4; e = (e as PgLikeError).cause, i++) {
    const code = (e as PgLikeError).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function mapDatabaseError(error: unknown): AppError | undefined {
  switch (pgCode(error)) {
    case '23505':
      return new AppError('conflict', 'a resource with the same unique value already exists');
    case '23503':
      return new AppError(
        'validation_failed',
        'a referenced resource does not exist (or was deleted while in use)',
      );
    case '23514':
    case '23502':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
      return new AppError('validation_failed', 'a value breaks one of the rules of this resource');
    case 'P0001':
      return new AppError('conflict', 'this change is not allowed in the resource’s current state');
    case '40001':
    case '40P01':
      return new AppError('conflict', 'the resource was changed concurrently; retry the request');
    default:
      return undefined;
  }
}
