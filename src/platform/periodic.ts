/**
 * In-process periodic work for the server (sweepers, dispatchers): `task` runs every
 * `intervalMs`, never twice at once (a slow run makes the next tick skip), and a failure is
 * logged, not thrown. The timer does not keep the process alive. Returns a stop function.
 */
import type { Logger } from './logger.js';

export function runEvery(
  intervalMs: number,
  task: () => Promise<unknown>,
  logger: Logger,
  what: string,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch((error) => logger.warn({ err: error }, `${what} failed`))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
