/**
 * Identity's standard resources (resourceOperations): API keys (created by create-api-key.ts,
 * since the key is shown once; revocable), members, and pending invitations (created by
 * create-invitation.ts). Keys, members and invitations are the owner's to manage.
 */
import { AppError } from '../../../platform/errors.js';
import type { ResourceSpec } from '../../../platform/http/resource.js';
import { apiKeys, invitations, memberships } from '../tables.js';
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
