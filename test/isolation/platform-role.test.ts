/**
 * The platform role reaches only what platform work needs (migrations/0016_platform_role.sql), and
 * every tenant table's tenant_id defaults to the transaction's tenant. Read from the catalog, so a
 * later migration that widens the role or adds a tenant table without the default fails here.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/domains/conversations/tables.js';
import { rows } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { tenants } from '../../src/schema/tenants.js';
import { useTestDatabase } from '../helpers/db.js';

const t = useTestDatabase();

/** Table → the privileges the platform role holds on it: whole-table ones, then `PRIV(column)`. */
const EXPECTED: Record<string, string[]> = {
  agent_templates: ['INSERT', 'SELECT', 'UPDATE'],
  api_keys: ['SELECT', 'UPDATE(last_used_at)'],
  audit_log: ['INSERT'],
  channels: ['SELECT', 'UPDATE(secrets)'],
  inbound_events: ['INSERT', 'SELECT', 'UPDATE'],
  inbound_signature_nonces: ['DELETE', 'INSERT', 'SELECT'],
  integrations: ['SELECT', 'UPDATE(secrets)'],
  invitations: ['SELECT', 'UPDATE'],
  memberships: ['INSERT', 'SELECT'],
  plans: ['INSERT', 'SELECT', 'UPDATE'],
  quota_counters: ['INSERT', 'SELECT', 'UPDATE'],
  schedule_wakeups: ['SELECT'],
  tenants: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'],
  user_sessions: ['DELETE', 'INSERT', 'SELECT'],
  users: ['INSERT', 'SELECT', 'UPDATE'],
  webhook_deliveries: ['SELECT'],
  webhook_endpoints: ['SELECT', 'UPDATE(previous_secret)', 'UPDATE(secret)'],
  widget_settings: ['SELECT'],
};

describe('the platform role', () => {
  it('holds exactly the listed privileges, table by table and column by column', async () => {
    const tableGrants = await t.db.query<{ name: string; priv: string }>(
      `SELECT table_name AS name, privilege_type AS priv FROM information_schema.role_table_grants
       WHERE grantee = 'frontdesk_platform' AND table_schema = 'public'`,
    );
    const columnGrants = await t.db.query<{ name: string; priv: string; col: string }>(
      `SELECT table_name AS name, privilege_type AS priv, column_name AS col
       FROM information_schema.column_privileges c
       WHERE grantee = 'frontdesk_platform' AND table_schema = 'public'
         AND NOT EXISTS (SELECT 1 FROM information_schema.role_table_grants g
                         WHERE g.grantee = c.grantee AND g.table_schema = c.table_schema
                           AND g.table_name = c.table_name AND g.privilege_type = c.privilege_type)`,
    );
    const granted = [
      ...tableGrants.map((g) => [g.name, g.priv] as const),
      ...columnGrants.map((g) => [g.name, `${g.priv}(${g.col})`] as const),
    ];
    const actual: Record<string, string[]> = {};
    for (const [name, priv] of granted) actual[name] = [...(actual[name] ?? []), priv].sort();
    expect(actual).toEqual(EXPECTED);
  });

  it('has a policy only on the listed tables that have row-level security', async () => {
    const policies = await t.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
       WHERE 'frontdesk_platform'::regrole = ANY (p.polroles) ORDER BY 1`,
    );
    const secured = await t.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relrowsecurity`,
    );
    expect(secured.length).toBeGreaterThan(40);
    const rls = new Set(secured.map((x) => x.name));
    expect(policies.map((p) => p.name)).toEqual(Object.keys(EXPECTED).filter((name) => rls.has(name)));
  });

  it("cannot read or write a tenant's conversations: permission denied, not an empty answer", async () => {
    const denied = await withPlatform(t.db, (tx) => tx.select().from(messages).limit(1)).catch(
      (e: Error) => e,
    );
    expect((denied as Error).cause).toMatchObject({ message: 'permission denied for table messages' });
  });
});

describe('tenant_id', () => {
  it('defaults to current_tenant_id() in every tenant table', async () => {
    const defaults = await t.db.query<{ name: string; def: string | null }>(
      `SELECT c.relname AS name, pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    expect(defaults.length).toBeGreaterThan(40);
    expect(defaults.filter((d) => d.def !== 'current_tenant_id()')).toEqual([]);
  });

  it("is the context's tenant when an insert names none, and an insert outside any tenant fails", async () => {
    const [tenant] = await withPlatform(t.db, (tx) =>
      tx.insert(tenants).values({ slug: 'defaults', name: 'Defaults' }).returning(),
    );
    const [made] = await withTenant(t.db, tenant!.id, (tx) =>
      rows<{ tenant_id: string }>(
        tx,
        sql`INSERT INTO contacts (id, name) VALUES (gen_random_uuid(), 'No tenant named') RETURNING tenant_id::text`,
      ),
    );
    expect(made!.tenant_id).toBe(tenant!.id);
    // Outside any tenant context (here the owner's own connection) there is no tenant to default to.
    await expect(
      t.db.query(`INSERT INTO contacts (id, name) VALUES (gen_random_uuid(), 'Nobody''s')`),
      // (Citus refuses it first: a NULL distribution column)
    ).rejects.toThrow(/null value in column "tenant_id"|INSERT with NULL in the partition column/);
  });
});
