/**
 * What makes one install's demo data its own, written after the demo seed on a first
 * `frontdesk start` (src/cli/commands/start.ts), whether the data folder was seeded in place or
 * restored from the embedded snapshot (src/platform/db/snapshot.ts), which is made once per
 * build and shared by every data folder on the machine:
 *
 * - secrets: each demo user's password hash gets a fresh salt, each webhook endpoint a fresh
 *   signing secret (sealed with the configured keys, like one made through the API), each widget
 *   channel a fresh widget key, each invitation a fresh token — never the snapshot's, and never
 *   the constants of `frontdesk seed --demo`;
 * - dates: the upcoming stays are re-placed around the real today (the snapshot may be days old).
 *
 * The demo API keys printed at the first start are made after this, per folder (start.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq, inArray, isNotNull, like, sql } from 'drizzle-orm';
import { channels } from '../domains/channels/tables.js';
import { reservations } from '../domains/hospitality/tables.js';
import { hashPassword } from '../domains/identity/passwords.js';
import { invitations, users } from '../domains/identity/tables.js';
import { webhookEndpoints } from '../domains/ops/webhooks.js';
import type { Database } from '../platform/db/database.js';
import { withPlatform, withTenant } from '../platform/db/tenant.js';
import { type Keyring, sealString } from '../platform/secrets.js';
import { tenants } from '../schema/tenants.js';
import { ADMIN_EMAIL, DEMO_PASSWORD } from './catalog.js';
import { staffEmail } from './context.js';
import { hospitality, propertyIdsOf } from './hospitality.js';
import { UPCOMING_BOOKING_PREFIX, upcomingStays } from './hospitality-guests.js';
import { demoId } from './ids.js';
import { DEMO_TENANTS } from './index.js';

/**
 * Gives this install its own demo secrets and today's upcoming stays (see the module comment),
 * for the demo tenants named and, with `passwords`, the demo users (only on a new database: an
 * existing admin's password is theirs).
 */
export async function personalizeDemo(
  db: Database,
  options: { tenants: readonly string[]; passwords: boolean; keyring?: Keyring; today?: Date },
): Promise<void> {
  if (options.passwords) await freshPasswordHashes(db);
  const demoTenants = await withPlatform(db, (tx) =>
    tx
      .select({ id: tenants.id, slug: tenants.slug })
      .from(tenants)
      .where(inArray(tenants.slug, [...options.tenants])),
  );
  for (const t of demoTenants) {
    await withTenant(db, t.id, async (tx) => {
      for (const e of await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints)) {
        const secret = `whsec_${randomBytes(32).toString('base64')}`;
        await tx
          .update(webhookEndpoints)
          .set({ secret: options.keyring ? sealString(options.keyring, secret) : secret })
          .where(eq(webhookEndpoints.id, e.id));
      }
      for (const c of await tx
        .select({ id: channels.id })
        .from(channels)
        .where(isNotNull(channels.widgetKey))) {
        const widgetKey = `wk_${randomBytes(18).toString('base64url')}`;
        await tx.update(channels).set({ widgetKey }).where(eq(channels.id, c.id));
      }
      for (const i of await tx.select({ id: invitations.id }).from(invitations)) {
        const token = createHash('sha256').update(randomBytes(32)).digest('hex');
        await tx.update(invitations).set({ tokenHash: token }).where(eq(invitations.id, i.id));
      }
      if (t.slug === hospitality.slug) {
        const id = (name: string, at: Date) => demoId(`${t.slug}:${name}`, at);
        await tx
          .delete(reservations)
          .where(like(reservations.externalBookingId, `${UPCOMING_BOOKING_PREFIX}%`));
        await tx
          .insert(reservations)
          .values(upcomingStays(id, propertyIdsOf(id), options.today).map((r) => ({ ...r, tenantId: t.id })));
      }
    });
  }
}

/** A fresh argon2id hash (fresh salt) of the demo password for every demo user. */
async function freshPasswordHashes(db: Database): Promise<void> {
  const emails = [
    ADMIN_EMAIL,
    ...DEMO_TENANTS.flatMap((t) => t.staff.map((s) => staffEmail(s.role, t.slug))),
  ];
  const rows = await withPlatform(db, (tx) =>
    tx
      .select({ id: users.id })
      .from(users)
      .where(inArray(sql`lower(${users.email})`, emails)),
  );
  const hashes = await Promise.all(
    rows.map(async (u) => ({ id: u.id, hash: await hashPassword(DEMO_PASSWORD) })),
  );
  if (hashes.length === 0) return;
  await withPlatform(db, async (tx) => {
    for (const h of hashes) await tx.update(users).set({ passwordHash: h.hash }).where(eq(users.id, h.id));
  });
}
