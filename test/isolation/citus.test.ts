/**
 * Citus readiness, from the catalog: tenant tables can be distributed by tenant_id only if every
 * primary key and unique constraint includes tenant_id, and every foreign key between tenant
 * tables includes it too (so it stays within one shard).
 */
import { describe, expect, it } from 'vitest';
import { foreignKeys, tenantTables } from '../helpers/catalog.js';
import { useTestDatabase } from '../helpers/db.js';

const t = useTestDatabase();

describe('Citus readiness', () => {
  it('every primary key and unique index of a tenant table includes tenant_id', async () => {
    const tables = (await tenantTables(t.db)).filter((x) => x.tenantKey === 'tenant_id');
    const indexes = await t.db.query<{ table: string; index: string; cols: string[] }>(
      `SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS index,
              array(SELECT a.attname::text FROM pg_attribute a
                    WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)) AS cols
       FROM pg_index i
       WHERE (i.indisunique OR i.indisprimary) AND i.indrelid = ANY ($1::regclass[])`,
      [tables.map((x) => `public.${x.name}`)],
    );
    expect(indexes.length).toBeGreaterThanOrEqual(tables.length);
    const missing = indexes.filter((i) => !i.cols.includes('tenant_id')).map((i) => `${i.table}.${i.index}`);
    expect(missing).toEqual([]);
  });

  it('every foreign key between tenant tables includes tenant_id on both sides', async () => {
    const tenantNames = new Set(
      (await tenantTables(t.db)).filter((x) => x.tenantKey === 'tenant_id').map((x) => x.name),
    );
    const between = (await foreignKeys(t.db)).filter(
      (f) => tenantNames.has(f.table) && tenantNames.has(f.refTable),
    );
    const bad = between
      .filter((f) => f.columns[0] !== 'tenant_id' || f.refColumns[0] !== 'tenant_id')
      .map((f) => `${f.table}.${f.name}`);
    expect(bad).toEqual([]);
  });

  it('tenant tables reference tenants(id) through tenant_id', async () => {
    const tables = (await tenantTables(t.db)).filter((x) => x.tenantKey === 'tenant_id').map((x) => x.name);
    const fks = await foreignKeys(t.db);
    const without = tables.filter(
      (name) =>
        !fks.some((f) => f.table === name && f.refTable === 'tenants' && f.columns.join() === 'tenant_id'),
    );
    expect(without).toEqual([]);
  });
});
