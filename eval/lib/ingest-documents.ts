/**
 * Uploads a tenant's evaluation documents as Markdown files through the real pipeline
 * (createSource, then the queued ingestion jobs) and returns, per document, its source id and
 * the content the knowledge base stored — the text chunk offsets point into.
 */
import { createSource } from '../../src/domains/knowledge/ingest.js';
import { knowledgeSources } from '../../src/domains/knowledge/tables.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import type { EvalDocument } from './eval-set.js';
import type { Pipeline } from './pipeline.js';

export interface IngestedDocument {
  id: string;
  content: string;
  chunks: number;
}

export async function ingestDocuments(
  p: Pipeline,
  tenantId: string,
  docs: EvalDocument[],
): Promise<Map<string, IngestedDocument>> {
  const ids = new Map<string, string>();
  for (const doc of docs) {
    const source = await createSource(p, tenantId, {
      kind: 'file',
      fileName: doc.file,
      bytes: Buffer.from(doc.text),
      tags: ['eval'],
    });
    ids.set(doc.file, source.id);
  }
  await p.jobs.drain();
  const stored = await withTenant(p.db, tenantId, (tx) =>
    tx
      .select({
        id: knowledgeSources.id,
        status: knowledgeSources.status,
        error: knowledgeSources.error,
        content: knowledgeSources.content,
        chunks: knowledgeSources.chunkCount,
      })
      .from(knowledgeSources),
  );
  const byId = new Map(stored.map((s) => [s.id, s]));
  const sources = new Map<string, IngestedDocument>();
  for (const [file, id] of ids) {
    const s = byId.get(id);
    if (s?.status !== 'ready' || s.content === null) {
      throw new Error(`${file} was not ingested (${s?.status ?? 'missing'}: ${s?.error ?? ''})`);
    }
    sources.set(file, { id, content: s.content, chunks: s.chunks });
  }
  return sources;
}
