/** POST /invitations/accept: redeems an invitation, with a new account or an existing one's password. */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import { withPlatform } from '../../../platform/db/tenant.js';
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { limitPublicAttempt } from '../../../platform/http/public-limits.js';
import { z } from '../../../platform/zod.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { invitations, memberships, users } from '../tables.js';
import { role } from './kit.js';

const acceptBody = z.object({
  token: z.string().min(10).max(200),
  name: z.string().min(1).max(200).optional(),
  password: z.string().min(12).max(1024),
});
type Accept = z.output<typeof acceptBody>;

/**
 * Which tenant's invitation a token is, in a read of its own before the accepting transaction:
 * on Citus that read asks every shard (in parallel), and a transaction that did so may not then
 * write the reference table `users`; the transaction's own reads then name the tenant's shard.
 */
async function invitationTenant(tx: Tx, tokenHash: string): Promise<string | undefined> {
  const [found] = await tx
    .select({ tenantId: invitations.tenantId })
    .from(invitations)
    .where(eq(invitations.tokenHash, tokenHash));
  return found?.tenantId;
}

/** The pending invitation of this token, locked; 404 or 410 otherwise. */
async function pendingInvitation(tx: Tx, tenantId: string | undefined, tokenHash: string, now: Date) {
  const [inv] = tenantId
    ? await tx
        .select()
        .from(invitations)
        .where(and(eq(invitations.tenantId, tenantId), eq(invitations.tokenHash, tokenHash)))
        .for('update')
    : [];
  if (!inv) throw new AppError('not_found', 'no such invitation');
  if (inv.status !== 'pending') throw new AppError('gone', 'this invitation was already used or revoked');
  if (inv.expiresAt.getTime() <= now.getTime()) throw new AppError('gone', 'this invitation has expired');
  return inv;
}

async function accept(
  tx: Tx,
  invitation: { tenantId: string | undefined; tokenHash: string },
  body: Accept,
  passwordHash: string,
  now: () => Date,
) {
  const inv = await pendingInvitation(tx, invitation.tenantId, invitation.tokenHash, now());
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
    .set({ status: 'accepted', acceptedAt: now() })
    .where(and(eq(invitations.tenantId, inv.tenantId), eq(invitations.id, inv.id)));
  await tx
    .insert(memberships)
    .values({ tenantId: inv.tenantId, userId: user!.id, role: inv.role })
    .onConflictDoNothing();
  return { tenantId: inv.tenantId, userId: user!.id, role: inv.role };
}

export const acceptInvitationOperation = operation({
  method: 'post',
  path: '/invitations/accept',
  scope: 'public',
  tag: 'Identity',
  operationId: 'acceptInvitation',
  summary: 'Redeem an invitation: joins the tenant (creating your user if needed)',
  request: { body: acceptBody },
  responses: {
    200: { description: 'Joined', schema: z.object({ tenantId: z.string(), userId: z.string(), role }) },
    410: { description: 'Expired or already used' },
  },
  handler: async ({ c, body, platform }) => {
    await limitPublicAttempt(platform.db, c, 'accept');
    // Hashed up front: argon2 is slow and must not run inside the transaction's locks.
    const passwordHash = await hashPassword(body.password);
    const tokenHash = createHash('sha256').update(body.token).digest('hex');
    const tenantId = await withPlatform(platform.db, (tx) => invitationTenant(tx, tokenHash));
    return withPlatform(platform.db, (tx) =>
      accept(tx, { tenantId, tokenHash }, body, passwordHash, () => platform.clock.now()),
    );
  },
});
