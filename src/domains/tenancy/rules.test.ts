/**
 * Seed rules of tenancy (seed 001's tenant_profiles, seed 003's company_profile, seed 004's
 * companies and plans), the brand_config schema, and two rules every table shares: updated_at is
 * maintained by a trigger wherever the column exists, and deleting a tenant deletes its rows.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { foreignKeys, tenantTables } from '../../../test/helpers/catalog.js';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { fabricateTenantRows } from '../../../test/helpers/fabricate.js';
import {
  expectPgError,
  expectRejected,
  pgError,
  SQLSTATE as S,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { brandConfigSchema, emailConfigSchema } from '../../schema/tenant-brand.js';
import { plans, SUBSCRIPTION_STATUSES, tenants, VERTICALS } from '../../schema/tenants.js';

const t = useTestDatabase();
let A: string;

beforeAll(async () => {
  A = await tenantWith(t.db, { slug: uniq('a') });
});

const newTenant = (values: Partial<typeof tenants.$inferInsert>) => () => tenantWith(t.db, values);

describe('tenants (seed 001 tenant_profiles)', () => {
  it('slug is lowercase letters, digits and dashes; bad slugs are refused', async () => {
    for (const slug of ['leadingwithmeaning', 'a', 'coach-42']) await tenantWith(t.db, { slug });
    for (const slug of ['Leading', 'has space', '-dash-first', '', 'x'.repeat(64), 'ünï']) {
      await expectRejected(t.db, tenants, newTenant({ slug }), S.checkViolation, 'tenants_slug_format_check');
    }
  });

  it('slug is unique', async () => {
    await expectRejected(
      t.db,
      tenants,
      newTenant({ slug: 'leadingwithmeaning' }),
      S.uniqueViolation,
      'tenants_slug_key',
    );
  });

  it('custom_domain is unique case-insensitively; many tenants have none', async () => {
    await tenantWith(t.db, { customDomain: 'Coach.Example.com' });
    await expectRejected(
      t.db,
      tenants,
      newTenant({ customDomain: 'coach.example.COM' }),
      S.uniqueViolation,
      'tenants_custom_domain_key',
    );
    await tenantWith(t.db, { customDomain: null });
    await tenantWith(t.db, { customDomain: null });
  });

  it('timezone must be a known IANA zone, on insert and on update', async () => {
    const id = await tenantWith(t.db, { timezone: 'Australia/Sydney' });
    await expectRejected(
      t.db,
      tenants,
      newTenant({ timezone: 'Mars/Olympus_Mons' }),
      S.checkViolation,
      'tenants_timezone_check',
    );
    const setZone = (timezone: string) =>
      withTenant(t.db, id, (tx) =>
        tx.update(tenants).set({ timezone }).where(eq(tenants.id, id)).returning(),
      );
    await expectPgError(setZone('Nowhere/Land'), S.checkViolation, 'tenants_timezone_check');
    const [row] = await withTenant(t.db, id, (tx) => tx.select().from(tenants));
    expect(row!.timezone).toBe('Australia/Sydney');
    expect((await setZone('Europe/Paris'))[0]!.timezone).toBe('Europe/Paris');
  });

  it('defaults: UTC, active, trialing, vertical other', async () => {
    const [row] = await withTenant(t.db, A, (tx) => tx.select().from(tenants));
    expect(row).toMatchObject({
      timezone: 'UTC',
      active: true,
      subscriptionStatus: 'trialing',
      vertical: 'other',
    });
  });

  it('vertical and subscription status are closed lists', async () => {
    for (const vertical of VERTICALS) await tenantWith(t.db, { vertical });
    for (const subscriptionStatus of SUBSCRIPTION_STATUSES) await tenantWith(t.db, { subscriptionStatus });
    await expectRejected(
      t.db,
      tenants,
      newTenant({ vertical: 'bakery' as never }),
      S.checkViolation,
      'tenants_vertical_check',
    );
    await expectRejected(
      t.db,
      tenants,
      newTenant({ subscriptionStatus: 'free_forever' as never }),
      S.checkViolation,
      'tenants_subscription_status_check',
    );
  });

  it('slug and name are required', async () => {
    for (const values of [{ slug: null }, { name: null }]) {
      await expectRejected(t.db, tenants, newTenant(values as never), S.notNullViolation);
    }
  });

  it('a tenant context sees and updates only its own row, and cannot create or delete tenants', async () => {
    const seen = await withTenant(t.db, A, (tx) => tx.select({ id: tenants.id }).from(tenants));
    expect(seen).toEqual([{ id: A }]);
    const renamed = await withTenant(t.db, A, (tx) =>
      tx.update(tenants).set({ name: 'Renamed' }).where(eq(tenants.id, A)).returning({ name: tenants.name }),
    );
    expect(renamed).toEqual([{ name: 'Renamed' }]);
    await expectRejected(
      t.db,
      tenants,
      () => withTenant(t.db, A, (tx) => tx.insert(tenants).values({ slug: uniq('n'), name: 'N' })),
      S.insufficientPrivilege,
    );
    await expectRejected(
      t.db,
      tenants,
      () => withTenant(t.db, A, (tx) => tx.delete(tenants).where(eq(tenants.id, A))),
      S.insufficientPrivilege,
    );
  });
});

describe('plans (seed 004 subscription_plans, global)', () => {
  it('slug is unique, prices are non-negative integer cents, and only the platform writes them', async () => {
    const slug = uniq('pro');
    await withPlatform(t.db, (tx) => tx.insert(plans).values({ slug, name: 'Pro', priceMonthlyCents: 4900 }));
    const insert = (values: Partial<typeof plans.$inferInsert>) => () =>
      withPlatform(t.db, (tx) => tx.insert(plans).values({ slug: uniq('p'), name: 'P', ...values }));
    await expectRejected(t.db, plans, insert({ slug }), S.uniqueViolation, 'plans_slug_key');
    await expectRejected(
      t.db,
      plans,
      insert({ priceMonthlyCents: -1 }),
      S.checkViolation,
      'plans_price_monthly_check',
    );
    await expectRejected(
      t.db,
      plans,
      insert({ priceYearlyCents: -1 }),
      S.checkViolation,
      'plans_price_yearly_check',
    );
    await expectRejected(t.db, plans, insert({ priceMonthlyCents: 49.5 }), S.invalidTextRepresentation);
    await expectRejected(
      t.db,
      plans,
      () => withTenant(t.db, A, (tx) => tx.insert(plans).values({ slug: uniq('p'), name: 'P' })),
      S.insufficientPrivilege,
    );
  });
});

describe('brand_config (seed 001 BrandConfig, validated by zod)', () => {
  const full = {
    logo: { url: 'https://cdn.example.com/lwm/logo.svg', alt: 'Leading with Meaning', width: 180 },
    colors: {
      primary: '#2D5A3D',
      primaryHover: '#234830',
      secondary: '#C9A227',
      background: '#FFFFFF',
      backgroundSubtle: '#F7F5F0',
      text: '#1F2937',
      textMuted: '#6B7280',
      border: '#E5E7EB',
    },
    fonts: { heading: 'Playfair Display', body: 'Lato' },
    tagline: 'Lead with purpose.',
    welcomeMessage: 'Welcome to your assessment.',
    completionMessage: 'Thank you — your coach will be in touch.',
    showPoweredBy: false,
  };

  it('accepts a full configuration', () => {
    expect(brandConfigSchema.parse(full)).toEqual(full);
    expect(brandConfigSchema.parse({}).showPoweredBy).toBe(true);
  });

  it('refuses a bad color, naming the field', () => {
    const result = brandConfigSchema.safeParse({ ...full, colors: { ...full.colors, primary: 'green' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path)).toEqual([['colors', 'primary']]);
  });

  it('refuses unknown keys, a logo without alt text and a bad logo URL', () => {
    const paths = (value: unknown) => brandConfigSchema.safeParse(value).error?.issues.map((i) => i.path);
    expect(paths({ ...full, colour: '#fff' })).toEqual([[]]);
    expect(paths({ logo: { url: 'https://x.test/l.png' } })).toEqual([['logo', 'alt']]);
    expect(paths({ logo: { url: 'not a url', alt: 'x' } })).toEqual([['logo', 'url']]);
  });

  it('email_config needs real email addresses', () => {
    expect(emailConfigSchema.safeParse({ replyTo: 'mark@leadingwithmeaning.com' }).success).toBe(true);
    expect(emailConfigSchema.safeParse({ replyTo: 'mark' }).error?.issues.map((i) => i.path)).toEqual([
      ['replyTo'],
    ]);
  });
});

describe('every table', () => {
  it('has updated_at maintained by a trigger wherever the column exists', async () => {
    const T = await tenantWith(t.db);
    await fabricateTenantRows(t.db, [T]);
    const tables = await t.db.query<{ name: string; trigger: boolean }>(`
      SELECT c.relname AS name,
             EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'set_updated_at') AS trigger
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'updated_at' AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`);
    expect(tables.length).toBeGreaterThan(40);
    for (const { name, trigger } of tables) {
      expect({ name, trigger }).toEqual({ name, trigger: true });
      const [row] = await t.db.query<{ id: string; updated_at: Date }>(
        `SELECT id::text AS id, updated_at FROM ${name} ORDER BY updated_at DESC LIMIT 1`,
      );
      expect({ name, hasRow: row !== undefined }).toEqual({ name, hasRow: true });
      await new Promise((r) => setTimeout(r, 5));
      // Even an explicit value is replaced: the trigger, not the caller, owns updated_at.
      const [after] = await t.db.query<{ advanced: boolean }>(
        `UPDATE ${name} SET updated_at = '2000-01-01' WHERE id = $1::uuid
         RETURNING updated_at > $2::timestamptz AS advanced`,
        [row!.id, row!.updated_at],
      );
      expect({ name, advanced: after?.advanced }).toEqual({ name, advanced: true });
    }
  });

  it('deleting a tenant deletes its rows in every tenant table, audit log included', async () => {
    const [gone, kept] = [randomUUID(), randomUUID()];
    await tenantWith(t.db, { id: gone });
    await tenantWith(t.db, { id: kept });
    await fabricateTenantRows(t.db, [gone, kept]);
    await t.db.query('DELETE FROM tenants WHERE id = $1', [gone]);
    for (const table of await tenantTables(t.db)) {
      const count = async (tenant: string) =>
        (
          await t.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${table.name} WHERE ${table.tenantKey} = $1`,
            [tenant],
          )
        )[0]!.n;
      expect({ table: table.name, gone: await count(gone) }).toEqual({ table: table.name, gone: 0 });
      expect({ table: table.name, kept: (await count(kept)) > 0 }).toEqual({ table: table.name, kept: true });
    }
  });

  it('every composite reference refuses a parent of another tenant (23503), changing nothing', async () => {
    const [X, Y] = [await tenantWith(t.db), await tenantWith(t.db)];
    const made = await fabricateTenantRows(t.db, [X, Y]);
    const composite = (await foreignKeys(t.db)).filter(
      (fk) =>
        fk.columns.length === 2 && fk.columns[0] === 'tenant_id' && fk.refColumns.join() === 'tenant_id,id',
    );
    expect(composite.length).toBeGreaterThan(40);
    for (const fk of composite) {
      const [rowId, foreignId] = [made.get(fk.table)!.get(X)!, made.get(fk.refTable)!.get(Y)!];
      const read = () => t.db.query(`SELECT to_jsonb(x) AS row FROM ${fk.table} x WHERE id = $1`, [rowId]);
      const before = await read();
      // Through the request role, on X's own row: RLS allows the update; only the key refuses it.
      const error = await pgError(
        withTenant(t.db, X, (tx) =>
          tx.execute(
            sql.raw(`UPDATE ${fk.table} SET ${fk.columns[1]} = '${foreignId}' WHERE id = '${rowId}'`),
          ),
        ),
      );
      expect({ fk: fk.name, code: error.code, constraint: error.constraint }).toEqual({
        fk: fk.name,
        code: S.foreignKeyViolation,
        constraint: fk.name,
      });
      expect(await read()).toEqual(before);
    }
  });
});
