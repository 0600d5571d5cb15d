/**
 * Crash safety: `frontdesk kb ingest` is killed (SIGKILL) while the embedding provider is
 * answering its second batch. Nothing of the source's chunks is written; after a restart the
 * queue retries the job (once its expiry passes: the test moves the job's clock, not ours) and
 * the source ends with exactly its chunks, none lost and none twice. On both engines.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { chunkText } from '../../src/domains/knowledge/chunk.js';
import { INGEST_JOB } from '../../src/domains/knowledge/ingest.js';
import { knowledgeChunks, knowledgeSources } from '../../src/domains/knowledge/tables.js';
import { createJobs } from '../../src/jobs.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { type Database, openDatabase } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';
import { type FakeEmbeddings, startFakeEmbeddings } from '../fakes/embeddings.js';
import { BIN, childEnv, runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

let fake: FakeEmbeddings;
let server: TestDatabase | undefined;
const dir = mkdtempSync(join(tmpdir(), 'frontdesk-kb-crash-'));
/** The child's database: the server test database, or an embedded data folder. */
let dbEnv: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeEmbeddings();
  server = await createTestDatabase();
  dbEnv = server.url ? { DATABASE_URL: server.url } : { FRONTDESK_DATA_DIR: join(dir, 'data') };
  if (server.url === undefined) await server.close();
});
afterAll(async () => {
  await fake.close();
  if (server?.url) await server.close();
});

const embeddingsEnv = (url: string) => ({
  FRONTDESK_EMBEDDINGS: 'ollama',
  FRONTDESK_EMBEDDINGS_URL: url,
  FRONTDESK_EMBEDDINGS_MODEL: 'nomic-embed-text',
});

async function openParent(): Promise<Database> {
  return server?.url
    ? openDatabase({ engine: 'postgres', url: server.url })
    : openDatabase({ engine: 'pglite', dataDir: join(dir, 'data', 'pgdata') });
}

it('a process killed mid-ingestion leaves no chunks; after restart the job writes each chunk once', async () => {
  const created = await runCli(['tenants', 'create', '--slug', 'crashy', '--name', 'Crashy'], dbEnv);
  expect(created.code).toBe(0);
  const doc = Array.from(
    { length: 90 },
    (_, i) => `# Topic ${i}\n\nAnswer number ${i} about subject ${i}.`,
  ).join('\n\n');
  const file = join(dir, 'big.md');
  writeFileSync(file, doc);
  const expected = chunkText(doc);
  expect(expected.length).toBeGreaterThan(64); // two embedding batches

  // The second batch never gets an answer: the process is killed while waiting for it.
  fake.hangFrom = 2;
  const child = spawn(process.execPath, [BIN, 'kb', 'ingest', file, '--tenant', 'crashy'], {
    env: childEnv({ ...dbEnv, ...embeddingsEnv(fake.url) }),
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (_code, signal) => r(signal ? null : _code)),
  );
  fake.onRequest = (n) => {
    if (n === 2) child.kill('SIGKILL');
  };
  expect(await exited).toBeNull();
  fake.onRequest = undefined;
  fake.hangFrom = undefined;
  expect(fake.requests).toHaveLength(2);
  expect(stderr).toBe('');

  const db = await openParent();
  const platform = {
    db,
    logger: createLogger('silent'),
    clock: systemClock,
    config: loadConfig(embeddingsEnv(fake.url)),
  };
  const jobs = createJobs(platform);
  try {
    const [tenant] = await db.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'crashy'`);
    const tenantId = tenant!.id;
    const read = () =>
      withTenant(db, tenantId, async (tx) => ({
        sources: await tx.select().from(knowledgeSources),
        chunks: await tx.select().from(knowledgeChunks).orderBy(knowledgeChunks.position),
      }));
    const killed = await read();
    expect(killed.sources).toHaveLength(1);
    expect(killed.sources[0]).toMatchObject({ status: 'processing', chunkCount: 0 });
    expect(killed.chunks).toEqual([]);

    // Restart. The dead worker's job is active until it expires: move its start back past expiry,
    // let pg-boss expire it into a retry, and make the retry due now.
    await jobs.start();
    expect(await jobs.counts(INGEST_JOB)).toEqual({ active: 1 });
    await db.exec(
      `UPDATE pgboss.job SET started_on = now() - expire_in - interval '1 second' WHERE name = '${INGEST_JOB}' AND state = 'active'`,
    );
    await jobs.boss.expire();
    await db.exec(
      `UPDATE pgboss.job SET start_after = now() WHERE name = '${INGEST_JOB}' AND state = 'retry'`,
    );
    expect(await jobs.drain()).toBeGreaterThanOrEqual(1);

    const after = await read();
    expect(after.sources[0]).toMatchObject({ status: 'ready', chunkCount: expected.length, progress: 100 });
    expect(after.chunks.map((c) => [c.position, c.startOffset, c.endOffset])).toEqual(
      expected.map((c) => [c.position, c.startOffset, c.endOffset]),
    );
    expect(new Set(after.chunks.map((c) => c.content)).size).toBe(expected.length);
    expect(after.chunks.every((c) => c.embeddingModel === 'nomic-embed-text' && c.embeddingDim === 384)).toBe(
      true,
    );
    const [source] = after.sources;
    const count = await withTenant(db, tenantId, (tx) =>
      tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, source!.id)),
    );
    expect(count).toHaveLength(expected.length);
  } finally {
    await jobs.stop();
    await db.close();
  }
});
