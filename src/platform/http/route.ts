/**
 * The pieces every route module gets, and `route()` for operations that are not plain CRUD
 * (login, key creation, lookups): it registers the OpenAPI operation and the route-table entry
 * next to the handler, so documentation and tests cannot drift from what is served.
 */

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Handler, Hono, MiddlewareHandler } from 'hono';
import type { Database } from '../db/database.js';
import type { AppPlatform } from '../jobs.js';
import type { AppEnv } from './context.js';
import { standardErrors } from './openapi.js';
import type { Role } from './principal.js';
import { requireRole } from './principal.js';
import { refuseUnknownQuery } from './validate.js';

export interface RouteEntry {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Hono path under the server root, e.g. `/v1/contacts/:id`. */
  path: string;
  /** Minimum role; `public` for unauthenticated routes. */
  role: Role | 'public';
  /** The resource the route reads or changes (the isolation test creates one of these). */
  resource?: string;
}

export interface ApiContext {
  db: Database;
  /** Clock, configuration, logger and job queue, for handlers that need more than the database. */
  platform: AppPlatform;
  registry: OpenAPIRegistry;
  /** Routes under /v1 (paths given without the prefix). */
  router: Hono<AppEnv>;
  /** Authentication, rate limits and CORS: put in front of every authenticated handler. */
  guard: MiddlewareHandler<AppEnv>[];
  routes: RouteEntry[];
}

export interface CustomRoute {
  method: RouteEntry['method'];
  /** Path under /v1 with Hono params, e.g. `/tenants/by-slug/:slug`. */
  path: string;
  role: Role | 'public';
  resource?: string;
  /** A public route that checks credentials of its own (platform admin sessions). */
  platformAuth?: boolean;
  tag: string;
  operationId: string;
  summary: string;
  description?: string;
  request?: Record<string, unknown>;
  responses: Record<number, unknown>;
  handler: Handler<AppEnv>;
}

function authNote(r: CustomRoute): string {
  if (r.platformAuth) return 'A platform admin’s session token.';
  return r.role === 'public' ? 'No authentication.' : `Role: ${r.role} or higher.`;
}

/** The parameter names of a declared query schema (a zod object), if the route declares one. */
function queryKeys(r: CustomRoute): Set<string> | undefined {
  const query = r.request?.query as { shape?: Record<string, unknown> } | undefined;
  return query?.shape ? new Set(Object.keys(query.shape)) : undefined;
}

export function route(api: ApiContext, r: CustomRoute): void {
  const minimum = r.role;
  // Authenticated reads refuse parameters they do not declare (providers' callbacks are left alone).
  const allowed = r.method === 'get' && minimum !== 'public' ? queryKeys(r) : undefined;
  const handler: Handler<AppEnv> = allowed
    ? (c, next) => {
        refuseUnknownQuery(c.req.query(), allowed);
        return r.handler(c, next);
      }
    : r.handler;
  const checked: Handler<AppEnv> =
    minimum === 'public'
      ? handler
      : (c, next) => {
          requireRole(c, minimum);
          return handler(c, next);
        };
  const chain = minimum === 'public' ? [checked] : [...api.guard, checked];
  api.router.on(r.method.toUpperCase(), r.path, ...(chain as [Handler<AppEnv>]));
  api.registry.registerPath({
    method: r.method,
    path: `/v1${r.path}`.replace(/:(\w+)/g, '{$1}'),
    tags: [r.tag],
    operationId: r.operationId,
    summary: r.summary,
    description: `${r.description ?? ''}\n\n${authNote(r)}`.trim(),
    security: r.role === 'public' && !r.platformAuth ? [] : [{ bearer: [] }],
    request:
      r.request && 'body' in r.request
        ? { ...r.request, body: { required: true, ...(r.request.body as object) } }
        : r.request,
    responses: { ...r.responses, ...standardErrors },
  } as never);
  api.routes.push({
    method: r.method,
    path: `/v1${r.path}`,
    role: r.role,
    ...(r.resource ? { resource: r.resource } : {}),
  });
}
