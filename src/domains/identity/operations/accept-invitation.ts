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

/** The pending invitation of this token, locked; 404 or 410 otherwise. */
async function pendingInvitation(tx: Tx, tokenHash: string, now: Date) {
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
  if (inv.status !== 'pending') throw new AppError('gone', 'this invitation was already used or revoked');
  if (inv.expiresAt.getTime() <= now.getTime()) throw new AppError('gone', 'this invitation has expired');
  return inv;
}

async function accept(tx: Tx, body: Accept, passwordHash: string, now: () => Date) {
  const inv = await pendingInvitation(tx, createHash('sha256').update(body.token).digest('hex'), now());
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
    return withPlatform(platform.db, (tx) => accept(tx, body, passwordHash, () => platform.clock.now()));
  },
});
