/** What `frontdesk doctor` reports: engine, versions, migrations and the RLS state of tenant tables. */
import type { Database } from './database.js';
import { migrationStatus } from './migrate.js';

export interface DoctorReport {
  engine: Database['engine'];
  postgres: string;
  /** Version created in this database, or null. */
  pgvector: string | null;
  /** Version the server could create, or null when pgvector is not installed on it. */
  pgvectorAvailable: string | null;
  migrations: { applied: number; pending: string[] };
  tenantTables: { total: number; secured: number; unsecured: string[] };
}

export async function doctorReport(db: Database): Promise<DoctorReport> {
  const [version] = await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  const [vector] = await db.query<{ installed: string | null; available: string | null }>(
    `SELECT installed_version AS installed, default_version AS available FROM pg_available_extensions WHERE name = 'vector'`,
  );
  const migrations = await migrationStatus(db);
  const tables = await db.query<{ name: string; secured: boolean }>(`
    SELECT c.relname AS name,
           c.relrowsecurity AND c.relforcerowsecurity
             AND EXISTS (SELECT 1 FROM pg_policy p JOIN pg_roles r ON r.oid = ANY (p.polroles)
                         WHERE p.polrelid = c.oid AND r.rolname = 'frontdesk_app') AS secured
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND (c.relname = 'tenants' OR EXISTS (SELECT 1 FROM pg_attribute a
           WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
    ORDER BY 1`);
  return {
    engine: db.engine,
    postgres: version!.v,
    pgvector: vector?.installed ?? null,
    pgvectorAvailable: vector?.available ?? null,
    migrations: { applied: migrations.applied.length, pending: migrations.pending },
    tenantTables: {
      total: tables.length,
      secured: tables.filter((t) => t.secured).length,
      unsecured: tables.filter((t) => !t.secured).map((t) => t.name),
    },
  };
}

/** Healthy means: pgvector present, nothing pending, every tenant table secured. */
export const healthy = (r: DoctorReport): boolean =>
  r.pgvector !== null && r.migrations.pending.length === 0 && r.tenantTables.unsecured.length === 0;
