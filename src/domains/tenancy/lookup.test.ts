import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { type NewTenant, tenants } from '../../schema/tenants.js';
import { memberships, users } from '../identity/tables.js';
import { normalizeHost, tenantByDomain, tenantById, tenantBySlug, tenantsOfUser } from './lookup.js';

const t = useTestDatabase();
const ids: Record<string, string> = {};
let alice: string;
let bob: string;

const day = (n: number) => new Date(Date.UTC(2026, 0, n));

beforeAll(async () => {
  const rows: Array<NewTenant & { key: string }> = [
    {
      key: 'acme',
      slug: 'acme-lookup',
      name: 'Acme',
      domain: 'Acme.example',
      customDomain: 'Help.Acme.Example',
      createdAt: day(1),
    },
    {
      key: 'older',
      slug: 'shared-older',
      name: 'Shared (older)',
      domain: 'shared.example',
      createdAt: day(2),
    },
    {
      key: 'newer',
      slug: 'shared-newer',
      name: 'Shared (newer)',
      domain: 'shared.example',
      createdAt: day(3),
    },
    {
      key: 'custom',
      slug: 'owns-custom',
      name: 'Beta',
      domain: 'beta.example',
      customDomain: 'www.acme.example',
      createdAt: day(4),
    },
    { key: 'inactive', slug: 'gone', name: 'Gone', domain: 'gone.example', active: false, createdAt: day(5) },
  ];
  await withPlatform(t.db, async (tx) => {
    for (const { key, ...row } of rows) {
      const [created] = await tx.insert(tenants).values(row).returning({ id: tenants.id });
      ids[key] = created!.id;
    }
    const made = await tx
      .insert(users)
      .values([{ email: 'alice@lookup.test' }, { email: 'bob@lookup.test' }])
      .returning({ id: users.id });
    [alice, bob] = [made[0]!.id, made[1]!.id];
  });
  await withTenant(t.db, ids.acme!, (tx) =>
    tx.insert(memberships).values({ tenantId: ids.acme!, userId: alice, role: 'agent' }),
  );
  await withTenant(t.db, ids.custom!, (tx) =>
    tx.insert(memberships).values({ tenantId: ids.custom!, userId: alice, role: 'owner' }),
  );
});

describe('tenantBySlug', () => {
  it('finds a tenant by slug, ignoring case and surrounding spaces', async () => {
    expect((await tenantBySlug(t.db, 'acme-lookup'))?.id).toBe(ids.acme);
    expect((await tenantBySlug(t.db, '  ACME-Lookup '))?.id).toBe(ids.acme);
  });

  it('returns null for an unknown or empty slug', async () => {
    expect(await tenantBySlug(t.db, 'no-such-tenant')).toBeNull();
    expect(await tenantBySlug(t.db, '')).toBeNull();
  });

  it('returns inactive tenants too (the caller decides)', async () => {
    expect(await tenantBySlug(t.db, 'gone')).toMatchObject({ id: ids.inactive, active: false });
  });
});

describe('tenantByDomain', () => {
  it('matches the custom domain or the domain case-insensitively', async () => {
    expect((await tenantByDomain(t.db, 'help.acme.example'))?.id).toBe(ids.acme);
    expect((await tenantByDomain(t.db, 'HELP.ACME.EXAMPLE'))?.id).toBe(ids.acme);
    expect((await tenantByDomain(t.db, 'acme.EXAMPLE'))?.id).toBe(ids.acme);
  });

  it('ignores a port and a trailing dot in a Host header', async () => {
    expect((await tenantByDomain(t.db, 'Help.Acme.Example:8443'))?.id).toBe(ids.acme);
    expect((await tenantByDomain(t.db, 'help.acme.example.'))?.id).toBe(ids.acme);
    expect(normalizeHost(' Foo.Example:80 ')).toBe('foo.example');
  });

  it('prefers a custom domain over another tenant’s domain, and the oldest of tenants sharing a domain', async () => {
    expect((await tenantByDomain(t.db, 'www.acme.example'))?.id).toBe(ids.custom);
    expect((await tenantByDomain(t.db, 'shared.example'))?.id).toBe(ids.older);
  });

  it('returns null for an unknown or empty host, and does not match partial names', async () => {
    expect(await tenantByDomain(t.db, 'nobody.example')).toBeNull();
    expect(await tenantByDomain(t.db, 'acme')).toBeNull();
    expect(await tenantByDomain(t.db, '')).toBeNull();
    expect(await tenantByDomain(t.db, '%')).toBeNull();
  });
});

describe('tenantById', () => {
  it('finds a tenant by id', async () => {
    expect(await tenantById(t.db, ids.newer!)).toMatchObject({
      slug: 'shared-newer',
      name: 'Shared (newer)',
    });
    expect((await tenantById(t.db, ids.newer!.toUpperCase()))?.id).toBe(ids.newer);
  });

  it('returns null for an unknown or malformed id', async () => {
    expect(await tenantById(t.db, '00000000-0000-7000-8000-000000000000')).toBeNull();
    expect(await tenantById(t.db, 'not-a-uuid')).toBeNull();
    expect(await tenantById(t.db, "' or 1=1 --")).toBeNull();
  });
});

describe('tenantsOfUser', () => {
  it('lists the tenants a user belongs to, with the role, by tenant name', async () => {
    const list = await tenantsOfUser(t.db, alice);
    expect(list.map((m) => [m.tenant.slug, m.role])).toEqual([
      ['acme-lookup', 'agent'],
      ['owns-custom', 'owner'],
    ]);
    expect(list[0]!.tenant).toMatchObject({ id: ids.acme, name: 'Acme' });
  });

  it('returns an empty list for a user without memberships, an unknown user or a malformed id', async () => {
    expect(await tenantsOfUser(t.db, bob)).toEqual([]);
    expect(await tenantsOfUser(t.db, '00000000-0000-7000-8000-000000000000')).toEqual([]);
    expect(await tenantsOfUser(t.db, 'nope')).toEqual([]);
  });
});
