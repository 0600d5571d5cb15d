/**
 * Unauthenticated routes (login, invitation redemption) have no plan to size a budget from:
 * they get a fixed one per client address and per email, so guessing passwords is slow.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { AppError } from '../platform/errors.js';
import type { AppEnv } from '../platform/http/context.js';
import { RateLimiter } from '../platform/http/rate-limit.js';

const limiter = new RateLimiter();
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
export function limitPublicAttempt(c: Context<AppEnv>, route: string, email?: string): void {
  const checks: [string, number][] = [[`${route}:ip:${clientAddress(c)}`, PER_ADDRESS_PER_MINUTE]];
  if (email) checks.push([`${route}:email:${email.toLowerCase()}`, PER_EMAIL_PER_MINUTE]);
  for (const [key, limit] of checks) {
    const d = limiter.hit(key, limit);
    if (!d.allowed) {
      throw new AppError('rate_limited', 'too many attempts: wait a minute', {
        headers: { 'retry-after': String(d.resetSeconds) },
      });
    }
  }
}
