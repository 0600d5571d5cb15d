/**
 * `tenantTable` declares every tenant-owned table the same way (DESIGN.md, "Keys"):
 * `tenant_id` first, a UUIDv7 `id`, primary key `(tenant_id, id)`, and `tenant_id → tenants`.
 * Migrations then enable and force RLS on it automatically (see migrations/0000_foundation.sql),
 * so a new table cannot be forgotten.
 */
import { type BuildColumns, type BuildExtraConfigColumns, sql } from 'drizzle-orm';
import {
  foreignKey,
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTableExtraConfigValue,
  type PgTableWithColumns,
  pgTable,
  primaryKey,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn } from './columns.js';
import { tenants } from './tenants.js';

const tenantColumns = () => ({
  // Defaults to the transaction's tenant: an insert made in a tenant context needs no tenant id,
  // and one made outside any (NULL) fails NOT NULL before RLS is even asked.
  tenantId: uuid('tenant_id')
    .notNull()
    .default(sql`current_tenant_id()`)
    .references(() => tenants.id, { onDelete: 'cascade' }),
  id: idColumn(),
});

type TenantColumns<T> = ReturnType<typeof tenantColumns> & T;

export function tenantTable<TName extends string, TColumns extends Record<string, PgColumnBuilderBase>>(
  name: TName,
  columns: TColumns,
  extra?: (t: BuildExtraConfigColumns<TName, TenantColumns<TColumns>, 'pg'>) => PgTableExtraConfigValue[],
): PgTableWithColumns<{
  name: TName;
  schema: undefined;
  columns: BuildColumns<TName, TenantColumns<TColumns>, 'pg'>;
  dialect: 'pg';
}> {
  const all = { ...tenantColumns(), ...columns } as TenantColumns<TColumns>;
  return pgTable(name, all, (t) => [
    primaryKey({ name: `${name}_pkey`, columns: [t.tenantId, t.id] }),
    ...(extra ? extra(t) : []),
  ]);
}

type TenantKeyed = { tenantId: PgColumn; id: PgColumn };
type OnDelete = 'cascade' | 'restrict' | 'no action';

/**
 * A composite reference `(tenant_id, column) → target(tenant_id, id)`: a row can never point
 * into another tenant. Optional references use the default (no action): a composite key cannot
 * SET NULL without also nulling `tenant_id`.
 * @example tenantRef('contacts_account_fk', t.tenantId, t.accountId, accounts)
 */
export function tenantRef(
  name: string,
  tenantIdCol: PgColumn,
  column: PgColumn,
  target: TenantKeyed,
  onDelete: OnDelete = 'no action',
) {
  return foreignKey({
    name,
    columns: [tenantIdCol, column],
    foreignColumns: [target.tenantId, target.id],
  }).onDelete(onDelete);
}
