/** POST /knowledge-sources: typed-in text, a URL or FAQ items; queues their ingestion. */
import { AppError } from '../../../platform/errors.js';
import { operation } from '../../../platform/http/operation.js';
import { publicUrlProblem } from '../../../platform/net/safe-fetch.js';
import { z } from '../../../platform/zod.js';
import { actingUser } from '../../conversations/acting-user.js';
import { createSource, type SourceInput } from '../ingest.js';
import { anyObject, common, httpUrl } from '../operation-kit.js';
import { auditCreate, created } from './source-kit.js';

const createBody = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.enum(['text', 'article']),
      content: z.string().min(1).max(1_000_000),
      format: z.enum(['text', 'markdown', 'html']).optional(),
      ...common,
    }),
    z.object({ kind: z.literal('url'), url: httpUrl, ...common }),
    z.object({
      kind: z.literal('faq'),
      items: z
        .array(z.object({ question: z.string().min(1).max(1_000), answer: z.string().min(1).max(20_000) }))
        .min(1)
        .max(1_000),
      ...common,
    }),
  ])
  .openapi('KnowledgeSourceInput');

export const createSourceOperation = operation({
  method: 'post',
  path: '/knowledge-sources',
  scope: 'tenant',
  role: 'admin',
  collection: true,
  tag: 'Knowledge',
  operationId: 'createKnowledgeSource',
  summary: 'Add text, a URL or FAQ items to the knowledge base (queues ingestion)',
  description:
    'Answers 201 with the source in status `queued`; poll it for `processing` → `ready` | `failed` ' +
    '(with `error`). The same content twice answers 409. Files: POST /v1/knowledge-sources/upload.',
  request: { body: createBody },
  responses: { 201: { description: 'Queued', schema: anyObject } },
  writeErrors: true,
  idempotent: true,
  // createSource writes the source, its audit entry and its job in one transaction of its own.
  transaction: false,
  handler: async ({ c, body, principal, platform }) => {
    if (body.kind === 'url') {
      const problem = await publicUrlProblem(body.url, platform.config.allowPrivateUrls);
      if (problem)
        throw new AppError('validation_failed', 'the request body is not valid', {
          errors: [{ path: 'url', message: `${problem}: URL sources must be public addresses` }],
        });
    }
    const input = { ...body, createdBy: actingUser(c) } as SourceInput;
    return created(c, await createSource(platform, principal.tenantId, input, auditCreate(c)));
  },
});
