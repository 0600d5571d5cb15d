/** The known ways around RLS, closed: checked in the catalog so a later migration cannot reopen one. */
import { describe, expect, it } from 'vitest';
import { onCitus, useTestDatabase } from '../helpers/db.js';

const t = useTestDatabase();
// On Citus the request roles can log in, without a password: Citus connects to the workers as the
// current role (migration 0017, docs/scale-out.md). Everywhere else they cannot.
const canLogin = (): boolean => onCitus();

describe('ways around RLS', () => {
  it('the request and platform roles are neither superuser nor BYPASSRLS, and cannot log in (on Citus: with no password)', async () => {
    const roles = await t.db.query(
      `SELECT rolname, rolsuper, rolbypassrls, rolcanlogin, rolpassword IS NULL AS "noPassword" FROM pg_authid
       WHERE rolname IN ('frontdesk_app', 'frontdesk_platform') ORDER BY rolname`,
    );
    expect(roles).toEqual([
      {
        rolname: 'frontdesk_app',
        rolsuper: false,
        rolbypassrls: false,
        rolcanlogin: canLogin(),
        noPassword: true,
      },
      {
        rolname: 'frontdesk_platform',
        rolsuper: false,
        rolbypassrls: false,
        rolcanlogin: canLogin(),
        noPassword: true,
      },
    ]);
  });

  it('every view is security_invoker', async () => {
    const views = await t.db.query<{ name: string; invoker: boolean }>(
      `SELECT c.relname AS name,
              coalesce('security_invoker=true' = ANY (c.reloptions) OR 'security_invoker=on' = ANY (c.reloptions), false) AS invoker
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'v' AND n.nspname = 'public'
         -- an extension's own views (Citus puts citus_tables in public) are not Frontdesk's
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                         AND d.objid = c.oid AND d.deptype = 'e')`,
    );
    expect(views.filter((v) => !v.invoker)).toEqual([]);
  });

  it('no materialized view exists (it would hold tenant data outside RLS)', async () => {
    const mv = await t.db.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'm' AND n.nspname = 'public'`,
    );
    expect(mv).toEqual([]);
  });

  it('every SECURITY DEFINER function has a fixed search_path', async () => {
    const fns = await t.db.query<{ name: string }>(
      `SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND p.prosecdef
         AND NOT coalesce(EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%'), false)`,
    );
    expect(fns).toEqual([]);
  });

  it('no function is LEAKPROOF', async () => {
    const fns = await t.db.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND p.proleakproof`,
    );
    expect(fns).toEqual([]);
  });

  it('the request role cannot read password hashes, and sees only its tenant’s members', async () => {
    await t.db.exec(`
      INSERT INTO tenants (id, slug, name) VALUES ('00000000-0000-7000-8000-00000000000a', 'ta', 'A'),
                                                  ('00000000-0000-7000-8000-00000000000b', 'tb', 'B');
      INSERT INTO users (id, email, password_hash) VALUES ('00000000-0000-7000-8000-0000000000a1', 'a@x.test', 'h1'),
                                                          ('00000000-0000-7000-8000-0000000000b1', 'b@x.test', 'h2');
      INSERT INTO memberships (tenant_id, id, user_id, role) VALUES
        ('00000000-0000-7000-8000-00000000000a', gen_random_uuid(), '00000000-0000-7000-8000-0000000000a1', 'owner'),
        ('00000000-0000-7000-8000-00000000000b', gen_random_uuid(), '00000000-0000-7000-8000-0000000000b1', 'owner');`);
    const asA = (text: string) =>
      t.db.transaction(async (c) => {
        await c.exec(`SELECT frontdesk_enter_tenant('00000000-0000-7000-8000-00000000000a')`);
        return c.query(text);
      });
    expect(await asA('SELECT email FROM users')).toEqual([{ email: 'a@x.test' }]);
    await expect(asA('SELECT password_hash FROM users')).rejects.toMatchObject({ code: '42501' });
  });

  it('the keyword search role reads only the two keyword tables, owns only its two functions, and cannot log in', async () => {
    const [role] = await t.db.query<{ rolsuper: boolean; rolcanlogin: boolean }>(
      `SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'frontdesk_search'`,
    );
    expect(role).toEqual({ rolsuper: false, rolcanlogin: canLogin() });
    const grants = await t.db.query(
      `SELECT table_name, privilege_type FROM information_schema.role_table_grants
       WHERE grantee = 'frontdesk_search' ORDER BY table_name, privilege_type`,
    );
    expect(grants).toEqual([
      { table_name: 'knowledge_chunks', privilege_type: 'SELECT' },
      { table_name: 'knowledge_terms', privilege_type: 'SELECT' },
    ]);
    const owned = await t.db.query(
      `SELECT p.proname, p.prosecdef, has_function_privilege('frontdesk_platform', p.oid, 'EXECUTE') AS platform
       FROM pg_proc p WHERE p.proowner = 'frontdesk_search'::regrole ORDER BY 1`,
    );
    expect(owned).toEqual([
      { proname: 'frontdesk_keyword_matches', prosecdef: true, platform: false },
      { proname: 'frontdesk_term_corrections', prosecdef: true, platform: false },
    ]);
  });

  it('the keyword functions return the current tenant’s rows only, and nothing without a tenant', async () => {
    const a = '00000000-0000-7000-8000-00000000001a';
    const b = '00000000-0000-7000-8000-00000000001b';
    await t.db.exec(`
      INSERT INTO tenants (id, slug, name) VALUES ('${a}', 'ka', 'A'), ('${b}', 'kb', 'B');
      INSERT INTO knowledge_sources (tenant_id, id, kind, status, title, content, content_hash) VALUES
        ('${a}', '00000000-0000-7000-8000-0000000001a1', 'text', 'ready', 'A', 'zebra', 'ha'),
        ('${b}', '00000000-0000-7000-8000-0000000001b1', 'text', 'ready', 'B', 'zebra', 'hb');
      INSERT INTO knowledge_chunks (tenant_id, id, source_id, content, position, start_offset, end_offset) VALUES
        ('${a}', '00000000-0000-7000-8000-0000000002a1', '00000000-0000-7000-8000-0000000001a1', 'zebra crossing', 0, 0, 14),
        ('${b}', '00000000-0000-7000-8000-0000000002b1', '00000000-0000-7000-8000-0000000001b1', 'zebra zebra', 0, 0, 11);`);
    const as = (tenant: string | null, text: string) =>
      t.db.transaction(async (c) => {
        await c.query('SELECT frontdesk_enter_tenant($1)', [tenant]);
        return c.query(text);
      });
    const matches = `SELECT chunk_id, tf FROM frontdesk_keyword_matches('zebra'::tsquery, ARRAY['zebra', 'crossing'], 10)`;
    const corrections = `SELECT word, term FROM frontdesk_term_corrections(ARRAY['zebre'], 5)`;
    expect(await as(a, matches)).toEqual([{ chunk_id: '00000000-0000-7000-8000-0000000002a1', tf: [1, 1] }]);
    expect(await as(b, matches)).toEqual([{ chunk_id: '00000000-0000-7000-8000-0000000002b1', tf: [2, 0] }]);
    expect(await as(null, matches)).toEqual([]);
    expect(await as(a, corrections)).toEqual([{ word: 'zebre', term: 'zebra' }]);
    expect(await as(null, corrections)).toEqual([]);
  });
});
