/**
 * Identity over HTTP: log in and out, API keys (shown once, revocable), members and invitations.
 * Keys, members and invitations are the owner's to manage.
 */

import { createHash, randomBytes } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/http/audit.js';
import { atLeast } from '../../platform/http/principal.js';
import { limitPublicAttempt } from '../../platform/http/public-limits.js';
import { defineResource } from '../../platform/http/resource.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { jsonBody } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { tenants } from '../../schema/tenants.js';
import { createApiKey } from './api-keys.js';
import { registerMeRoute } from './me-route.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { login, logout } from './sessions.js';
import { apiKeys, invitations, memberships, ROLES, users } from './tables.js';

/**
 * A tenant keeps at least one owner: refuses (409) to demote or remove the last one. The other
 * owners' rows are locked, so two owners demoting each other at once cannot both succeed.
 */
async function keepAnOwner(tx: Tx, leaving: Record<string, unknown>): Promise<void> {
  if (leaving.role !== 'owner') return;
  const others = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        // tenant_id as well as RLS: on Citus, a locking read must name its shard.
        eq(memberships.tenantId, leaving.tenantId as string),
        eq(memberships.role, 'owner'),
        ne(memberships.id, leaving.id as string),
      ),
    )
    .for('update');
  if (others.length === 0)
    throw new AppError('conflict', 'a tenant keeps at least one owner: make another member owner first');
}

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

export function registerIdentityRoutes(api: ApiContext): void {
  registerSessionRoutes(api);
  registerApiKeyRoutes(api);
  registerMemberRoutes(api);
  registerInvitationRoutes(api);
  registerInvitationAcceptance(api);
  registerMeRoute(api);
}

/** Logging in and out (session tokens). */
function registerSessionRoutes(api: ApiContext): void {
  const { db } = api;

  route(api, {
    method: 'post',
    path: '/auth/login',
    role: 'public',
    tag: 'Identity',
    operationId: 'login',
    summary: 'Log in with email and password',
    description: 'Returns a session token (`fds_…`) valid for 12 hours, and the tenants you can act in.',
    request: { body: json(z.object({ email: z.email(), password: z.string().min(1).max(1024) })) },
    responses: {
      200: {
        description: 'Logged in',
        ...json(
          z.object({
            token: z.string(),
            expiresAt: z.string(),
            tenants: z.array(
              z.object({ id: z.string(), slug: z.string(), name: z.string(), role: z.enum(ROLES) }),
            ),
          }),
        ),
      },
    },
    handler: async (c) => {
      const body = await jsonBody(c, z.object({ email: z.email(), password: z.string().min(1).max(1024) }));
      await limitPublicAttempt(db, c, 'login', body.email);
      const session = await login(db, body.email, body.password, api.platform.clock.now());
      if (!session) throw new AppError('unauthorized', 'wrong email or password');
      const mine = await withPlatform(db, (tx) =>
        tx
          .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
          .from(memberships)
          .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
          .where(and(eq(memberships.userId, session.userId), eq(tenants.active, true))),
      );
      return c.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), tenants: mine });
    },
  });

  route(api, {
    method: 'post',
    path: '/auth/logout',
    collection: true,
    role: 'viewer',
    tag: 'Identity',
    operationId: 'logout',
    summary: 'End the current session',
    responses: { 204: { description: 'Logged out' } },
    handler: async (c) => {
      const token = c.req.header('authorization')!.replace(/^Bearer\s+/i, '');
      if (c.get('principal').actor.type !== 'user')
        throw new AppError('bad_request', 'only a session can log out');
      await logout(db, token);
      return c.body(null, 204);
    },
  });
}

/** API keys: the resource, and creating one (the key is shown once). */
function registerApiKeyRoutes(api: ApiContext): void {
  const { db } = api;

  defineResource(api, {
    name: 'api-keys',
    component: 'ApiKey',
    tag: 'Identity',
    table: apiKeys,
    readRole: 'owner',
    writeRole: 'owner',
    hidden: ['keyHash'],
    readOnly: ['prefix', 'lastUsedAt', 'revokedAt', 'createdBy'],
    create: false,
    remove: false,
    filters: ['role'],
    example: { name: 'Helpdesk integration', role: 'agent', scopes: [] },
    afterWrite: async (_tx, { op, before }) => {
      // An expired key stays expired: moving expiresAt would revive a credential its owner let lapse.
      const expiresAt = before?.expiresAt as Date | null | undefined;
      if (op === 'update' && expiresAt && expiresAt.getTime() <= api.platform.clock.now().getTime())
        throw new AppError('conflict', 'this key has expired and cannot be changed; create a new key');
    },
    actions: [
      {
        name: 'revoke',
        summary: 'Revoke an API key (it stops working at once)',
        role: 'owner',
        apply: (row) => {
          if (row.revokedAt) throw new AppError('conflict', 'the key is already revoked');
          return { revokedAt: api.platform.clock.now() };
        },
      },
    ],
  });

  const createKeyBody = z.object({
    name: z.string().min(1).max(200),
    role: z.enum(ROLES).default('agent'),
    scopes: z.array(z.string().max(100)).max(50).default([]),
    expiresAt: z.coerce
      .date()
      .refine((d) => d.getTime() > api.platform.clock.now().getTime(), 'must be in the future')
      .optional(),
  });
  route(api, {
    method: 'post',
    path: '/api-keys',
    collection: true,
    role: 'owner',
    resource: 'api-keys',
    tag: 'Identity',
    operationId: 'createApiKey',
    summary: 'Create an API key',
    description:
      'The response holds the key itself (`key`): it is shown this once and cannot be retrieved again.',
    request: { body: json(createKeyBody) },
    responses: {
      201: {
        description: 'Created',
        ...json(
          z.object({
            id: z.string(),
            key: z.string(),
            prefix: z.string(),
            name: z.string(),
            role: z.enum(ROLES),
          }),
        ),
      },
    },
    handler: async (c) => {
      const body = await jsonBody(c, createKeyBody);
      const p = c.get('principal');
      if (!atLeast(p.role, body.role))
        throw new AppError('forbidden', 'a key cannot have a higher role than yours');
      const created = await withTenant(db, p.tenantId, async (tx) => {
        const made = await createApiKey(tx, p.tenantId, {
          name: body.name,
          role: body.role,
          scopes: body.scopes,
          expiresAt: body.expiresAt ?? null,
          createdBy: p.actor.type === 'user' ? p.actor.id : null,
        });
        await audit(tx, c, {
          action: 'api-keys.create',
          resourceType: 'api-keys',
          resourceId: made.row.id,
          newValues: { name: body.name, role: body.role, prefix: made.row.prefix },
        });
        return made;
      });
      c.header('location', `/v1/api-keys/${created.row.id}`);
      const { keyHash: _h, tenantId: _t, ...row } = created.row;
      return c.json({ ...row, key: created.key }, 201);
    },
  });
}

/** Members and pending invitations, as resources. */
function registerMemberRoutes(api: ApiContext): void {
  defineResource(api, {
    name: 'members',
    component: 'Member',
    tag: 'Identity',
    table: memberships,
    writeRole: 'owner',
    create: false,
    readOnly: ['userId'],
    filters: ['role', 'userId'],
    example: { role: 'agent' },
    afterWrite: async (tx, { before, after }) => {
      if (before?.role === 'owner' && after.role !== 'owner') await keepAnOwner(tx, before);
    },
    beforeDelete: keepAnOwner,
  });

  defineResource(api, {
    name: 'invitations',
    component: 'Invitation',
    tag: 'Identity',
    table: invitations,
    readRole: 'admin',
    writeRole: 'owner',
    hidden: ['tokenHash'],
    readOnly: ['status', 'acceptedAt', 'invitedBy', 'expiresAt'],
    create: false,
    update: false,
    filters: ['status', 'email'],
    example: { email: 'new.agent@example.com', role: 'agent' },
  });
}

/** Inviting someone (the token is shown once). */
function registerInvitationRoutes(api: ApiContext): void {
  const { db } = api;

  const inviteBody = z.object({ email: z.email(), role: z.enum(ROLES).default('agent') });
  route(api, {
    method: 'post',
    path: '/invitations',
    collection: true,
    role: 'owner',
    resource: 'invitations',
    tag: 'Identity',
    operationId: 'createInvitation',
    summary: 'Invite someone to this tenant',
    description:
      'Returns the invitation token once (`token`); send it to the invitee, who redeems it at POST /v1/invitations/accept within 7 days.',
    request: { body: json(inviteBody) },
    responses: {
      201: {
        description: 'Invited',
        ...json(
          z.object({
            id: z.string(),
            token: z.string(),
            email: z.string(),
            role: z.enum(ROLES),
            expiresAt: z.string(),
          }),
        ),
      },
    },
    handler: async (c) => {
      const body = await jsonBody(c, inviteBody);
      const p = c.get('principal');
      const token = `fdi_${randomBytes(24).toString('base64url')}`;
      const row = await withTenant(db, p.tenantId, async (tx) => {
        const [inv] = await tx
          .insert(invitations)
          .values({
            tenantId: p.tenantId,
            email: body.email,
            role: body.role,
            tokenHash: createHash('sha256').update(token).digest('hex'),
            invitedBy: p.actor.type === 'user' ? p.actor.id : null,
            expiresAt: new Date(api.platform.clock.now().getTime() + INVITATION_TTL_MS),
          })
          .returning();
        await audit(tx, c, {
          action: 'invitations.create',
          resourceType: 'invitations',
          resourceId: inv!.id,
          newValues: body,
        });
        return inv!;
      });
      c.header('location', `/v1/invitations/${row.id}`);
      return c.json(
        { id: row.id, token, email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString() },
        201,
      );
    },
  });
}

/** Accepting an invitation: a new account, or an existing one with its own password. */
function registerInvitationAcceptance(api: ApiContext): void {
  const { db } = api;

  const acceptBody = z.object({
    token: z.string().min(10).max(200),
    name: z.string().min(1).max(200).optional(),
    password: z.string().min(12).max(1024),
  });
  route(api, {
    method: 'post',
    path: '/invitations/accept',
    role: 'public',
    tag: 'Identity',
    operationId: 'acceptInvitation',
    summary: 'Redeem an invitation: joins the tenant (creating your user if needed)',
    request: { body: json(acceptBody) },
    responses: {
      200: {
        description: 'Joined',
        ...json(z.object({ tenantId: z.string(), userId: z.string(), role: z.enum(ROLES) })),
      },
      410: { description: 'Expired or already used' },
    },
    handler: async (c) => {
      const body = await jsonBody(c, acceptBody);
      await limitPublicAttempt(db, c, 'accept');
      const tokenHash = createHash('sha256').update(body.token).digest('hex');
      const passwordHash = await hashPassword(body.password);
      // (hashed up front: argon2 is slow and must not run inside the transaction's locks)
      const result = await withPlatform(db, async (tx) => {
        // Which tenant first (a plain read), then the locking read in that tenant: on Citus a
        // locking read must name its shard.
        const [found] = await tx
          .select({ tenantId: invitations.tenantId })
          .from(invitations)
          .where(eq(invitations.tokenHash, tokenHash));
        const [inv] = found
          ? await tx
              .select()
              .from(invitations)
              .where(and(eq(invitations.tenantId, found.tenantId), eq(invitations.tokenHash, tokenHash)))
              .for('update')
          : [];
        if (!inv) throw new AppError('not_found', 'no such invitation');
        if (inv.status !== 'pending')
          throw new AppError('gone', 'this invitation was already used or revoked');
        if (inv.expiresAt.getTime() <= api.platform.clock.now().getTime())
          throw new AppError('gone', 'this invitation has expired');
        let [user] = await tx.select().from(users).where(sql`lower(${users.email}) = lower(${inv.email})`);
        // An existing account joins only with its own password: a token alone must not add
        // someone else's account to a tenant.
        if (user && !(await verifyPassword(user.passwordHash ?? '', body.password))) {
          throw new AppError('unauthorized', 'this email already has an account: use its password');
        }
        if (!user)
          [user] = await tx
            .insert(users)
            .values({ email: inv.email, name: body.name ?? null, passwordHash })
            .returning();
        // The invitation's seat becomes the member's: settle it first, so the seats quota
        // (members + pending invitations) counts the newcomer once.
        await tx
          .update(invitations)
          .set({ status: 'accepted', acceptedAt: api.platform.clock.now() })
          .where(and(eq(invitations.tenantId, inv.tenantId), eq(invitations.id, inv.id)));
        await tx
          .insert(memberships)
          .values({ tenantId: inv.tenantId, userId: user!.id, role: inv.role })
          .onConflictDoNothing();
        return { tenantId: inv.tenantId, userId: user!.id, role: inv.role };
      });
      return c.json(result);
    },
  });
}
