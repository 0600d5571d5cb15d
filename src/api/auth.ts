/**
 * Authentication: `Authorization: Bearer <api key | session token>` → a `Principal` (tenant,
 * role, actor). The tenant comes from the credentials only, never from the request body.
 */
import type { MiddlewareHandler } from 'hono';
import { resolveApiKey, touchApiKey } from '../domains/identity/api-keys.js';
import { resolveSession } from '../domains/identity/sessions.js';
import { assertServing } from '../domains/plans/status.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import type { AppEnv } from '../platform/http/context.js';

/** Requests per minute when a tenant has no plan (or its plan sets no limit). */
export const DEFAULT_RATE_LIMIT = 600;

/** RFC 6750: a 401 always says how to authenticate. */
export const WWW_AUTHENTICATE = 'Bearer realm="frontdesk"';
const INVALID_TOKEN = { headers: { 'www-authenticate': `${WWW_AUTHENTICATE}, error="invalid_token"` } };

const rateFrom = (limits: Record<string, number>) => limits.requestsPerMinute ?? DEFAULT_RATE_LIMIT;

export function authenticate(platform: { db: Database; clock: Clock }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db } = platform;
    const now = platform.clock.now();
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m)
      throw new AppError('unauthorized', 'send an API key or session token as `Authorization: Bearer …`', {
        headers: { 'www-authenticate': 'Bearer realm="frontdesk"' },
      });
    const credential = m[1]!;
    if (credential.startsWith('fds_')) {
      const session = await resolveSession(db, credential, c.req.header('frontdesk-tenant'), now);
      if (session === 'invalid')
        throw new AppError('unauthorized', 'the session is invalid or expired', INVALID_TOKEN);
      if (session === 'no_membership') throw new AppError('forbidden', 'you are not a member of any tenant');
      if (session === 'no_tenant') {
        throw new AppError(
          'bad_request',
          'you belong to several tenants: name one in the `Frontdesk-Tenant` header',
        );
      }
      if (session === 'not_member') throw new AppError('forbidden', 'you are not a member of that tenant');
      assertServing(session.subscriptionStatus);
      c.set('principal', {
        tenantId: session.tenantId,
        role: session.role,
        actor: { type: 'user', id: session.userId },
        rateLimitPerMinute: rateFrom(session.planLimits),
        corsOrigins: session.corsOrigins,
      });
    } else {
      const key = await resolveApiKey(db, credential, now);
      if (!key)
        throw new AppError('unauthorized', 'the API key is invalid, revoked or expired', INVALID_TOKEN);
      assertServing(key.subscriptionStatus);
      c.set('principal', {
        tenantId: key.tenantId,
        role: key.role,
        actor: { type: 'api_key', id: key.keyId },
        keyId: key.keyId,
        rateLimitPerMinute: rateFrom(key.planLimits),
        corsOrigins: key.corsOrigins,
      });
      await touchApiKey(db, key, now);
    }
    await next();
  };
}
