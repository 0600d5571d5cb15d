import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import { type AppEnv, setResponseHeader } from './context.js';
import type { Principal } from './principal.js';
import { type RateCounter, type RateDecision, RateLimiter } from './rate-limit.js';

/**
 * Two budgets per request, both sized by the tenant's plan: the tenant's (all its keys and users
 * together) and the caller's own (one key or one user: half the tenant's, so one runaway
 * integration cannot starve the rest). Headers follow the IETF RateLimit fields draft.
 */
type Caller = Pick<Principal, 'tenantId' | 'actor' | 'rateLimitPerMinute'>;

const callerLimitOf = (tenantLimit: number) => Math.max(1, Math.floor(tenantLimit / 2));

/** Counts one hit on the tenant's budget and one on the caller's. */
export function hitPlanLimits(limiter: RateCounter, p: Caller): Promise<RateDecision[]> {
  return limiter.hitAll([
    [`t:${p.tenantId}`, p.rateLimitPerMinute],
    [`c:${p.actor.id}`, callerLimitOf(p.rateLimitPerMinute)],
  ]);
}

/**
 * Judges the hits against the caller's current plan (which may have changed since they were
 * counted): throws 429 when a budget is used up, else returns the RateLimit headers to send.
 */
export function judgePlanLimits(p: Caller, hits: RateDecision[]): Record<string, string> {
  const tenantLimit = p.rateLimitPerMinute;
  const callerLimit = callerLimitOf(tenantLimit);
  const rejudge = (d: RateDecision, limit: number): RateDecision => ({
    ...d,
    limit,
    allowed: d.count <= limit,
    remaining: Math.max(0, limit - d.count),
  });
  const decisions: [string, RateDecision][] = [
    ['tenant', rejudge(hits[0]!, tenantLimit)],
    ['caller', rejudge(hits[1]!, callerLimit)],
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
      { headers: { ...headers, 'retry-after': String(refused[1].resetSeconds) } },
    );
  }
  return headers;
}

export function setHeaders(c: Context<AppEnv>, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) setResponseHeader(c, k, v);
}

/** The plan limits as a middleware (after authentication). */
export function rateLimit(limiter: RateCounter = new RateLimiter()): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    const headers = judgePlanLimits(p, await hitPlanLimits(limiter, p));
    await next();
    setHeaders(c, headers);
  };
}
