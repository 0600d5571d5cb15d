import { type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  between,
  emptyJsonObject,
  emptyTextArray,
  inValues,
  nonNegative,
  timestamps,
} from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { tenants } from '../../schema/tenants.js';
import { agents } from '../ai/tables.js';
import { users } from '../identity/tables.js';
import { anyVector, regconfig, tsvector } from './columns.js';

export const SOURCE_KINDS = ['file', 'url', 'text', 'article', 'faq'] as const;
export const SOURCE_STATUSES = ['queued', 'processing', 'ready', 'failed'] as const;

type Json = Record<string, unknown>;

/**
 * A document in the knowledge base (seed 004's knowledge_sources, seed 000's
 * knowledgeBaseDocuments, seed 002's knowledge_base): an upload, a crawled URL, pasted text, an
 * article or the FAQ. Ingestion splits it into knowledge_chunks. `content` keeps the source text
 * of text/article/faq sources so they can be re-chunked; files and URLs are re-read from their
 * origin. The same content (by hash) is stored once per tenant.
 */
export const knowledgeSources = tenantTable(
  'knowledge_sources',
  {
    kind: text('kind', { enum: SOURCE_KINDS }).notNull(),
    status: text('status', { enum: SOURCE_STATUSES }).notNull().default('queued'),
    error: text('error'),
    title: text('title').notNull(),
    content: text('content'),
    contentHash: text('content_hash'),
    url: text('url'),
    fileName: text('file_name'),
    /** Where the uploaded file is stored (object storage key or local path). */
    filePath: text('file_path'),
    fileType: text('file_type'),
    fileSize: bigint('file_size', { mode: 'number' }),
    /** Scopes the source to one agent; NULL = every agent of the tenant. */
    agentId: uuid('agent_id'),
    tags: text('tags').array().notNull().default(emptyTextArray),
    category: text('category'),
    isActive: boolean('is_active').notNull().default(true),
    /** Shown to contacts (public help content) or only used internally. */
    isPublic: boolean('is_public').notNull().default(true),
    viewCount: integer('view_count').notNull().default(0),
    helpfulCount: integer('helpful_count').notNull().default(0),
    lastReviewedAt: timestamp('last_reviewed_at', { withTimezone: true }),
    /** Ingestion progress, 0–100. */
    progress: integer('progress').notNull().default(0),
    chunkCount: integer('chunk_count').notNull().default(0),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('knowledge_sources_agent_fk', t.tenantId, t.agentId, agents),
    uniqueIndex('knowledge_sources_tenant_hash_key').on(t.tenantId, t.contentHash),
    index('knowledge_sources_tenant_status_idx').on(t.tenantId, t.status),
    index('knowledge_sources_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    index('knowledge_sources_tenant_agent_idx').on(t.tenantId, t.agentId),
    index('knowledge_sources_tenant_category_idx').on(t.tenantId, t.category),
    index('knowledge_sources_tags_idx').using('gin', t.tags),
    index('knowledge_sources_created_by_idx').on(t.createdBy),
    inValues('knowledge_sources_kind_check', t.kind, SOURCE_KINDS),
    // Typed-in sources carry their text (seed 000: content NOT NULL); files and URLs get it on ingestion.
    check(
      'knowledge_sources_content_check',
      sql`${t.kind} not in ('text', 'article', 'faq') or ${t.content} is not null`,
    ),
    inValues('knowledge_sources_status_check', t.status, SOURCE_STATUSES),
    between('knowledge_sources_progress_check', t.progress, 0, 100),
    nonNegative('knowledge_sources_chunk_count_check', t.chunkCount),
    nonNegative('knowledge_sources_file_size_check', t.fileSize),
    nonNegative('knowledge_sources_view_count_check', t.viewCount),
    nonNegative('knowledge_sources_helpful_count_check', t.helpfulCount),
    check('knowledge_sources_error_check', sql`${t.status} = 'failed' or ${t.error} is null`),
  ],
);

/**
 * A passage of a source, with its embedding and full-text vector.
 *
 * - `embedding` is an undimensioned pgvector `vector`; `embedding_model` and `embedding_dim`
 *   say what produced it (set together, checked against `vector_dims`). NULL until embedded.
 * - `tsv` is generated from `ts_config`, the text search configuration of the tenant's language
 *   when the chunk was written (`english`, `french`, … or `simple`): `to_tsvector(regconfig,
 *   text)` is immutable, so a regconfig column can feed a generated column. Keyword search
 *   queries with the tenant's current configuration (src/domains/knowledge/language.ts).
 * - No ANN index here: exact scans per tenant use the (tenant, source) index; tenants large
 *   enough to need one get a partial HNSW index of their own, made at run time by a job
 *   (src/domains/knowledge/tiers.ts, docs/knowledge-search.md).
 */
export const knowledgeChunks = tenantTable(
  'knowledge_chunks',
  {
    sourceId: uuid('source_id').notNull(),
    content: text('content').notNull(),
    embedding: anyVector('embedding'),
    embeddingModel: text('embedding_model'),
    embeddingDim: integer('embedding_dim'),
    tsConfig: regconfig('ts_config').notNull().default(sql`'simple'::regconfig`),
    tsv: tsvector('tsv')
      .notNull()
      .generatedAlwaysAs(
        (): SQL => sql`to_tsvector(${knowledgeChunks.tsConfig}, ${knowledgeChunks.content})`,
      ),
    /** 0-based order of the chunk within its source (seed 004's chunk_index). */
    position: integer('position').notNull(),
    headingPath: text('heading_path').array().notNull().default(emptyTextArray),
    startOffset: integer('start_offset'),
    endOffset: integer('end_offset'),
    tokenCount: integer('token_count'),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('knowledge_chunks_source_fk', t.tenantId, t.sourceId, knowledgeSources, 'cascade'),
    // Also the (tenant_id, source_id) B-tree that per-source reads and cascades use.
    uniqueIndex('knowledge_chunks_source_position_key').on(t.tenantId, t.sourceId, t.position),
    // (tenant_id, tsv) in one GIN (btree_gin): a keyword match reads only the tenant's postings.
    // Used through frontdesk_keyword_matches() (migrations/0015): under RLS, `@@` is not
    // leakproof, so the planner would not use any index for it (bm25.ts).
    index('knowledge_chunks_tenant_tsv_idx').using('gin', t.tenantId, t.tsv),
    nonNegative('knowledge_chunks_position_check', t.position),
    nonNegative('knowledge_chunks_start_offset_check', t.startOffset),
    nonNegative('knowledge_chunks_token_count_check', t.tokenCount),
    check('knowledge_chunks_offsets_check', sql`${t.endOffset} >= ${t.startOffset}`),
    check(
      'knowledge_chunks_embedding_meta_check',
      sql`(${t.embedding} is null) = (${t.embeddingModel} is null) and (${t.embedding} is null) = (${t.embeddingDim} is null)`,
    ),
    check(
      'knowledge_chunks_embedding_dim_check',
      sql`${t.embeddingDim} > 0 and vector_dims(${t.embedding}) = ${t.embeddingDim}`,
    ),
  ],
);

/**
 * The tenant's vocabulary for BM25 keyword search: each lexeme of its chunks' `tsv` (the
 * tenant's language: stemmed, stop words out) and in how many chunks it occurs. Maintained by
 * statement triggers on knowledge_chunks (insert, delete, update of content), so every write
 * path, cascades included, keeps it exact; read for inverse document frequencies and, through a
 * trigram index, to correct misspelt query words (search.ts). One row per (tenant_id, term); the
 * id, like every tenant table's, is made by the database since triggers write these rows.
 */
export const knowledgeTerms = pgTable(
  'knowledge_terms',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .default(sql`current_tenant_id()`)
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Made by the database (the triggers insert these rows). */
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    term: text('term').notNull(),
    /** Chunks of the tenant containing the term. */
    df: integer('df').notNull(),
  },
  (t) => [
    primaryKey({ name: 'knowledge_terms_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('knowledge_terms_tenant_term_key').on(t.tenantId, t.term),
    // All tenants' vocabularies by trigrams, for frontdesk_term_corrections() (migrations/0015).
    // Not (tenant_id, term): ANDing a large tenant's posting list with the trigrams' costs more
    // than filtering the few near terms other tenants have.
    index('knowledge_terms_term_trgm_idx').using('gin', sql`${t.term} gin_trgm_ops`),
    nonNegative('knowledge_terms_df_check', t.df),
  ],
);

/** Per tenant: how many chunks and tokens its knowledge base has (BM25's N and average length). */
export const knowledgeStats = pgTable(
  'knowledge_stats',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .default(sql`current_tenant_id()`)
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().default(sql`gen_random_uuid()`),
    chunks: integer('chunks').notNull().default(0),
    tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'knowledge_stats_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('knowledge_stats_tenant_key').on(t.tenantId),
    nonNegative('knowledge_stats_chunks_check', t.chunks),
    nonNegative('knowledge_stats_tokens_check', t.tokens),
  ],
);

/** FAQ categories (seed 003's knowledge_categories). */
export const faqCategories = tenantTable(
  'faq_categories',
  {
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    description: text('description'),
    displayOrder: integer('display_order').notNull().default(0),
    exampleQuestions: text('example_questions').array().notNull().default(emptyTextArray),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('faq_categories_tenant_slug_key').on(t.tenantId, t.slug),
    index('faq_categories_tenant_order_idx').on(t.tenantId, t.displayOrder),
    check('faq_categories_slug_format_check', sql`${t.slug} ~ '^[a-z0-9][a-z0-9_-]*$'`),
  ],
);

/** FAQ entries (seed 003's knowledge_items). Indexed into the knowledge base as a `faq` source. */
export const faqItems = tenantTable(
  'faq_items',
  {
    categoryId: uuid('category_id').notNull(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    displayOrder: integer('display_order').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    tenantRef('faq_items_category_fk', t.tenantId, t.categoryId, faqCategories, 'cascade'),
    index('faq_items_tenant_category_idx').on(t.tenantId, t.categoryId, t.displayOrder),
  ],
);

export type KnowledgeSource = typeof knowledgeSources.$inferSelect;
export type NewKnowledgeSource = typeof knowledgeSources.$inferInsert;
export type KnowledgeChunk = typeof knowledgeChunks.$inferSelect;
export type NewKnowledgeChunk = typeof knowledgeChunks.$inferInsert;
export type KnowledgeTerm = typeof knowledgeTerms.$inferSelect;
export type FaqCategory = typeof faqCategories.$inferSelect;
export type NewFaqCategory = typeof faqCategories.$inferInsert;
export type FaqItem = typeof faqItems.$inferSelect;
export type NewFaqItem = typeof faqItems.$inferInsert;
