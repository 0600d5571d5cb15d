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
 *
 * How to call: `await jobs.send(INGEST_JOB, { tenantId, sourceId })`, then `jobs.drain()` or a worker.
 */
import { eq, ne, or, sql } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.js';
import { defineJob } from '../../platform/jobs.js';
import { failSource, INGEST_JOB, ingestSources, REEMBED_JOB, TIER_JOB } from './ingest.js';
import { knowledgeSettings } from './settings.js';
import { knowledgeChunks, knowledgeSources } from './tables.js';
import { ensureTier } from './tiers.js';

const INGEST_RETRIES = 3;

export const knowledgeJobs = [
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
          for (const id of ids) {
            await failSource(ctx, tenantId, id, `ingestion failed: ${(error as Error).message}`);
          }
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
          .innerJoin(knowledgeChunks, eq(knowledgeChunks.sourceId, knowledgeSources.id))
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
