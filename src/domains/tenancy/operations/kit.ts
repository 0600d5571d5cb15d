/** What the tenancy operations share: the tenant as sent, and the platform admin check. */
import type { Context } from 'hono';
import type { Clock } from '../../../platform/clock.js';
import type { Database } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { toJsonValue } from '../../../platform/http/json-value.js';
import { z } from '../../../platform/zod.js';
import type { Tenant } from '../../../schema/tenants.js';
import { resolvePlatformAdmin } from '../../identity/sessions.js';

export const serialize = (t: Tenant) => toJsonValue(t) as Record<string, unknown>;
export const tenantSchema = z.record(z.string(), z.unknown());

/** The platform admin behind the request's session token, or 401/403 (platform operations). */
export async function requirePlatformAdmin(
  platform: { db: Database; clock: Clock },
  c: Context<AppEnv>,
): Promise<{ userId: string }> {
  const token = /^Bearer\s+(fds_\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (!token)
    throw new AppError('unauthorized', 'log in as a platform admin (session token)', {
      headers: { 'www-authenticate': 'Bearer realm="frontdesk"' },
    });
  const admin = await resolvePlatformAdmin(platform.db, token, platform.clock.now());
  if (!admin) throw new AppError('forbidden', 'this is for platform admins');
  return admin;
}
