/**
 * The pieces every operation module gets (`ApiContext`, the route table), and `route()`: the
 * older way to declare an operation whose handler reads the Hono context itself. It is a thin
 * adapter over `defineOperation` (operation.ts), which new operations use directly.
 */

import type { Handler } from 'hono';
import type { ApiContext, Probe, RouteEntry, Scope } from './api-context.js';
import type { AppEnv } from './context.js';
import { defineOperation } from './operation.js';
import type { Role } from './principal.js';

export type { ApiContext, ResponseCheck, RouteEntry } from './api-context.js';

export interface CustomRoute {
  method: RouteEntry['method'];
  /** Path under /v1 with Hono params, e.g. `/tenants/by-slug/:slug`. */
  path: string;
  role: Role | 'public';
  resource?: string;
  /** A tenant operation over the tenant's whole data (see RouteEntry). */
  collection?: true;
  probe?: Probe;
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

const scopeOf = (r: CustomRoute): Scope =>
  r.platformAuth ? 'platform' : r.role === 'public' ? 'public' : 'tenant';

export function route(api: ApiContext, r: CustomRoute): void {
  const request =
    r.request && 'body' in r.request
      ? { ...r.request, body: { required: true, ...(r.request.body as object) } }
      : r.request;
  defineOperation(api, {
    method: r.method,
    path: r.path,
    scope: scopeOf(r),
    ...(r.role === 'public' ? {} : { role: r.role }),
    ...(r.resource ? { resource: r.resource } : {}),
    ...(r.collection ? { collection: r.collection } : {}),
    ...(r.probe ? { probe: r.probe } : {}),
    tag: r.tag,
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    ...(request ? { openapiRequest: request } : {}),
    responses: r.responses as never,
    // Authenticated reads refuse parameters they do not declare (as before this adapter).
    strictQuery: r.method === 'get' && r.role !== 'public',
    transaction: false,
    handler: ({ c }) => r.handler(c, async () => {}),
  });
}
