/**
 * The `scale` suite's data set, loaded with set-based SQL (generate_series, INSERT … SELECT) into
 * a migrated database on a PostgreSQL server or a Citus coordinator.
 *
 * Shape, for `tenants` T and `messages` M: M / 20 conversations of 20 messages each, spread over
 * the tenants by a cube-root law (tenant i holds C·((i+1)/T)^⅓ − C·(i/T)^⅓ conversations, at least
 * one): tenant 0 holds about T^-⅓ of everything (4.6% at 10,000 tenants), the tail a handful of
 * conversations each, as a hosted product's customers do. Each tenant also gets one knowledge
 * source of 20 chunks (384-dimension unit vectors of the offline embedder's model, drawn from a
 * pool of random vectors) and the unlimited bench plan.
 *
 * How it loads: triggers and foreign-key checks off (`session_replication_role = replica`,
 * propagated to the workers on Citus; the rows are consistent by construction, and the monthly
 * conversation quota counters are backfilled afterwards as migration 0011 does), the messages'
 * secondary indexes dropped before and rebuilt after (their definitions as the schema has them),
 * messages inserted in slices of the tenant-id space (on Citus each slice is pushed down to the
 * shards: the source is the co-located conversations table), then VACUUM ANALYZE, as autovacuum
 * would have done on a database that grew this way.
 */

import { OFFLINE_MODEL } from '../../src/domains/knowledge/embed/offline.js';
import type { Database } from '../../src/platform/db/database.js';

export interface ScaleSize {
  tenants: number;
  messages: number;
}

export const MESSAGES_PER_CONVERSATION = 20;
const CHUNKS_PER_TENANT = 20;
const DIMENSIONS = 384;
const POOL = 1024;
/** Slices of the tenant-id space for the messages insert (progress, and no 10-million-row statement). */
const SLICES = 16;
const EPOCH = "timestamptz '2026-01-01 00:00:00+00'";

/** A UUIDv7-shaped id (SQL) for time `ts`, its random bits taken from md5(`salt`): sorted by time as the app's ids are. */
const uuid7 = (ts: string, salt: string) =>
  `(lpad(to_hex((extract(epoch FROM ${ts}) * 1000)::bigint), 12, '0') || '7' || substr(md5(${salt}), 1, 3) || '8' || substr(md5(${salt}), 4, 15))::uuid`;

/** Runs `statements` on one connection with triggers and FK checks off (on every node on Citus). */
async function replica(db: Database, citus: boolean, statements: string[]): Promise<void> {
  await db.transaction(async (conn) => {
    // Each SET alone: Citus replays a whole multi-statement string on the workers.
    if (citus) await conn.exec("SET LOCAL citus.propagate_set_commands = 'local'");
    await conn.exec('SET LOCAL session_replication_role = replica');
    for (const s of statements) await conn.exec(s);
  });
}

/** Seconds each step of the load took. */
export type LoadTimings = Record<string, number>;

async function timed(timings: LoadTimings, step: string, fn: () => Promise<unknown>) {
  const t0 = performance.now();
  await fn();
  timings[step] = +((performance.now() - t0) / 1000).toFixed(1);
}

/** Loads `size` into `db` (migrated, as the owner, one connection); returns the step timings. */
export async function loadScaleData(db: Database, size: ScaleSize, citus: boolean): Promise<LoadTimings> {
  const t: LoadTimings = {};
  const T = size.tenants;
  const C = Math.max(T, Math.round(size.messages / MESSAGES_PER_CONVERSATION));
  await timed(t, 'tenants', () =>
    replica(db, citus, [
      `INSERT INTO plans (id, slug, name, limits) VALUES (gen_random_uuid(), 'bench-unlimited', 'Bench', '{"requestsPerMinute": 100000000}')`,
      `CREATE TABLE bench_tenant AS
         SELECT i AS idx, ${uuid7(`${EPOCH} - interval '1 year' + i * interval '1 second'`, "'t' || i")} AS tenant_id,
                greatest(1, floor(${C} * ((i + 1)::float8 / ${T}) ^ (1.0 / 3)) - floor(${C} * (i::float8 / ${T}) ^ (1.0 / 3)))::int AS conversations
           FROM generate_series(0, ${T - 1}) i`,
      'CREATE UNIQUE INDEX ON bench_tenant (idx)',
      `INSERT INTO tenants (id, slug, name, plan_id)
         SELECT tenant_id, 'scale-' || idx, 'Scale tenant ' || idx, (SELECT id FROM plans WHERE slug = 'bench-unlimited')
           FROM bench_tenant ORDER BY tenant_id`,
    ]),
  );
  await timed(t, 'conversations', () =>
    replica(db, citus, [
      `INSERT INTO conversations (tenant_id, id, status, subject, last_message_at, started_at, created_at, updated_at)
         SELECT b.tenant_id, ${uuid7('s.at', "b.idx || '/' || g")}, 'active', 'Conversation ' || g, s.at + interval '20 minutes', s.at, s.at, s.at
           FROM bench_tenant b CROSS JOIN generate_series(1, b.conversations) g
           CROSS JOIN LATERAL (SELECT ${EPOCH} - interval '1 year' + (g * 7919 % 525600) * interval '1 minute' AS at) s
          ORDER BY b.tenant_id`,
      // The monthly conversation counters the quota trigger would have kept (migration 0011's backfill).
      `INSERT INTO quota_counters (tenant_id, id, resource, period, used)
         SELECT c.tenant_id, gen_random_uuid(), 'monthlyConversations', frontdesk_quota_period(tn.timezone, c.created_at), count(*)
           FROM conversations c JOIN tenants tn ON tn.id = c.tenant_id
          GROUP BY 1, 4`,
    ]),
  );
  const indexes = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = 'messages' AND indexname <> 'messages_pkey'`,
  );
  // One statement at a time: Citus replays a multi-statement string on the workers as it is.
  for (const i of indexes) await db.exec(`DROP INDEX ${i.indexname}`);
  const bound = (k: number) =>
    k >= SLICES
      ? null
      : `'${(k * (2 ** 32 / SLICES)).toString(16).padStart(8, '0')}-0000-0000-0000-000000000000'`;
  await timed(t, 'messages', async () => {
    for (let k = 0; k < SLICES; k++) {
      const lo = bound(k);
      const hi = bound(k + 1);
      await replica(db, citus, [
        `INSERT INTO messages (tenant_id, id, conversation_id, role, content, created_at, updated_at)
           SELECT c.tenant_id, ${uuid7("c.created_at + g * interval '1 minute'", 'c.id::text || g')}, c.id,
                  CASE WHEN g % 2 = 1 THEN 'user' ELSE 'assistant' END,
                  'Message ' || g || ' of ' || c.subject || ': about order ' || substr(md5(c.id::text || g), 1, 10) || ', please check the delivery date.',
                  c.created_at + g * interval '1 minute', c.created_at + g * interval '1 minute'
             FROM conversations c CROSS JOIN generate_series(1, ${MESSAGES_PER_CONVERSATION}) g
            WHERE c.tenant_id >= ${lo}::uuid${hi ? ` AND c.tenant_id < ${hi}::uuid` : ''}`,
      ]);
    }
  });
  await timed(t, 'messageIndexes', () =>
    db.transaction(async (conn) => {
      await conn.exec("SET LOCAL maintenance_work_mem = '256MB'");
      for (const i of indexes) await conn.exec(i.indexdef);
    }),
  );
  await timed(t, 'knowledge', () => loadKnowledge(db, citus));
  await timed(t, 'vacuumAnalyze', async () => {
    for (const table of [
      'tenants',
      'conversations',
      'messages',
      'knowledge_sources',
      'knowledge_chunks',
      'quota_counters',
    ])
      await db.exec(`VACUUM ANALYZE ${table}`);
  });
  return t;
}

/** One knowledge source of CHUNKS_PER_TENANT chunks per tenant, vectors from a pool of random unit vectors. */
async function loadKnowledge(db: Database, citus: boolean) {
  await db.exec(`CREATE TABLE bench_pool AS
      SELECT i, l2_normalize((SELECT array_agg(random() - 0.5) FROM generate_series(1, ${DIMENSIONS}) d WHERE i >= 0)::vector(${DIMENSIONS})) AS v
        FROM generate_series(0, ${POOL - 1}) i;
    ALTER TABLE bench_pool ADD PRIMARY KEY (i);`);
  // On Citus a reference table, so that the chunks' insert joins it on every shard.
  if (citus) await db.exec("SELECT create_reference_table('bench_pool')");
  await replica(db, citus, [
    `INSERT INTO knowledge_sources (tenant_id, id, kind, status, title, content, content_hash, chunk_count)
       SELECT tenant_id, ${uuid7(EPOCH, "'s' || tenant_id::text")}, 'text', 'ready', 'Handbook', 'bench', md5(tenant_id::text), ${CHUNKS_PER_TENANT}
         FROM bench_tenant`,
    `INSERT INTO knowledge_chunks
        (tenant_id, id, source_id, content, embedding, embedding_model, embedding_dim, position, start_offset, end_offset)
       SELECT s.tenant_id, ${uuid7(EPOCH, 's.id::text || g')}, s.id, 'Passage ' || g || ' of the handbook',
              p.v, '${OFFLINE_MODEL}', ${DIMENSIONS}, g, 0, 5
         FROM knowledge_sources s CROSS JOIN generate_series(0, ${CHUNKS_PER_TENANT - 1}) g
         JOIN bench_pool p ON p.i = (('x' || substr(md5(s.id::text || g), 1, 8))::bit(32)::int & ${POOL - 1})`,
  ]);
}

/** Sizes of the tables and indexes that grow with the data set, in MiB (summed over shards on Citus). */
export async function relationSizes(db: Database, citus: boolean): Promise<Record<string, number>> {
  const names = ['messages', 'conversations', 'knowledge_chunks'];
  const out: Record<string, number> = {};
  const mib = (b: unknown) => Math.round(Number(b) / 2 ** 20);
  for (const table of names) {
    const [r] = citus
      ? await db.query<{ heap: string; idx: string }>(
          'SELECT citus_table_size($1) AS heap, citus_total_relation_size($1) - citus_table_size($1) AS idx',
          [table],
        )
      : await db.query<{ heap: string; idx: string }>(
          'SELECT pg_table_size($1) AS heap, pg_indexes_size($1) AS idx',
          [table],
        );
    out[`${table}Heap`] = mib(r!.heap);
    out[`${table}Indexes`] = mib(r!.idx);
  }
  if (!citus) {
    const idx = await db.query<{ name: string; size: string }>(
      `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS size
         FROM pg_index WHERE indrelid = 'messages'::regclass ORDER BY 1`,
    );
    for (const i of idx) out[`index:${i.name}`] = mib(i.size);
  }
  const [db0] = await db.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
  out.database = mib(db0!.size);
  return out;
}
