/**
 * The constraint and the column a database error names, on every engine. PostgreSQL and PGlite
 * set the error's `constraint` and `column` fields. Citus relays a worker's error without them
 * ("… while executing command on <worker>"), so there the name is read from the text instead:
 * the message ("violates check constraint "x"", "violates unique constraint "x"") or, for the
 * checks Frontdesk's triggers raise, the DETAIL they add (migrations/0026). The worker also names a foreign key or a unique
 * index after its shard ("contacts_account_fk_102010"): that suffix is dropped, so every engine
 * reports the name the migrations gave. A NOT NULL violation's column is read from its message
 * the same way.
 */
export interface NamingError {
  constraint?: unknown;
  column?: unknown;
  message?: unknown;
  detail?: unknown;
  where?: unknown;
}

/** A PostgreSQL error as PGlite and node-postgres raise it: a five-character SQLSTATE and its fields. */
export interface DatabaseError extends NamingError {
  code: string;
  message?: string;
  detail?: string;
  where?: string;
}

/**
 * The database's own error behind `error`: Drizzle wraps the driver's (DrizzleQueryError), so
 * the `cause` chain is followed to the first error with a SQLSTATE.
 */
export function databaseError(error: unknown): DatabaseError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as DatabaseError;
  }
  return undefined;
}

const NAMED = /constraint "([^"]+)"/;
/** Citus's shard ids have five digits and more (the first is 102008). */
const SHARD_SUFFIX = /_\d{5,}$/;

/** Relayed from a Citus worker: the fields beyond code, message, detail and hint are gone. */
const relayed = (error: NamingError) =>
  typeof error.where === 'string' && error.where.includes('while executing command on');

export function constraintOf(error: NamingError): string | undefined {
  if (typeof error.constraint === 'string') return error.constraint;
  if (!relayed(error)) return undefined;
  for (const text of [error.message, error.detail]) {
    const name = typeof text === 'string' ? NAMED.exec(text)?.[1] : undefined;
    if (name) return name.replace(SHARD_SUFFIX, '');
  }
  return undefined;
}

export function columnOf(error: NamingError): string | undefined {
  if (typeof error.column === 'string') return error.column;
  if (!relayed(error) || typeof error.message !== 'string') return undefined;
  return /^null value in column "([^"]+)"/.exec(error.message)?.[1];
}
