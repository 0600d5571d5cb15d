/**
 * The last line of defence of a long-running process (`frontdesk start`): an error nobody
 * caught. A lost database connection (a restart, a failover, a killed backend) is logged and the
 * process keeps serving: the pool replaces the connection, requests answer 503 meanwhile and
 * recover on their own. Anything else means the process is in a state nobody planned for: it is
 * logged and the process exits (1), as Node would, for the supervisor to restart it. Once the
 * process is stopping, work that overran the shutdown and met the closed database is a warning.
 */
import { isDatabaseUnavailable } from './db/unavailable.js';
import type { Logger } from './logger.js';

/** node-postgres's pool, and PGlite, once closed. */
const POOL_CLOSED = /Cannot use a pool after calling end on the pool|PGlite is clos(ed|ing)/;

interface GuardOptions {
  exit?: (code: number) => void;
  /** Whether the process is shutting down. */
  stopping?: () => boolean;
}

/** Installs the guard; returns a function that removes it. */
export function guardProcess(logger: Logger, options: GuardOptions = {}): () => void {
  const onError = uncaughtHandler(logger, options);
  const onException = (error: Error) => onError(error, 'uncaughtException');
  const onRejection = (reason: unknown) => onError(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

/** What the guard does with one uncaught error (exported for its test). */
export function uncaughtHandler(
  logger: Logger,
  { exit = process.exit, stopping = () => false }: GuardOptions = {},
): (error: unknown, origin: string) => void {
  return (error, origin) => {
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error, origin }, 'database connection lost outside a request; still serving');
      return;
    }
    // Work that outlived the shutdown budget found the database closed under it: the process is
    // exiting anyway, and the shutdown already said it cut work short.
    if (stopping() && POOL_CLOSED.test(String((error as Error)?.message))) {
      logger.warn({ err: error, origin }, 'work still running found the database closed at shutdown');
      return;
    }
    logger.fatal({ err: error, origin }, 'uncaught error; exiting');
    exit(1);
  };
}
