/**
 * The OpenAPI 3.1 document is built from the same zod schemas that validate requests: routes
 * register themselves here as they are defined (see resource.ts and route.ts).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ERRORS } from '../errors.js';
import { z } from '../zod.js';

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/not-found' }),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS, ...(keyof typeof ERRORS)[]]),
    detail: z.string().optional(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The error responses every authenticated route can give. */
export const standardErrors = {
  400: problem('Malformed request'),
  401: problem('Missing or invalid credentials'),
  403: problem('Your role does not allow this'),
  404: problem('No such resource in your tenant'),
  413: problem('Body over the size limit'),
  415: problem('Body is not application/json'),
  422: problem('Invalid fields (see `errors`)'),
  429: problem('Rate limit used up (see Retry-After)'),
};

export const writeErrors = {
  409: problem('Conflicts with existing data or a request in flight'),
  412: problem('If-Match does not match the current ETag'),
};

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`fd_…`) or a session token from POST /v1/auth/login (`fds_…`).',
  });
  return registry;
}

export type { RouteConfig };

export function buildDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Frontdesk API',
      version: '1.0.0',
      description:
        'Multi-tenant backend for AI customer communication. Every resource belongs to the tenant of your credentials; another tenant’s resource answers 404. Errors are RFC 9457 problem documents.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
  });
}
