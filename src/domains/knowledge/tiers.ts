/**
 * Which engine serves a tenant's vector search: an exact scan, or a partial HNSW index of its own.
 *
 * How to call:
 *   const tier = await tierOf(tx, tenantId, model);          // 'exact' | 'ann' (inside withTenant)
 *   await ensureTier(platform, tenantId, model);             // the knowledge.tier job's body
 *   annIndexName(tenantId, model)                            // the index a large tenant gets
 *
 * Design (docs/knowledge-search.md has the measurements and the alternatives):
 * - Most tenants are small: an exact scan of their own rows (found through the tenant-leading
 *   B-tree, RLS on top) is fast and has recall 1.0.
 * - A tenant with at least `config.knowledge.annThreshold` chunks of one model gets one partial
 *   expression index: `USING hnsw ((embedding::vector(d)) vector_cosine_ops) WHERE tenant_id =
 *   '<id>' AND embedding_model = '<model>'`. Only the few large tenants have one, so the planner
 *   never weighs thousands of indexes; the query repeats the index predicate with literals (see
 *   search.ts), which is how Postgres proves a partial index applies.
 * - The index is built CONCURRENTLY by a job (writes continue) and is only used once valid;
 *   below half the threshold it is dropped again (hysteresis: no flapping at the boundary).
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Platform } from '../../platform/jobs.js';

export type Tier = 'exact' | 'ann';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `kc_ann_<tenant hex>_<model hash>`: 7 + 32 + 1 + 8 = 48 characters, under the 63 limit. */
export function annIndexName(tenantId: string, model: string): string {
  const id = tenantId.toLowerCase();
  if (!UUID_RE.test(id)) throw new Error('tenant id must be a UUID');
  return `kc_ann_${id.replaceAll('-', '')}_${createHash('sha256').update(model).digest('hex').slice(0, 8)}`;
}

/** A SQL string literal (the model name is tenant-chosen; the tenant id is a checked UUID). */
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** The predicate of a tenant's ANN index, and of every query that must use it. */
export function annPredicate(tenantId: string, model: string, alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}tenant_id = ${literal(tenantId.toLowerCase())}::uuid AND ${a}embedding_model = ${literal(model)}`;
}

/** 'ann' when the tenant has a valid index for the model, else 'exact'. */
export async function tierOf(tx: Tx, tenantId: string, model: string): Promise<Tier> {
  const [row] = await rows<{ valid: boolean }>(
    tx,
    sql`SELECT i.indisvalid AS valid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
         WHERE c.relname = ${annIndexName(tenantId, model)} AND c.relkind = 'i'`,
  );
  return row?.valid ? 'ann' : 'exact';
}

/** HNSW build parameters and the search breadth used with them (measured: docs/knowledge-search.md). */
export const HNSW = { m: 16, efConstruction: 64, efSearch: 100 } as const;

/**
 * Builds or drops the tenant's index to match its size. Runs outside any transaction (CREATE
 * INDEX CONCURRENTLY cannot run inside one) as the database owner, like migrations.
 */
export async function ensureTier(
  p: Platform,
  tenantId: string,
  model: string,
): Promise<{ tier: Tier; chunks: number; changed: boolean }> {
  const stats = await withTenant(p.db, tenantId, async (tx) => {
    const [row] = await rows<{ n: number; dim: number | null }>(
      tx,
      sql`SELECT count(*)::int AS n, max(embedding_dim) AS dim FROM knowledge_chunks WHERE embedding_model = ${model}`,
    );
    return { chunks: row!.n, dim: row!.dim, tier: await tierOf(tx, tenantId, model) };
  });
  const name = annIndexName(tenantId, model);
  const threshold = p.config.knowledge.annThreshold;
  const concurrently = p.db.engine === 'postgres' ? 'CONCURRENTLY' : '';
  if (stats.chunks >= threshold && stats.dim) {
    if (stats.tier === 'ann') return { tier: 'ann', chunks: stats.chunks, changed: false };
    // An invalid index left by an interrupted concurrent build is dropped and built again.
    await p.db.exec(`DROP INDEX ${concurrently} IF EXISTS ${name}`);
    await p.db.exec(
      `CREATE INDEX ${concurrently} ${name} ON knowledge_chunks
         USING hnsw ((embedding::vector(${Number(stats.dim)})) vector_cosine_ops)
         WITH (m = ${HNSW.m}, ef_construction = ${HNSW.efConstruction})
         WHERE ${annPredicate(tenantId, model)}`,
    );
    return { tier: 'ann', chunks: stats.chunks, changed: true };
  }
  if (stats.chunks < threshold / 2 && stats.tier === 'ann') {
    await p.db.exec(`DROP INDEX ${concurrently} IF EXISTS ${name}`);
    return { tier: 'exact', chunks: stats.chunks, changed: true };
  }
  return { tier: stats.tier, chunks: stats.chunks, changed: false };
}
