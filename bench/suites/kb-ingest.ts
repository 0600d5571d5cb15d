/**
 * `kb-ingest`: knowledge ingestion throughput (chunks/s) through the whole pipeline — a
 * multi-document Markdown upload (createSources: extraction, duplicate check, the queued
 * sources, one job per INGEST_BATCH documents), then the ingestion jobs on the queue (chunking,
 * the offline embedder, the chunk writes) — against the floor of inserting the very same rows
 * (the pipeline's own sources and chunks, embeddings included, read back) with raw SQL: per
 * source one transaction with the source row and multi-row chunk inserts. Same database, same
 * run, the two sides alternating in ROUNDS rounds; target ≥ 0.8 of the floor.
 *
 * Documents are made from the eval set's knowledge bases (eval/kb): each bench document joins
 * four of them under its own title, so every one has its own content hash.
 */

import { loadavg } from 'node:os';
import { loadEvalSet } from '../../eval/lib/eval-set.js';
import { openPipeline, type Pipeline } from '../../eval/lib/pipeline.js';
import { createSources } from '../../src/domains/knowledge/ingest.js';
import { createTenant } from '../../src/domains/tenancy/service.js';
import type { Database } from '../../src/platform/db/database.js';
import { uuidv7 } from '../../src/schema/columns.js';

const DOCUMENTS = 200;
const WARMUP_DOCUMENTS = 20;
const ROWS_PER_INSERT = 500;
/** Rounds of pipeline, then floor, on a share of the documents each. */
const ROUNDS = 4;

interface BenchDoc {
  fileName: string;
  text: string;
}

function makeDocuments(count: number, offset: number): BenchDoc[] {
  const sources = loadEvalSet().documents;
  return Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    const parts = [0, 1, 2, 3].map((j) => sources[(n * 4 + j) % sources.length]!.text);
    return { fileName: `bench-${n}.md`, text: `# Bench document ${n}\n\n${parts.join('\n\n')}` };
  });
}

/**
 * The pipeline: upload the documents the way a multi-document upload does (createSources: one
 * transaction for the rows, one ingestion job per batch), then run the queued jobs to the end.
 */
async function runPipeline(p: Pipeline, tenantId: string, docs: BenchDoc[]) {
  const t0 = performance.now();
  const sources = await createSources(
    p,
    tenantId,
    docs.map((doc) => ({ kind: 'file', fileName: doc.fileName, bytes: Buffer.from(doc.text) })),
  );
  await p.jobs.drain();
  return { ms: performance.now() - t0, ids: sources.map((s) => s.id) };
}

const SOURCE_COLUMNS = [
  'kind',
  'status',
  'title',
  'content',
  'content_hash',
  'file_name',
  'file_type',
  'file_size',
  'progress',
  'chunk_count',
  'processed_at',
];
const CHUNK_COLUMNS = [
  'content',
  'embedding',
  'embedding_model',
  'embedding_dim',
  'ts_config',
  'position',
  'heading_path',
  'start_offset',
  'end_offset',
  'token_count',
];

type Row = Record<string, unknown>;

/** The rows the pipeline wrote for these sources, as the floor will insert them again. */
async function writtenRows(db: Database, sourceIds: string[]) {
  const sources = await db.query<Row & { id: string }>(
    `SELECT id, ${SOURCE_COLUMNS.join(', ')} FROM knowledge_sources WHERE id = ANY($1::uuid[]) ORDER BY created_at`,
    [sourceIds],
  );
  const chunks = await db.query<Row & { source_id: string }>(
    `SELECT source_id, ${CHUNK_COLUMNS.map((c) => (c === 'embedding' ? 'embedding::text AS embedding' : c === 'ts_config' ? 'ts_config::text AS ts_config' : c)).join(', ')}
       FROM knowledge_chunks WHERE source_id = ANY($1::uuid[]) ORDER BY source_id, position`,
    [sourceIds],
  );
  const bySource = new Map<string, Row[]>();
  for (const c of chunks) bySource.set(c.source_id, [...(bySource.get(c.source_id) ?? []), c]);
  return sources.map((s) => ({ source: s, chunks: bySource.get(s.id) ?? [] }));
}

const CASTS: Record<string, string> = {
  embedding: '::vector',
  ts_config: '::regconfig',
  heading_path: '::text[]',
};

/** The floor: the same rows inserted with raw SQL, one transaction per source. */
async function runFloor(db: Database, tenantId: string, rows: Awaited<ReturnType<typeof writtenRows>>) {
  const t0 = performance.now();
  for (const { source, chunks } of rows) {
    await db.transaction(async (conn) => {
      // Ids made the way the application makes them (UUIDv7), so the indexes grow alike.
      const sourceId = uuidv7();
      const params = [tenantId, sourceId, ...SOURCE_COLUMNS.map((c) => source[c])];
      await conn.query(
        `INSERT INTO knowledge_sources (tenant_id, id, ${SOURCE_COLUMNS.join(', ')})
           VALUES (${params.map((_, i) => `$${i + 1}`).join(', ')})`,
        params,
      );
      for (let i = 0; i < chunks.length; i += ROWS_PER_INSERT) {
        const batch = chunks.slice(i, i + ROWS_PER_INSERT);
        const values: unknown[] = [];
        const tuples = batch.map((c) => {
          const cells = [tenantId, uuidv7(), sourceId, ...CHUNK_COLUMNS.map((k) => c[k])].map((v, j) => {
            values.push(v);
            const column = j < 3 ? '' : CHUNK_COLUMNS[j - 3]!;
            return `$${values.length}${CASTS[column] ?? ''}`;
          });
          return `(${cells.join(', ')})`;
        });
        await conn.query(
          `INSERT INTO knowledge_chunks (tenant_id, id, source_id, ${CHUNK_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
          values,
        );
      }
    });
  }
  return performance.now() - t0;
}

async function tenant(db: Database, slug: string): Promise<string> {
  return (await createTenant(db, { slug, name: slug })).id;
}

export async function kbIngestSuite(db: Database, { scale = 1 } = {}) {
  const p = await openPipeline(db);
  const loadAverageAtStart = loadavg()[0]!;
  try {
    const documents = Math.max(WARMUP_DOCUMENTS, Math.round(DOCUMENTS * scale));
    // Warm-up: JIT, the queue's first jobs, the planner's caches — on both paths.
    const warm = await runPipeline(p, await tenant(db, 'warm-pipeline'), makeDocuments(WARMUP_DOCUMENTS, 0));
    await runFloor(db, await tenant(db, 'warm-floor'), await writtenRows(db, warm.ids));

    // The two sides alternate in rounds, so a change in the machine's load hits both alike.
    const pipelineTenant = await tenant(db, 'pipeline');
    const floorTenant = await tenant(db, 'floor');
    const all = makeDocuments(documents, WARMUP_DOCUMENTS);
    const perRound = Math.ceil(documents / ROUNDS);
    let pipelineMs = 0;
    let floorMs = 0;
    const roundRatios: number[] = [];
    const rows: Awaited<ReturnType<typeof writtenRows>> = [];
    for (let i = 0; i < documents; i += perRound) {
      const round = await runPipeline(p, pipelineTenant, all.slice(i, i + perRound));
      pipelineMs += round.ms;
      const written = await writtenRows(db, round.ids);
      const floorRoundMs = await runFloor(db, floorTenant, written);
      floorMs += floorRoundMs;
      roundRatios.push(+(floorRoundMs / round.ms).toFixed(3));
      rows.push(...written);
    }
    const chunks = rows.reduce((n, r) => n + r.chunks.length, 0);

    const perSec = (ms: number) => Math.round((chunks / ms) * 1000);
    return {
      dataset: { documents, chunks, bytes: rows.reduce((n, r) => n + String(r.source.content).length, 0) },
      pipeline: { ms: Math.round(pipelineMs), chunksPerSec: perSec(pipelineMs) },
      rawSqlFloor: { ms: Math.round(floorMs), chunksPerSec: perSec(floorMs) },
      ratio: +(floorMs / pipelineMs).toFixed(3),
      // The same ratio in each round: how much of the difference between runs is the machine.
      roundRatios,
      target: 'pipeline chunks/s ≥ 0.8 × raw-SQL floor',
      // Other work on the machine skews both sides alike: the 1-minute load average.
      loadAverage: { start: +loadAverageAtStart.toFixed(1), end: +loadavg()[0]!.toFixed(1) },
    };
  } finally {
    await p.jobs.stop();
  }
}
