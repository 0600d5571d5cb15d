/**
 * Unauthenticated routes (login, invitation redemption) have no plan to size a budget from:
 * they get a fixed one per client address and per email, so guessing passwords is slow. Counted
 * where every process sees them, like the plan limits: in PostgreSQL on a server, in memory on
 * the embedded engine.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import type { AppEnv } from './context.js';
import { type RateCounter, RateLimiter, SharedRateLimiter } from './rate-limit.js';

const counters = new WeakMap<Database, RateCounter>();
function counterFor(db: Database): RateCounter {
  let counter = counters.get(db);
  if (!counter) {
    counter = db.engine === 'postgres' ? new SharedRateLimiter(db) : new RateLimiter();
    counters.set(db, counter);
  }
  return counter;
}
export const PER_ADDRESS_PER_MINUTE = 30;
export const PER_EMAIL_PER_MINUTE = 10;

function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Counts one attempt; throws 429 once the address or the email has used its budget. */
export async function limitPublicAttempt(
  db: Database,
  c: Context<AppEnv>,
  route: string,
  email?: string,
): Promise<void> {
  const checks: [string, number][] = [[`p:${route}:ip:${clientAddress(c)}`, PER_ADDRESS_PER_MINUTE]];
  if (email) checks.push([`p:${route}:email:${email.toLowerCase()}`, PER_EMAIL_PER_MINUTE]);
  for (const d of await counterFor(db).hitAll(checks)) {
    if (!d.allowed) {
      throw new AppError('rate_limited', 'too many attempts: wait a minute', {
        headers: { 'retry-after': String(d.resetSeconds) },
      });
    }
  }
}
