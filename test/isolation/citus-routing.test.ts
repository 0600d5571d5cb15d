/**
 * On Citus, the hot queries reach one shard: EXPLAIN as the request role, in a tenant's context,
 * shows a single task. Citus routes a query to one shard only when it names the tenant
 * (`tenant_id = <value>` on every distributed table); Row Level Security alone keeps the rows
 * right but sends the query to every shard, which the last test pins. Runs on the Citus lane only
 * (TEST_DATABASE_URL pointing at a coordinator: .ci/run, docs/scale-out.md).
 */
import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SearchInput, vectorQuery } from '../../src/domains/knowledge/search.js';
import { rows } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { onCitus, useTestDatabase } from '../helpers/db.js';
import { CITUS_TEST_SHARD_COUNT } from '../helpers/server.js';

const t = useTestDatabase();
const A = '00000000-0000-7000-8000-0000000000c1';
const CHANNEL = '00000000-0000-7000-8000-0000000000c2';
const CONVERSATION = '00000000-0000-7000-8000-0000000000c3';

/** Citus' task count of `query`'s plan, explained as the request role in tenant A. */
async function tasks(query: SQL): Promise<number> {
  const plan = await withTenant(t.db, A, (tx) => rows<{ 'QUERY PLAN': string }>(tx, sql`EXPLAIN ${query}`));
  const text = plan.map((r) => r['QUERY PLAN']).join('\n');
  const counts = [...text.matchAll(/Task Count: (\d+)/g)].map((m) => Number(m[1]));
  expect(counts.length, text).toBeGreaterThan(0);
  return Math.max(...counts);
}

describe.runIf(onCitus())('hot queries on Citus reach one shard', () => {
  beforeAll(async () => {
    await t.db.exec(`INSERT INTO tenants (id, slug, name) VALUES ('${A}', 'routing', 'Routing')`);
  });

  it('the conversation list (newest first, a status filter, one page)', async () => {
    const query = sql`SELECT * FROM conversations
      WHERE tenant_id = ${A}::uuid AND status = ${'active'}
      ORDER BY created_at DESC, id DESC LIMIT ${21}`;
    expect(await tasks(query)).toBe(1);
  });

  it("a conversation's message page (list-conversation-messages.ts)", async () => {
    const query = sql`SELECT * FROM messages
      WHERE tenant_id = ${A}::uuid AND conversation_id = ${CONVERSATION}::uuid
      ORDER BY id LIMIT ${21}`;
    expect(await tasks(query)).toBe(1);
  });

  it('a message insert', async () => {
    const query = sql`INSERT INTO messages (tenant_id, id, conversation_id, role, content)
      VALUES (${A}::uuid, gen_random_uuid(), ${CONVERSATION}::uuid, ${'agent'}, ${'Thanks, we are on it.'})`;
    expect(await tasks(query)).toBe(1);
  });

  it('knowledge search: the vector query as search.ts builds it', async () => {
    const query = vectorQuery({
      tenantId: A,
      model: 'offline-hash-256',
      vector: Array.from({ length: 256 }, (_, i) => (i % 7) / 7),
      tier: 'exact',
      n: 8,
      input: { query: 'check in early', tags: ['faq'] } satisfies SearchInput,
    });
    expect(await tasks(query)).toBe(1);
  });

  it('inbound intake: the channel, the duplicate check and the message upsert of one tenant', async () => {
    expect(
      await tasks(sql`SELECT * FROM channels WHERE tenant_id = ${A}::uuid AND id = ${CHANNEL}::uuid`),
    ).toBe(1);
    expect(
      await tasks(sql`SELECT id, conversation_id FROM messages
        WHERE tenant_id = ${A}::uuid AND channel_id = ${CHANNEL}::uuid AND external_message_id = ${'SM123'}`),
    ).toBe(1);
    expect(
      await tasks(sql`INSERT INTO messages (tenant_id, id, conversation_id, channel_id, role, content, external_message_id)
        VALUES (${A}::uuid, gen_random_uuid(), ${CONVERSATION}::uuid, ${CHANNEL}::uuid, ${'contact'}, ${'hi'}, ${'SM123'})
        ON CONFLICT DO NOTHING`),
    ).toBe(1);
  });

  it('without tenant_id in the query, RLS still filters but every shard is asked', async () => {
    expect(await tasks(sql`SELECT * FROM conversations WHERE status = ${'active'} LIMIT ${21}`)).toBe(
      CITUS_TEST_SHARD_COUNT,
    );
  });
});
