/**
 * Identity's standard resources (resourceOperations): API keys (created by create-api-key.ts,
 * since the key is shown once; revocable), members (with their user's email and name), and
 * pending invitations (created by create-invitation.ts). Keys, members and invitations are the
 * owner's to manage.
 */
import { inArray } from 'drizzle-orm';
import { AppError } from '../../../platform/errors.js';
import type { JoinedFields, ResourceSpec } from '../../../platform/http/resource.js';
import { z } from '../../../platform/zod.js';
import { apiKeys, invitations, memberships, users } from '../tables.js';
import { keepAnOwner } from './kit.js';

export const apiKeyResource: ResourceSpec = {
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
  afterWrite: async (_tx, { op, before, at }) => {
    // An expired key stays expired: moving expiresAt would revive a credential its owner let lapse.
    const expiresAt = before?.expiresAt as Date | null | undefined;
    if (op === 'update' && expiresAt && expiresAt.getTime() <= at.getTime())
      throw new AppError('conflict', 'this key has expired and cannot be changed; create a new key');
  },
  actions: [
    {
      name: 'revoke',
      summary: 'Revoke an API key (it stops working at once)',
      role: 'owner',
      apply: (row, _body, { clock }) => {
        if (row.revokedAt) throw new AppError('conflict', 'the key is already revoked');
        return { revokedAt: clock.now() };
      },
    },
  ],
};

/**
 * A member's email and display name, from the global `users` table. Read as the request role:
 * its RLS policy (`tenant_members`, migration 0002) shows a tenant only the users who are its
 * members, and its column grant never includes the password hash.
 */
const memberUser: JoinedFields = {
  shape: {
    email: z.string().openapi({ description: 'The member’s login email (read-only; from the user)' }),
    name: z.string().nullable().openapi({ description: 'The member’s display name, if the user set one' }),
  },
  load: async (tx, rows) => {
    const ids = [...new Set(rows.map((r) => r.userId as string))];
    const found = await tx
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(inArray(users.id, ids));
    const byId = new Map(found.map((u) => [u.id, { email: u.email, name: u.name }]));
    return new Map(rows.map((r) => [r.id as string, byId.get(r.userId as string) ?? {}]));
  },
};

export const memberResource: ResourceSpec = {
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
  joined: memberUser,
};

export const invitationResource: ResourceSpec = {
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
};
