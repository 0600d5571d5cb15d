import { parseArgs } from 'node:util';
import { type DoctorReport, doctorReport, healthy } from '../../platform/db/doctor.js';
import { openRuntime } from '../../runtime.js';
import type { Command } from '../command.js';

function render(r: DoctorReport): string {
  const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
  const t = r.tenantTables;
  return [
    `engine        ${r.engine === 'pglite' ? 'embedded PGlite' : 'PostgreSQL server'} (PostgreSQL ${r.postgres})`,
    `${mark(r.pgvector !== null)}  pgvector ${r.pgvector ?? (r.pgvectorAvailable ? `${r.pgvectorAvailable} available, not created yet (run frontdesk migrate)` : 'not installed on this server (see scripts/install-pgvector.sh)')}`,
    `${mark(r.migrations.pending.length === 0)}  migrations: ${r.migrations.applied} applied, ${r.migrations.pending.length} pending${r.migrations.pending.length ? ` (${r.migrations.pending.join(', ')})` : ''}`,
    `${mark(t.unsecured.length === 0)}  row level security: ${t.secured}/${t.total} tenant tables enabled, forced and with policies${t.unsecured.length ? ` (not: ${t.unsecured.join(', ')})` : ''}`,
    '',
  ].join('\n');
}

export const doctor: Command = {
  async run(args, { config }) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const runtime = await openRuntime(config);
    try {
      const report = await doctorReport(runtime.db);
      process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : render(report));
      return healthy(report) ? 0 : 1;
    } finally {
      await runtime.close();
    }
  },
};
