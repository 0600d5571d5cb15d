/**
 * What the isolation tests know about the schema comes from the catalog, never from a hand-kept
 * list, so every table added later is covered the moment its migration runs.
 */
import type { SqlConnection } from '../../src/platform/db/database.js';

export interface TableInfo {
  name: string;
  /** The column holding the owning tenant: `tenant_id`, or `id` on `tenants` itself. */
  tenantKey: 'tenant_id' | 'id';
}

/** Every tenant-owned table in `public`: those with a tenant_id column, plus `tenants`. */
export async function tenantTables(conn: Pick<SqlConnection, 'query'>): Promise<TableInfo[]> {
  const rows = await conn.query<{ name: string; has_tenant_id: boolean }>(`
    SELECT c.relname AS name,
           EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                   AND NOT a.attisdropped) AS has_tenant_id
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    ORDER BY c.relname`);
  return rows
    .filter((r) => r.has_tenant_id || r.name === 'tenants')
    .map((r) => ({ name: r.name, tenantKey: r.has_tenant_id ? 'tenant_id' : 'id' }));
}

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  generated: boolean;
  isArray: boolean;
}

export async function columnsOf(conn: Pick<SqlConnection, 'query'>, table: string): Promise<ColumnInfo[]> {
  return conn.query<ColumnInfo & Record<string, unknown>>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
            a.atthasdef AS "hasDefault", a.attgenerated <> '' AS generated, t.typcategory = 'A' AS "isArray"
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [`public.${table}`],
  );
}

export interface ForeignKeyInfo {
  table: string;
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export async function foreignKeys(conn: Pick<SqlConnection, 'query'>): Promise<ForeignKeyInfo[]> {
  return conn.query<ForeignKeyInfo & Record<string, unknown>>(`
    SELECT c.conrelid::regclass::text AS table, c.conname AS name,
           array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
           c.confrelid::regclass::text AS "refTable",
           array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS "refColumns"
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE c.contype = 'f' AND n.nspname = 'public'`);
}

/** `col IN ('a', 'b')` CHECKs of a table, as column → allowed values. */
export async function enumChecks(
  conn: Pick<SqlConnection, 'query'>,
  table: string,
): Promise<Map<string, string[]>> {
  const rows = await conn.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`,
    [`public.${table}`],
  );
  const result = new Map<string, string[]>();
  for (const { def } of rows) {
    const m = /^CHECK \(\(\(?(\w+)\)? = ANY \(\(?ARRAY\[(.*)\]\)?(?:::text\[\])?\)\)\)$/.exec(def);
    if (!m) continue;
    const values = [...m[2]!.matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1]!.replaceAll("''", "'"));
    result.set(m[1]!, values);
  }
  return result;
}
