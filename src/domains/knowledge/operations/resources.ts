/**
 * The knowledge base's standard resources (resourceOperations): sources (read, list, update
 * metadata, delete; creating and re-ingesting are their own operations, since they queue
 * ingestion), chunks (read; corrected or removed by update-chunk.ts and delete-chunk.ts), the
 * FAQ categories and items.
 */
import type { ResourceSpec } from '../../../platform/http/resource.js';
import { z } from '../../../platform/zod.js';
import { faqCategories, faqItems, knowledgeChunks, knowledgeSources } from '../tables.js';

const slug = z
  .string()
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, `_` or `-`, starting with a letter or digit');

export const knowledgeResources: ResourceSpec[] = [
  {
    name: 'knowledge-sources',
    // Pasted documents: up to the body limit (1 MiB), not the short-text default.
    maxLength: { content: 1_000_000 },
    component: 'KnowledgeSource',
    tag: 'Knowledge',
    table: knowledgeSources,
    writeRole: 'admin',
    // POST /knowledge-sources (create-source.ts) validates per kind and queues ingestion.
    create: false,
    readOnly: [
      // What was ingested: changed by re-ingesting (POST /knowledge-sources/{id}/reingest).
      'kind',
      'content',
      'url',
      // Ingestion state.
      'status',
      'error',
      'progress',
      'chunkCount',
      'processedAt',
      'contentHash',
      // Set by the upload flow: a client-chosen storage path would let ingestion read any file.
      'filePath',
      'fileName',
      'fileType',
      'fileSize',
      // Counters and authorship.
      'viewCount',
      'helpfulCount',
      'createdBy',
    ],
    filters: ['kind', 'status', 'agentId', 'category', 'isActive', 'isPublic'],
    refine: (s) =>
      s.extend({
        title: z.string().min(1).max(500),
        url: z
          .url({ protocol: /^https?$/, error: 'an http(s) URL' })
          .max(2_048)
          .refine(
            (u) => !/^https?:\/\/[^/?#]*@/i.test(u),
            'an http(s) URL without credentials (user:password@)',
          )
          .nullable()
          .optional(),
      }),
    example: {
      kind: 'text',
      title: 'House rules',
      content:
        'Check-in is from 3pm and check-out by 10am. Quiet hours are 10pm to 8am. No parties or events. Pets are welcome in the garden cottage only.',
      category: 'policies',
      tags: ['check-in', 'house-rules'],
      isPublic: true,
    },
  },
  {
    name: 'knowledge-chunks',
    component: 'KnowledgeChunk',
    tag: 'Knowledge',
    table: knowledgeChunks,
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    // Vectors are large and internal: the embedding and the full-text vector are never returned.
    hidden: ['embedding', 'tsv'],
    filters: ['sourceId', 'embeddingModel'],
    example: { sourceId: '', content: 'Check-in is from 3pm and check-out by 10am.', position: 0 },
    refs: { sourceId: 'knowledge-sources' },
  },
  {
    name: 'faq-categories',
    component: 'FaqCategory',
    tag: 'Knowledge',
    table: faqCategories,
    writeRole: 'admin',
    filters: ['slug'],
    refine: (s) => s.extend({ slug }),
    example: {
      name: 'Check-in and check-out',
      slug: 'check-in',
      description: 'Arrival and departure times, keys and early or late requests.',
      displayOrder: 1,
      exampleQuestions: ['What time is check-in?', 'Can I check out late?'],
    },
  },
  {
    name: 'faq-items',
    component: 'FaqItem',
    tag: 'Knowledge',
    table: faqItems,
    writeRole: 'admin',
    filters: ['categoryId', 'isActive'],
    refine: (s) =>
      s.extend({ question: z.string().min(1).max(1_000), answer: z.string().min(1).max(20_000) }),
    example: {
      categoryId: '',
      question: 'What time is check-in?',
      answer: 'Check-in is from 3pm. If you arrive earlier, we can store your luggage from 11am.',
      displayOrder: 1,
      isActive: true,
    },
    refs: { categoryId: 'faq-categories' },
  },
];
