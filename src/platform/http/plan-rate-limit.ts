import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import type { AppEnv } from './context.js';
import { type RateCounter, type RateDecision, RateLimiter } from './rate-limit.js';

/**
 * Two budgets per request, both sized by the tenant's plan: the tenant's (all its keys and users
 * together) and the caller's own (one key or one user: half the tenant's, so one runaway
 * integration cannot starve the rest). Headers follow the IETF RateLimit fields draft.
 */
export function rateLimit(limiter: RateCounter = new RateLimiter()): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    const tenantLimit = p.rateLimitPerMinute;
    const callerLimit = Math.max(1, Math.floor(tenantLimit / 2));
    const [tenant, caller] = await limiter.hitAll([
      [`t:${p.tenantId}`, tenantLimit],
      [`c:${p.actor.id}`, callerLimit],
    ]);
    const decisions: [string, RateDecision][] = [
      ['tenant', tenant!],
      ['caller', caller!],
    ];
    const [name, tightest] = decisions.reduce((a, b) =>
      b[1].remaining < a[1].remaining || !b[1].allowed ? b : a,
    );
    const headers = {
      'ratelimit-policy': `"tenant";q=${tenantLimit};w=60, "caller";q=${callerLimit};w=60`,
      ratelimit: `"${name}";r=${tightest.remaining};t=${tightest.resetSeconds}`,
    };
    const refused = decisions.find(([, d]) => !d.allowed);
    if (refused) {
      throw new AppError(
        'rate_limited',
        `the ${refused[0]} rate limit of ${refused[1].limit} requests per minute is used up`,
        {
          headers: { ...headers, 'retry-after': String(refused[1].resetSeconds) },
        },
      );
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
  };
}
