/**
 * `npm run bench [-- --suite rls,startup --engine pglite,postgres --scale 0.1]`
 * (`--suite scale`, the single-box ceiling, runs only when named: bench/suites/scale.ts.)
 * Runs each suite on each engine in one run, side by side with its baseline, and writes
 * bench/results/<suite>.json plus bench/results/SUMMARY.md. The server engine uses
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Engine } from '../src/platform/db/database.js';
import { openDatabase } from '../src/platform/db/database.js';
import { freshDatabase, machine } from './lib/engines.js';
import { RESULTS_DIR, writeSummary } from './lib/report.js';
import { apiSuite } from './suites/api.js';
import { inboundSuite } from './suites/inbound.js';
import { kbIngestSuite } from './suites/kb-ingest.js';
import { kbSearchSuite } from './suites/kb-search.js';
import { responderSuite } from './suites/responder.js';
import { rlsSuite } from './suites/rls.js';
import { scaleSuite } from './suites/scale.js';
import { startupSuite } from './suites/startup.js';
import { ticksSuite } from './suites/ticks.js';
import { widgetSuite } from './suites/widget.js';

/** `scale` shrinks (or grows) a suite's data set for a quick run (`--scale 0.1`); 1 = the documented sizes. */
interface SuiteOptions {
  scale: number;
}
type Suite = (engine: Engine, serverUrl: string, options: SuiteOptions) => Promise<unknown>;

/** Suites that need a fresh migrated database get one each. */
const withDb =
  (
    fn: (
      db: Awaited<ReturnType<typeof freshDatabase>>['db'],
      options: SuiteOptions & { engine: Engine },
    ) => Promise<unknown>,
    open: { poolSize?: number } = {},
  ): Suite =>
  async (engine, serverUrl, options) => {
    const target = await freshDatabase(engine, serverUrl, open);
    try {
      return await fn(target.db, { ...options, engine });
    } finally {
      await target.drop();
    }
  };

const SUITES: Record<string, Suite> = {
  rls: withDb(rlsSuite),
  api: withDb(apiSuite),
  // With their workers running, as the server runs them: the server's pool (10), not the suites' 4.
  inbound: withDb(inboundSuite, { poolSize: 10 }),
  responder: withDb(responderSuite, { poolSize: 10 }),
  startup: startupSuite,
  'kb-ingest': withDb(kbIngestSuite),
  'kb-search': withDb(kbSearchSuite),
  ticks: withDb(ticksSuite),
  widget: withDb(widgetSuite),
  // Makes its own databases (millions of rows, on the server and a Citus cluster); run on its own.
  scale: scaleSuite,
};
/** What a bare `npm run bench` runs: everything but the long `scale` suite. */
const DEFAULT_SUITES = Object.keys(SUITES).filter((s) => s !== 'scale');

const { values } = parseArgs({
  options: {
    suite: { type: 'string', default: DEFAULT_SUITES.join(',') },
    engine: { type: 'string', default: 'pglite,postgres' },
    scale: { type: 'string', default: '1' },
  },
});
const suites = values.suite.split(',').map((s) => s.trim());
const engines = values.engine.split(',').map((e) => e.trim()) as Engine[];
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error(`--scale must be a positive number (got "${values.scale}")`);
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

for (const s of suites)
  if (!SUITES[s]) throw new Error(`unknown suite "${s}" (known: ${Object.keys(SUITES).join(', ')})`);
if (engines.includes('postgres')) {
  const probe = await openDatabase({ engine: 'postgres', url: serverUrl, poolSize: 1 });
  try {
    await probe.query('SELECT 1');
  } catch (error) {
    console.error(
      `bench: the server engine needs PostgreSQL with pgvector at BENCH_DATABASE_URL (${(error as Error).message}); ` +
        'start one (scripts/install-pgvector.sh) or run `npm run bench -- --engine pglite`',
    );
    process.exit(2);
  } finally {
    await probe.close();
  }
}

/**
 * What an earlier run of `suite` measured on the engines this run leaves out, with when it ran:
 * `--engine pglite` alone replaces the PGlite figures and keeps the server's.
 */
function earlierEngines(suite: string): { engines: Record<string, unknown>; ranAt: Record<string, string> } {
  const file = `${RESULTS_DIR}/${suite}.json`;
  if (!existsSync(file)) return { engines: {}, ranAt: {} };
  const before = JSON.parse(readFileSync(file, 'utf8')) as {
    ranAt: string;
    scale?: number;
    engines: Record<string, unknown>;
    engineRanAt?: Record<string, string>;
  };
  if ((before.scale ?? 1) !== scale) return { engines: {}, ranAt: {} };
  const kept = Object.keys(before.engines).filter((e) => !engines.includes(e as Engine));
  return {
    engines: Object.fromEntries(kept.map((e) => [e, before.engines[e]])),
    ranAt: Object.fromEntries(kept.map((e) => [e, before.engineRanAt?.[e] ?? before.ranAt])),
  };
}

for (const suite of suites) {
  const earlier = earlierEngines(suite);
  const ranAt = new Date().toISOString();
  const result: Record<string, unknown> = {
    suite,
    ranAt,
    machine: machine(),
    ...(scale === 1 ? {} : { scale }),
    engines: {},
  };
  for (const engine of engines) {
    process.stdout.write(`bench ${suite} on ${engine} … `);
    const t0 = performance.now();
    (result.engines as Record<string, unknown>)[engine] = await SUITES[suite]!(engine, serverUrl, { scale });
    process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(1)}s\n`);
  }
  if (Object.keys(earlier.engines).length) {
    Object.assign(result.engines as Record<string, unknown>, earlier.engines);
    result.engineRanAt = { ...Object.fromEntries(engines.map((e) => [e, ranAt])), ...earlier.ranAt };
  }
  writeFileSync(`${RESULTS_DIR}/${suite}.json`, `${JSON.stringify(result, null, 2)}\n`);
}
writeSummary();
console.log(`results: ${RESULTS_DIR}/SUMMARY.md`);
