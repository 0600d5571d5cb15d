/**
 * CORS per tenant: a browser origin gets CORS headers only when the tenant of the credentials
 * lists it (tenant settings `corsOrigins`). Preflights carry no credentials, so they are
 * answered for origins that some active tenant allows; the real request is checked again.
 */
import { sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../platform/db/database.js';
import { withPlatform } from '../platform/db/tenant.js';
import { type AppEnv, setResponseHeader } from '../platform/http/context.js';
import { tenants } from '../schema/tenants.js';

const ALLOW_HEADERS =
  'authorization, content-type, idempotency-key, if-match, frontdesk-tenant, x-request-id';
const EXPOSE_HEADERS =
  'etag, location, ratelimit, ratelimit-policy, retry-after, x-request-id, idempotent-replayed';

export function tenantCors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const origin = c.req.header('origin');
    if (!origin) return;
    setResponseHeader(c, 'vary', 'Origin', { append: true });
    if (c.get('principal')?.corsOrigins.includes(origin)) {
      setResponseHeader(c, 'access-control-allow-origin', origin);
      setResponseHeader(c, 'access-control-expose-headers', EXPOSE_HEADERS);
    }
  };
}

export function preflight(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    // The widget's public routes answer their own preflights, from the widget's allowed origins.
    if (c.req.method !== 'OPTIONS' || !origin || c.req.path.startsWith('/v1/widget/')) return next();
    const [allowed] = await withPlatform(db, (tx) =>
      tx
        .select({ id: tenants.id })
        .from(tenants)
        .where(sql`${tenants.active} and ${tenants.settings} -> 'corsOrigins' ? ${origin}`)
        .limit(1),
    );
    if (!allowed) return c.body(null, 204);
    return c.body(null, 204, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  };
}
