/**
 * Makes one valid row per tenant in every tenant table, from the catalog alone: NOT NULL
 * columns get a value of their type (the first allowed value where a CHECK lists them),
 * composite references point at the same tenant's parent row, and global references at one
 * shared global row. Tables are filled parents first. A table whose CHECKs need more than that
 * takes an entry in `OVERRIDES` (the test names the table when that happens).
 */
import { randomUUID } from 'node:crypto';
import type { Database, SqlConnection } from '../../src/platform/db/database.js';
import { columnsOf, enumChecks, type ForeignKeyInfo, foreignKeys, tenantTables } from './catalog.js';

/** Column values (SQL expressions) for tables whose CHECKs relate columns to each other. */
export const OVERRIDES: Record<string, Record<string, string>> = {
  reservations: { check_in: 'current_date', check_out: 'current_date + 2' },
  escalations: { status: "'open'" },
  audit_log: { actor_type: "'system'" },
  canned_responses: { is_team: 'true' },
  usage_events: { event_type: "'llm.call'" },
  usage_notices: { period: "'2026-01'" },
  webhook_endpoints: { url: "'https://hooks.example.test/frontdesk'" },
};

function literalFor(type: string, allowed: string[] | undefined): string {
  if (allowed?.length) return `'${allowed[0]!.replaceAll("'", "''")}'`;
  if (type.endsWith('[]')) return `'{}'::${type}`;
  const vec = /^vector(?:\((\d+)\))?$/.exec(type);
  if (vec) {
    const dim = Number(vec[1] ?? 3);
    return `'[${Array.from({ length: dim }, (_, i) => ((i % 7) + 1) / 10).join(',')}]'::${type}`;
  }
  if (type === 'uuid') return `'${randomUUID()}'::uuid`;
  if (/^(integer|bigint|smallint|numeric|real|double precision)/.test(type)) return `1::${type}`;
  if (type === 'boolean') return 'false';
  if (type.startsWith('timestamp')) return 'now()';
  if (type === 'date') return 'current_date';
  if (type.startsWith('time')) return `'10:00'::${type}`;
  if (type === 'jsonb' || type === 'json') return `'{}'::${type}`;
  if (type === 'inet') return `'127.0.0.1'::inet`;
  if (type === 'tsvector') return `to_tsvector('simple', 'x')`;
  if (type === 'regconfig') return `'simple'::regconfig`;
  if (type === 'text' || type.startsWith('character')) return `'x-${randomUUID().slice(0, 8)}'`;
  throw new Error(`fabricate: no value for type ${type}`);
}

function topoSort(tables: string[], fks: ForeignKeyInfo[]): string[] {
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const fk of fks) {
    if (deps.has(fk.table) && deps.has(fk.refTable) && fk.table !== fk.refTable)
      deps.get(fk.table)!.add(fk.refTable);
  }
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string) => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const d of deps.get(t) ?? []) visit(d);
    order.push(t);
  };
  for (const t of tables) visit(t);
  return order;
}

async function insertRow(conn: SqlConnection, table: string, values: Map<string, string>): Promise<string> {
  const cols = [...values.keys()];
  const rows = await conn.query<{ id: string }>(
    `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => values.get(c)).join(', ')}) ON CONFLICT DO NOTHING RETURNING id::text AS id`,
  );
  if (rows[0]) return rows[0].id;
  // A row a trigger already made (knowledge_stats: one per tenant, counted when a chunk was made).
  const existing = await conn.query<{ id: string }>(
    `SELECT id::text AS id FROM ${table} WHERE tenant_id = ${values.get('tenant_id')} LIMIT 1`,
  );
  return existing[0]!.id;
}

/** ids[table][tenantId] = id of the row made for that tenant. */
export type Fabricated = Map<string, Map<string, string>>;

export async function fabricateTenantRows(db: Database, tenantIds: string[]): Promise<Fabricated> {
  return db.transaction(async (conn) => {
    const all = await tenantTables(conn);
    const tenantSet = new Set(all.map((t) => t.name));
    const fks = await foreignKeys(conn);
    const globals = [
      ...new Set(
        fks.filter((f) => tenantSet.has(f.table) && !tenantSet.has(f.refTable)).map((f) => f.refTable),
      ),
    ];
    const made: Fabricated = new Map();
    made.set('tenants', new Map(tenantIds.map((t) => [t, t])));

    const build = async (table: string, tenantId: string | undefined) => {
      const values = new Map<string, string>();
      const checks = await enumChecks(conn, table);
      const tableFks = fks.filter((f) => f.table === table);
      for (const col of await columnsOf(conn, table)) {
        if (col.generated) continue;
        const override = OVERRIDES[table]?.[col.name];
        if (override) values.set(col.name, override);
        else if (col.name === 'tenant_id' && tenantId) values.set(col.name, `'${tenantId}'::uuid`);
        else if (col.name === 'id' && col.type === 'uuid') values.set(col.name, `'${randomUUID()}'::uuid`);
        else {
          // A reference to the parent's id (a reference to memberships (tenant_id, user_id) is left out:
          // those columns are nullable and the fabricated membership's user is not this row's to pick).
          const fk = tableFks.find(
            (f) =>
              f.columns.includes(col.name) &&
              f.columns.length <= 2 &&
              f.refColumns[f.columns.indexOf(col.name)] === 'id',
          );
          const parent = fk && made.get(fk.refTable);
          if (fk && parent && fk.refTable !== table) {
            const parentId = tenantId ? parent.get(tenantId) : parent.get('global');
            if (parentId && (col.notNull || tenantSet.has(fk.refTable)))
              values.set(col.name, `'${parentId}'::uuid`);
            else if (col.notNull) values.set(col.name, `'${parent.get('global') ?? ''}'::uuid`);
          } else if (col.notNull && !col.hasDefault) {
            values.set(col.name, literalFor(col.type, checks.get(col.name)));
          }
        }
      }
      return values;
    };

    for (const g of topoSort(globals, fks)) {
      made.set(g, new Map([['global', await insertRow(conn, g, await build(g, undefined))]]));
    }
    for (const table of topoSort(
      [...tenantSet].filter((t) => t !== 'tenants'),
      fks,
    )) {
      const ids = new Map<string, string>();
      for (const tenantId of tenantIds) {
        try {
          ids.set(tenantId, await insertRow(conn, table, await build(table, tenantId)));
        } catch (error) {
          throw new Error(
            `fabricate: cannot make a row in ${table} (${(error as Error).message}); add an entry to OVERRIDES in test/helpers/fabricate.ts`,
          );
        }
      }
      made.set(table, ids);
    }
    return made;
  });
}
