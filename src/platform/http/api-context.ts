/**
 * What every operation module is given (`ApiContext`: the router, the OpenAPI registry, the
 * route table) and what the route table holds.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Hono, MiddlewareHandler } from 'hono';
import type { Database } from '../db/database.js';
import type { AppPlatform } from '../jobs.js';
import type { AppEnv } from './context.js';
import type { Role } from './principal.js';

export type Scope = 'tenant' | 'platform' | 'public';

/** What the isolation sweep sends to a collection-level operation (a valid request). */
export interface Probe {
  query?: Record<string, string>;
  body?: unknown;
}

export interface RouteEntry {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Hono path under the server root, e.g. `/v1/contacts/:id`. */
  path: string;
  /** Minimum role; `public` for routes without a tenant's credentials. */
  role: Role | 'public';
  scope: Scope;
  /** The resource the route reads or changes (the isolation test creates one of these). */
  resource?: string;
  /** A tenant operation over the tenant's whole data: the sweep checks it shows nothing of another tenant. */
  collection?: true;
  /** A valid request for that sweep. */
  probe?: Probe;
}

/** Checks a response against the documented schema (tests only); throws on a mismatch. */
export type ResponseCheck = (method: string, docPath: string, response: Response) => Promise<void>;

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
  /** Set in tests: every operation's JSON responses are checked against the documentation. */
  checkResponse?: ResponseCheck;
}
