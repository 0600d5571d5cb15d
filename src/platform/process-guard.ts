/**
 * The last line of defence of a long-running process (`frontdesk start`): an error nobody
 * caught. A lost database connection (a restart, a failover, a killed backend) is logged and the
 * process keeps serving: the pool replaces the connection, requests answer 503 meanwhile and
 * recover on their own. Anything else means the process is in a state nobody planned for: it is
 * logged and the process exits (1), as Node would, for the supervisor to restart it.
 */
import { isDatabaseUnavailable } from './db/unavailable.js';
import type { Logger } from './logger.js';

/** Installs the guard; returns a function that removes it. */
export function guardProcess(logger: Logger, exit: (code: number) => void = process.exit): () => void {
  const onError = (error: unknown, origin: string) => {
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error, origin }, 'database connection lost outside a request; still serving');
      return;
    }
    logger.fatal({ err: error, origin }, 'uncaught error; exiting');
    exit(1);
  };
  const onException = (error: Error) => onError(error, 'uncaughtException');
  const onRejection = (reason: unknown) => onError(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
