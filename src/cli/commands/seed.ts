import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { INGEST_BATCH, INGEST_JOB } from '../../domains/knowledge/ingest.js';
import { createJobs } from '../../jobs.js';
import { systemClock } from '../../platform/clock.js';
import { type Database, rows } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import { openRuntime } from '../../runtime.js';
import { type SeedSummary, seedDemo } from '../../seed/index.js';
import type { Command, CommandContext } from '../command.js';

const USAGE = `Usage: frontdesk seed --demo [--json]

Loads the demo: one tenant per seed system (coaching, vacation rentals, agency, customer
success, chat widget), plus plans, agent templates and demo users. Safe to run again: tenants
that already exist are skipped. Every demo user's password is "frontdesk-demo"; the platform
admin is admin@frontdesk.local. --json prints the rows written per tenant and table.
`;

/** The summary as a short table: one line per tenant with its row count. */
export function renderSummary(s: SeedSummary, ms: number): string {
  const lines = s.tenants.map((t) => {
    const rows = Object.values(t.rows).reduce((sum, n) => sum + n, 0);
    return `  ${t.status.padEnd(8)} ${t.slug.padEnd(20)} ${t.status === 'created' ? `${rows} rows` : '(already there)'}`;
  });
  const g = s.global;
  const created = s.tenants.filter((t) => t.status === 'created').length;
  return [
    `global: ${g.plans} plans, ${g.agentTemplates} agent templates, ${g.users} users created`,
    'tenants:',
    ...lines,
    created
      ? `seeded ${created} demo tenant(s) in ${(ms / 1000).toFixed(1)} s — log in as owner@<slug>.demo or admin@frontdesk.local, password "frontdesk-demo"`
      : 'nothing to do: every demo tenant is already there (all skipped)',
    '',
  ].join('\n');
}

export const seedCommand: Command = {
  usage: USAGE,
  async run(args, ctx) {
    let values: { demo?: boolean; json?: boolean; help?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          demo: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }));
    } catch (error) {
      process.stderr.write(`frontdesk seed: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (!values.demo) {
      process.stderr.write(USAGE);
      return 2;
    }
    const runtime = await openRuntime(ctx.config);
    try {
      // The demo needs the schema: a fresh data folder gets it here, as `start` would.
      const applied = await migrate(runtime.db);
      if (applied.length) ctx.logger.info({ applied }, 'migrations applied');
      const started = performance.now();
      const summary = await seedDemo(runtime.db);
      const queued = await queueDemoIngestion(runtime.db, ctx);
      const ms = Math.round(performance.now() - started);
      ctx.logger.info(
        { ms, queued, tenants: summary.tenants.map((t) => `${t.slug}:${t.status}`) },
        'demo seeded',
      );
      process.stdout.write(
        values.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary, ms),
      );
      return 0;
    } finally {
      await runtime.close();
    }
  },
};

/**
 * Queues the ingestion of every knowledge source still `queued` (the demo's documents), so a
 * server already running with workers (PostgreSQL engine) ingests them now, not after a
 * restart. Returns how many sources were queued.
 */
async function queueDemoIngestion(db: Database, ctx: CommandContext): Promise<number> {
  // Read as the owner (the CLI's own handle): the platform role has no access to tenants'
  // knowledge sources (migrations/0016_platform_role.sql).
  const queued = await db.drizzle.transaction((tx) =>
    rows<{ tenant_id: string; ids: string[] }>(
      tx,
      sql`SELECT tenant_id, array_agg(id ORDER BY id) AS ids FROM knowledge_sources
           WHERE status = 'queued' GROUP BY tenant_id`,
    ),
  );
  if (queued.length === 0) return 0;
  const jobs = createJobs({ db, logger: ctx.logger, clock: systemClock, config: ctx.config });
  try {
    for (const t of queued) {
      for (let i = 0; i < t.ids.length; i += INGEST_BATCH) {
        await jobs.send(INGEST_JOB, { tenantId: t.tenant_id, sourceIds: t.ids.slice(i, i + INGEST_BATCH) });
      }
    }
  } finally {
    await jobs.stop();
  }
  return queued.reduce((n, t) => n + t.ids.length, 0);
}
