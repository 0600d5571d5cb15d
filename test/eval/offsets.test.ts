/**
 * The contract the evaluation stands on: for an uploaded Markdown document, the stored content
 * holds every quote of the set exactly, and every chunk's [startOffset, endOffset) span is its
 * content in that stored text — so "a chunk overlaps the quote's span" means what it says.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalSet } from '../../eval/lib/eval-set.js';
import { ingestDocuments } from '../../eval/lib/ingest-documents.js';
import { locateQuote } from '../../eval/lib/locate.js';
import { openPipeline, type Pipeline } from '../../eval/lib/pipeline.js';
import { knowledgeChunks } from '../../src/domains/knowledge/tables.js';
import { createTenant } from '../../src/domains/tenancy/service.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { useTestDatabase } from '../helpers/db.js';

const TENANT = 'parcelpoint';

describe('eval offsets against the real pipeline', () => {
  const t = useTestDatabase();
  const set = loadEvalSet();
  let p: Pipeline;
  let tenantId: string;
  let sources: Awaited<ReturnType<typeof ingestDocuments>>;

  beforeAll(async () => {
    p = await openPipeline(t.db);
    tenantId = (await createTenant(t.db, { slug: TENANT, name: TENANT })).id;
    sources = await ingestDocuments(
      p,
      tenantId,
      set.documents.filter((d) => d.tenant === TENANT),
    );
  });
  afterAll(() => p.jobs.stop());

  it('stores each quote exactly once in the source content', () => {
    for (const q of set.questions.filter((x) => x.tenant === TENANT)) {
      for (const r of q.relevant) {
        const content = sources.get(r.doc)!.content;
        expect(locateQuote(content, r.quote)?.exact, r.quote).toBe(true);
        expect(content.split(r.quote)).toHaveLength(2);
      }
    }
  });

  it("gives every chunk the offsets of its own content in the source's stored text", async () => {
    let checked = 0;
    for (const source of sources.values()) {
      const chunks = await withTenant(t.db, tenantId, (tx) =>
        tx.select().from(knowledgeChunks).where(eq(knowledgeChunks.sourceId, source.id)),
      );
      expect(chunks).toHaveLength(source.chunks);
      for (const c of chunks) {
        expect(source.content.slice(c.startOffset!, c.endOffset!)).toBe(c.content);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
