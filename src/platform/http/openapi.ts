/**
 * The OpenAPI 3.1 document is built from the same zod schemas that validate requests: routes
 * register themselves here as they are defined (see operation.ts and resource.ts).
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
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/**
 * The error responses, each described once in `components.responses` and referenced by every
 * operation that can give it (the generated client stays small; the wire format is the same).
 */
const ERROR_RESPONSES = {
  BadRequest: [400, 'Malformed request'],
  Unauthorized: [401, 'Missing or invalid credentials'],
  Forbidden: [403, 'Your role does not allow this'],
  NotFound: [404, 'No such resource in your tenant'],
  Conflict: [409, 'Conflicts with existing data or a request in flight'],
  PreconditionFailed: [412, 'If-Match does not match the current ETag'],
  PayloadTooLarge: [413, 'Body over the size limit'],
  UnsupportedMediaType: [415, 'Body is not application/json'],
  ValidationFailed: [422, 'Invalid fields (see `errors`)'],
  RateLimited: [429, 'Rate limit used up (see Retry-After)'],
} as const;
type ErrorResponse = keyof typeof ERROR_RESPONSES;

const ref = (name: ErrorResponse) => ({ $ref: `#/components/responses/${name}` });

/** The error responses every authenticated route can give. */
export const standardErrors = {
  400: ref('BadRequest'),
  401: ref('Unauthorized'),
  403: ref('Forbidden'),
  404: ref('NotFound'),
  413: ref('PayloadTooLarge'),
  415: ref('UnsupportedMediaType'),
  422: ref('ValidationFailed'),
  429: ref('RateLimited'),
};

export const writeErrors = {
  409: ref('Conflict'),
  412: ref('PreconditionFailed'),
};

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`fd_…`) or a session token from POST /v1/auth/login (`fds_…`).',
  });
  registry.register('Problem', problemSchema);
  for (const [name, [, description]] of Object.entries(ERROR_RESPONSES)) {
    registry.registerComponent('responses', name, {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  }
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
