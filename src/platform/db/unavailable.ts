/**
 * Which errors mean "the database is not reachable right now" (a restart, a failover, a killed
 * connection, pgbouncer without a server) rather than "this request is wrong": they become
 * 503 with Retry-After for clients and providers, a warning rather than a crash for the
 * process, and are retried by whoever retries (the provider, the job queue).
 */

const DISK_FULL = '53100';

/** SQLSTATEs of a connection that is gone or refused; class 08 is "connection exception". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: terminated by pg_terminate_backend or a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up or shutting down
  '53300', // too_many_connections
  // disk_full: the data folder (PGlite) or the server's disk is full. PostgreSQL refuses the
  // write and rolls the transaction back; nothing is corrupted, and writes work again once
  // space is freed (checked by hand on PGlite with a full tmpfs: see docs/operations.md).
  DISK_FULL,
]);

/** Socket-level failures on the way to the server. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** node-postgres and pg-pool say these in words, without a code. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection is closed|terminating connection due to administrator command|server closed the connection unexpectedly/i;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Whether `error` (or its cause chain: Drizzle wraps the driver's error) is a lost or refused connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as ErrorLike | undefined, i = 0; e && typeof e === 'object' && i < 6; i++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (code.startsWith('08') && code.length === 5) return true;
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    // An AggregateError (a refused connection to every address of a host name).
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    e = e.cause as ErrorLike | undefined;
  }
  return false;
}

/** Whether `error` is the database refusing a write for lack of disk space. */
export function isDiskFull(error: unknown): boolean {
  for (let e = error as ErrorLike | undefined, i = 0; e && typeof e === 'object' && i < 6; i++) {
    if (e.code === DISK_FULL) return true;
    e = e.cause as ErrorLike | undefined;
  }
  return false;
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;
