/** Provisioning tenants: platform work, on the explicit platform path. */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { parseWith } from '../../platform/http/validate.js';
import { z } from '../../platform/zod.js';
import { brandConfigSchema, emailConfigSchema } from '../../schema/tenant-brand.js';
import { plans, tenants, VERTICALS } from '../../schema/tenants.js';
import { memberships, users } from '../identity/tables.js';

export const tenantSettingsSchema = z
  .object({
    corsOrigins: z
      .array(z.string().regex(/^https?:\/\/[^/?#\s]+$/, 'must be a bare origin like https://app.example.com'))
      .max(50)
      .optional(),
  })
  .catchall(z.unknown());

/** What may be set on a tenant by its owner (and by the platform at creation). */
export const tenantFields = z.object({
  name: z.string().min(1).max(200),
  tenantType: z.string().max(100).nullable().optional(),
  domain: z.string().max(253).nullable().optional(),
  customDomain: z.string().max(253).nullable().optional(),
  websiteUrl: z.url().nullable().optional(),
  brandConfig: brandConfigSchema.optional(),
  emailConfig: emailConfigSchema.optional(),
  settings: tenantSettingsSchema.optional(),
  timezone: z.string().max(100).optional(),
  locale: z.string().min(2).max(35).optional(),
  vertical: z.enum(VERTICALS).optional(),
  enabledModules: z.array(z.string().max(50)).max(20).optional(),
  enabledAssessments: z.array(z.string().max(100)).max(50).optional(),
});

export const createTenantInput = tenantFields.extend({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, up to 63'),
  plan: z.string().max(50).optional(),
  ownerEmail: z.email().optional(),
});

export type CreateTenantInput = z.input<typeof createTenantInput>;

/** Creates a tenant, on a plan (by slug) and with an owner (an existing user, by email). */
export async function createTenant(db: Database, raw: CreateTenantInput) {
  const input = parseWith(createTenantInput, raw, 'tenant');
  return withPlatform(db, async (tx) => {
    const planId = input.plan
      ? (await tx.select({ id: plans.id }).from(plans).where(eq(plans.slug, input.plan)))[0]?.id
      : undefined;
    if (input.plan && !planId) {
      throw new AppError('validation_failed', 'unknown plan', {
        errors: [{ path: 'plan', message: `no plan "${input.plan}"` }],
      });
    }
    const { plan: _p, ownerEmail, ...fields } = input;
    const [tenant] = await tx
      .insert(tenants)
      .values({ ...fields, planId: planId ?? null })
      .returning();
    if (ownerEmail) {
      const [owner] = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = lower(${ownerEmail})`);
      if (!owner) {
        throw new AppError('validation_failed', 'the owner must be an existing user', {
          errors: [
            {
              path: 'ownerEmail',
              message: 'no user with this email: create the user first (frontdesk users create --email …)',
            },
          ],
        });
      }
      await tx.insert(memberships).values({ tenantId: tenant!.id, userId: owner.id, role: 'owner' });
    }
    return tenant!;
  });
}

export async function listTenants(db: Database) {
  return withPlatform(db, (tx) => tx.select().from(tenants).orderBy(tenants.slug));
}
