/** POST /invitations: invites someone to the tenant; the token is shown this once. */
import { createHash, randomBytes } from 'node:crypto';
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { invitations } from '../tables.js';
import { actingUserId, role } from './kit.js';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const inviteBody = z.object({ email: z.email(), role: role.default('agent') });
const invited = z.object({
  id: z.string(),
  token: z.string(),
  email: z.string(),
  role,
  expiresAt: z.string(),
});

export const createInvitationOperation = operation({
  method: 'post',
  path: '/invitations',
  scope: 'tenant',
  role: 'owner',
  collection: true,
  resource: 'invitations',
  tag: 'Identity',
  operationId: 'createInvitation',
  summary: 'Invite someone to this tenant',
  description:
    'Returns the invitation token once (`token`); send it to the invitee, who redeems it at POST /v1/invitations/accept within 7 days.',
  request: { body: inviteBody },
  responses: { 201: { description: 'Invited', schema: invited } },
  handler: async ({ tx, c, body, principal, clock, audit }) => {
    const token = `fdi_${randomBytes(24).toString('base64url')}`;
    const [row] = await tx
      .insert(invitations)
      .values({
        tenantId: principal.tenantId,
        email: body.email,
        role: body.role,
        tokenHash: createHash('sha256').update(token).digest('hex'),
        invitedBy: actingUserId(principal.actor),
        expiresAt: new Date(clock.now().getTime() + INVITATION_TTL_MS),
      })
      .returning();
    await audit({
      action: 'invitations.create',
      resourceType: 'invitations',
      resourceId: row!.id,
      newValues: body,
    });
    c.header('location', `/v1/invitations/${row!.id}`);
    return {
      id: row!.id,
      token,
      email: row!.email,
      role: row!.role,
      expiresAt: row!.expiresAt.toISOString(),
    };
  },
});
