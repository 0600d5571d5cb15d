/**
 * The knowledge base's background jobs (registered in src/jobs.ts):
 *
 * - `knowledge.ingest` {tenantId, sourceId} or {tenantId, sourceIds} (a batch from
 *   `createSources`): extract (URLs), chunk, embed, write (ingest.ts; a batch in one
 *   transaction). A permanent error fails its source; anything else is retried, and the last
 *   retry fails the job's sources.
 * - `knowledge.reembed` {tenantId}: re-ingests every source whose chunks are not on the tenant's
 *   current embedding model or language (after `setEmbeddingModel` / a language change).
 * - `knowledge.tier` {tenantId, model}: builds or drops the tenant's HNSW index (tiers.ts).
 * - `knowledge.requeue` (every 5 minutes, and once when the server starts): queues ingestion of
 *   sources left `queued` with no job: a process that died between saving a source and sending
 *   its job, or sources written directly (the demo seed). Ingestion is idempotent, so a source
 *   whose job is merely slow costs a second run, never a second set of chunks.
 *
 * How to call: `await jobs.send(INGEST_JOB, { tenantId, sourceId })`, then `jobs.drain()` or a worker.
 */
import { and, eq, lt, ne, or, sql } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.js';
import { defineJob, defineTick, type JobContext } from '../../platform/jobs.js';
import { activeTenants } from '../tenancy/lookup.js';
import { INGEST_BATCH, INGEST_JOB, REEMBED_JOB, TIER_JOB } from './ingest.js';
import { failUnfinished, ingestSources } from './ingest-write.js';
import { knowledgeSettings } from './settings.js';
import { knowledgeChunks, knowledgeSources } from './tables.js';
import { ensureTier } from './tiers.js';

const INGEST_RETRIES = 3;
export const REQUEUE_JOB = 'knowledge.requeue';
/** A source queued longer than this without finishing is taken to have lost its job. */
const STRANDED_AFTER_MS = 2 * 60_000;

/** Queues ingestion for every source stranded in `queued`; returns how many. */
export async function requeueStrandedSources(ctx: JobContext): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - STRANDED_AFTER_MS);
  let queued = 0;
  for (const tenant of await activeTenants(ctx.db)) {
    const stranded = await withTenant(ctx.db, tenant.id, (tx) =>
      tx
        .select({ id: knowledgeSources.id })
        .from(knowledgeSources)
        .where(and(eq(knowledgeSources.status, 'queued'), lt(knowledgeSources.updatedAt, before))),
    );
    for (let i = 0; i < stranded.length; i += INGEST_BATCH) {
      const sourceIds = stranded.slice(i, i + INGEST_BATCH).map((s) => s.id);
      await ctx.jobs.send(INGEST_JOB, { tenantId: tenant.id, sourceIds });
    }
    queued += stranded.length;
  }
  return queued;
}

export const knowledgeJobs = [
  defineTick({
    name: REQUEUE_JOB,
    cron: '*/5 * * * *',
    run: async (ctx) => ({ requeued: await requeueStrandedSources(ctx) }),
  }),
  defineJob<{ tenantId: string; sourceId?: string; sourceIds?: string[] }>({
    name: INGEST_JOB,
    retryLimit: INGEST_RETRIES,
    retryDelay: 5,
    // A worker killed mid-ingestion holds the job until it expires; then pg-boss retries it.
    expireInSeconds: 900,
    async handle({ tenantId, sourceId, sourceIds }, ctx) {
      const ids = sourceIds ?? [sourceId!];
      try {
        await ingestSources(ctx, tenantId, ids);
      } catch (error) {
        if (ctx.retryCount >= INGEST_RETRIES) {
          await failUnfinished(ctx, tenantId, ids, `ingestion failed: ${(error as Error).message}`);
        }
        throw error;
      }
    },
  }),
  defineJob<{ tenantId: string }>({
    name: REEMBED_JOB,
    expireInSeconds: 900,
    async handle({ tenantId }, ctx) {
      const stale = await withTenant(ctx.db, tenantId, async (tx) => {
        const { embeddingModel, tsConfig } = await knowledgeSettings(tx, ctx.config);
        return tx
          .selectDistinct({ id: knowledgeSources.id })
          .from(knowledgeSources)
          .innerJoin(
            knowledgeChunks,
            and(
              eq(knowledgeChunks.tenantId, knowledgeSources.tenantId),
              eq(knowledgeChunks.sourceId, knowledgeSources.id),
            ),
          )
          .where(
            or(
              ne(knowledgeChunks.embeddingModel, embeddingModel),
              sql`${knowledgeChunks.embeddingModel} is null`,
              sql`${knowledgeChunks.tsConfig}::text <> ${tsConfig}`,
            ),
          );
      });
      for (const { id } of stale) {
        await withTenant(ctx.db, tenantId, (tx) =>
          tx
            .update(knowledgeSources)
            .set({ status: 'queued', error: null, progress: 0 })
            .where(eq(knowledgeSources.id, id)),
        );
        await ctx.jobs.send(INGEST_JOB, { tenantId, sourceId: id });
      }
    },
  }),
  defineJob<{ tenantId: string; model: string }>({
    name: TIER_JOB,
    // One index build at a time: each takes a core.
    concurrency: 1,
    expireInSeconds: 3_600,
    async handle({ tenantId, model }, ctx) {
      const result = await ensureTier(ctx, tenantId, model);
      if (result.changed) ctx.logger.info({ tenantId, model, ...result }, 'knowledge search tier changed');
    },
  }),
];
