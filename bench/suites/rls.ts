/**
 * `rls`: what Row Level Security costs. 100 tenants × 1,000 contacts; a point lookup and a
 * 50-row list, each as one request-shaped transaction through `withTenant` (RLS decides), against
 * the same queries as the owner with an explicit `WHERE tenant_id = …`: in a transaction with
 * the same round trips (`ownerWhereScoped`: isolates the policy), in a plain transaction
 * (`ownerWhereTx`: one round trip fewer on PGlite), and bare (the raw floor, one statement).
 */
import { and, desc, eq } from 'drizzle-orm';
import { contacts } from '../../src/domains/crm/tables.js';
import type { Database } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { compare } from '../lib/stats.js';

const TENANTS = 100;
const ROWS_PER_TENANT = 1_000;

async function load(db: Database): Promise<{ tenant: string; id: string }[]> {
  await db.exec(`
    INSERT INTO tenants (id, slug, name)
      SELECT gen_random_uuid(), 'bench-' || g, 'Bench ' || g FROM generate_series(1, ${TENANTS}) g;
    INSERT INTO contacts (tenant_id, id, name, email, created_at, updated_at)
      SELECT t.id, gen_random_uuid(), 'Contact ' || g, 'c' || g || '@' || t.slug || '.test', now(), now()
      FROM tenants t, generate_series(1, ${ROWS_PER_TENANT}) g;
    ANALYZE tenants; ANALYZE contacts;`);
  return db.query<{ tenant: string; id: string }>(
    `SELECT tenant_id::text AS tenant, id::text AS id FROM contacts ORDER BY random() LIMIT 2000`,
  );
}

/**
 * The owner's transaction with the same setup statement as withTenant's, minus the role: the
 * same round trips and statements, so the difference to withTenant is the policy alone.
 */
const ownerSetup = (tenant: string) => `SELECT set_config('app.tenant_id', '${tenant}', true)`;

export async function rlsSuite(db: Database) {
  const keys = await load(db);
  let i = 0;
  const next = () => keys[i++ % keys.length]!;
  const d = db.drizzle;

  const point = await compare({
    withTenant: () => {
      const k = next();
      return withTenant(db, k.tenant, (tx) => tx.select().from(contacts).where(eq(contacts.id, k.id)));
    },
    ownerWhereTx: () => {
      const k = next();
      return d.transaction((tx) =>
        tx
          .select()
          .from(contacts)
          .where(and(eq(contacts.tenantId, k.tenant), eq(contacts.id, k.id))),
      );
    },
    ownerWhereScoped: () => {
      const k = next();
      return db.scoped(ownerSetup(k.tenant), (tx) =>
        tx
          .select()
          .from(contacts)
          .where(and(eq(contacts.tenantId, k.tenant), eq(contacts.id, k.id))),
      );
    },
    ownerWhereBare: () => {
      const k = next();
      return d
        .select()
        .from(contacts)
        .where(and(eq(contacts.tenantId, k.tenant), eq(contacts.id, k.id)));
    },
  });

  const list = await compare({
    withTenant: () => {
      const k = next();
      return withTenant(db, k.tenant, (tx) =>
        tx.select().from(contacts).orderBy(desc(contacts.id)).limit(50),
      );
    },
    ownerWhereTx: () => {
      const k = next();
      return d.transaction((tx) =>
        tx
          .select()
          .from(contacts)
          .where(eq(contacts.tenantId, k.tenant))
          .orderBy(desc(contacts.id))
          .limit(50),
      );
    },
    ownerWhereScoped: () => {
      const k = next();
      return db.scoped(ownerSetup(k.tenant), (tx) =>
        tx
          .select()
          .from(contacts)
          .where(eq(contacts.tenantId, k.tenant))
          .orderBy(desc(contacts.id))
          .limit(50),
      );
    },
    ownerWhereBare: () => {
      const k = next();
      return d
        .select()
        .from(contacts)
        .where(eq(contacts.tenantId, k.tenant))
        .orderBy(desc(contacts.id))
        .limit(50);
    },
  });

  const ratio = (r: typeof point) => ({
    vsOwnerScoped: +(r.withTenant!.p50 / r.ownerWhereScoped!.p50).toFixed(3),
    vsOwnerTx: +(r.withTenant!.p50 / r.ownerWhereTx!.p50).toFixed(3),
    vsOwnerBare: +(r.withTenant!.p50 / r.ownerWhereBare!.p50).toFixed(3),
  });
  return {
    dataset: { tenants: TENANTS, rowsPerTenant: ROWS_PER_TENANT },
    pointLookup: { ...point, ratioP50: ratio(point) },
    list50: { ...list, ratioP50: ratio(list) },
    target: 'withTenant p50 ≤ 1.10 × owner with explicit WHERE',
  };
}
