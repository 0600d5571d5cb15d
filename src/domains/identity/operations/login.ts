/** POST /auth/login: a session token for email and password, and the tenants it can act in. */
import { and, eq } from 'drizzle-orm';
import { withPlatform } from '../../../platform/db/tenant.js';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { limitPublicAttempt } from '../../../platform/http/public-limits.js';
import { z } from '../../../platform/zod.js';
import { tenants } from '../../../schema/tenants.js';
import { login } from '../sessions.js';
import { memberships } from '../tables.js';
import { role } from './kit.js';

const loginBody = z
  .object({ email: z.email(), password: z.string().min(1).max(1024) })
  .openapi({ example: { email: 'owner@acme.example', password: 'correct horse battery staple' } });
const loggedIn = z.object({
  token: z.string(),
  expiresAt: z.string(),
  tenants: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string(), role })),
  platformAdmin: z.boolean().openapi({
    description:
      'The user operates this Frontdesk installation: the same token works on the `/v1/platform/…` operations.',
  }),
});

export const loginOperation = operation({
  method: 'post',
  path: '/auth/login',
  scope: 'public',
  tag: 'Identity',
  operationId: 'login',
  summary: 'Log in with email and password',
  description:
    'Returns a session token (`fds_…`) valid for 12 hours, the tenants you can act in, and whether you are a platform admin.',
  request: { body: loginBody },
  responses: { 200: { description: 'Logged in', schema: loggedIn } },
  handler: async ({ c, body, platform }) => {
    await limitPublicAttempt(platform.db, c, 'login', body.email);
    const session = await login(platform.db, body.email, body.password, platform.clock.now());
    if (!session) throw new AppError('unauthorized', 'wrong email or password');
    const mine = await withPlatform(platform.db, (tx) =>
      tx
        .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
        .from(memberships)
        .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
        .where(and(eq(memberships.userId, session.userId), eq(tenants.active, true))),
    );
    return {
      token: session.token,
      expiresAt: session.expiresAt.toISOString(),
      tenants: mine,
      platformAdmin: session.platformAdmin,
    };
  },
});
