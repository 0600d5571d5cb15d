/**
 * What a demo tenant module gets to write its data: the tenant's transaction (opened with
 * `withTenant`, so RLS checks every row), a batch writer that counts rows per table, the ids
 * of the tenant's staff and of the global catalogue, and a deterministic id maker and PRNG.
 */
import { getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Role } from '../domains/identity/tables.js';
import type { Tx } from '../platform/db/database.js';
import type { NewTenant } from '../schema/tenants.js';
import { demoId, type Rng } from './ids.js';

/** Rows per insert statement: well under Postgres' 65,535 bind parameters for any table here. */
const BATCH = 500;

/** A row of a tenant table as the demo modules write it: the writer fills in `tenant_id`. */
export type RowOf<T extends PgTable> = Omit<T['$inferInsert'], 'tenantId'>;

/** Inserts rows of one tenant in batches (one statement per table per batch) and counts them. */
export class Writer {
  readonly counts: Record<string, number> = {};

  constructor(
    private readonly tx: Tx,
    private readonly tenantId: string,
  ) {}

  async insert<T extends PgTable>(table: T, rows: ReadonlyArray<RowOf<T>>): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH).map((row) => ({ ...row, tenantId: this.tenantId }));
      await this.tx.insert(table).values(batch as T['$inferInsert'][]);
    }
    const name = getTableName(table);
    this.counts[name] = (this.counts[name] ?? 0) + rows.length;
  }
}

export type StaffRole = Role;

/** One member of a tenant's team; the email is `<role>@<slug>.demo`. */
export interface StaffMember {
  role: StaffRole;
  name: string;
}

export interface DemoContext {
  tenantId: string;
  slug: string;
  tx: Tx;
  write: Writer;
  /** User ids of the tenant's staff, by role. */
  staff: Record<StaffRole, string>;
  /** Agent template ids, by slug. */
  templates: Record<string, string>;
  rng: Rng;
  /** A deterministic id for a row of this tenant, named within the tenant. */
  id(name: string, at: Date): string;
}

/** One demo tenant: its tenant row, its team, and the data it writes. */
export interface DemoTenant {
  slug: string;
  plan: 'free' | 'starter' | 'professional' | 'enterprise';
  /** The tenant row (id, slug and plan are filled in by the seeder). */
  tenant: Omit<NewTenant, 'id' | 'slug' | 'planId'>;
  staff: StaffMember[];
  populate(ctx: DemoContext): Promise<void>;
}

export function makeContext(
  tx: Tx,
  tenantId: string,
  slug: string,
  staff: Record<StaffRole, string>,
  templates: Record<string, string>,
  rng: Rng,
): DemoContext {
  return {
    tenantId,
    slug,
    tx,
    write: new Writer(tx, tenantId),
    staff,
    templates,
    rng,
    id: (name, at) => demoId(`${slug}:${name}`, at),
  };
}

export const staffEmail = (role: StaffRole, slug: string): string => `${role}@${slug}.demo`;
