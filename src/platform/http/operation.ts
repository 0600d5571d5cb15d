/**
 * `defineOperation`: one HTTP operation declared once. The declaration is the documentation
 * (OpenAPI), the route-table entry the API tests walk, and the request handling:
 *
 *   defineOperation(api, {
 *     method: 'post', path: '/knowledge/search', scope: 'tenant', role: 'viewer', collection: true,
 *     tag: 'Knowledge', operationId: 'searchKnowledge', summary: 'Search the knowledge base',
 *     request: { body: searchBody },
 *     responses: { 200: { description: 'Results', schema: results } },
 *     transaction: false,
 *     handler: ({ body, principal, platform }) => searchKnowledge(platform, principal.tenantId, body),
 *   });
 *
 * What it does for every operation, in this order: authentication and the role (tenant scope),
 * unknown query parameters refused (400 naming them), path and query parameters validated with
 * the documented schemas (422), the Idempotency-Key (`idempotent: true`), the tenant transaction
 * (`tx`, unless `transaction: false`; for an API key authentication opens it, src/api/auth.ts),
 * `load` (the named resource, 404 before the body is even read), the body validated with the documented schema (415/400/422), the handler. Work that
 * must follow a change (a job, a webhook event) is queued in `tx` (`enqueueIn`), never after the
 * commit: it exists if and only if the change does. A handler returns the JSON body of the first documented 2xx status, or a
 * Response of its own. In tests, every JSON response is checked against the documented schema
 * (`ApiContext.checkResponse`): a mismatch is a 500 naming the field.
 *
 * Every tenant operation says what it touches: `resource` (the isolation sweep tries it with
 * another tenant's id) or `collection: true` (the sweep checks it shows nothing of another
 * tenant). Registering one with neither throws.
 *
 * Size: a little over 300 lines, as one file on purpose: the declaration's type, its OpenAPI
 * rendering and the request pipeline change together, and the documentation helpers cannot move
 * out without importing the operation type back (a cycle, even type-only).
 */
import type { Context, Handler } from 'hono';
import type { Clock } from '../clock.js';
import type { Tx } from '../db/database.js';
import { withTenant } from '../db/tenant.js';
import type { AppPlatform } from '../jobs.js';
import type { z } from '../zod.js';
import type { ApiContext, Probe, RouteEntry, Scope } from './api-context.js';
import { type AuditEntry, audit } from './audit.js';
import type { AppEnv } from './context.js';
import { withIdempotency } from './idempotency.js';
import { standardErrors, writeErrors } from './openapi.js';
import type { Principal, Role } from './principal.js';
import { requireRole } from './principal.js';
import { jsonBody, parseWith, refuseUnknownQuery } from './validate.js';

type ZObject = z.ZodObject<z.ZodRawShape>;

/** A documented response: a JSON schema, or a raw OpenAPI response object (other media types). */
export type ResponseSpec =
  | { description: string; schema?: z.ZodType; headers?: Record<string, unknown> }
  | object;

export interface OperationContext<P, Q, B, L> {
  /** The tenant transaction (tenant scope, unless `transaction: false`). */
  tx: Tx;
  body: B;
  params: P;
  query: Q;
  /** Who is calling (authenticated scopes). */
  principal: Principal;
  clock: Clock;
  platform: AppPlatform;
  /** What `load` returned (the resource the operation names). */
  loaded: L;
  /** Records the write in the audit log, in `tx`. */
  audit(entry: AuditEntry): Promise<void>;
  /** The Hono context: headers in and out, the raw body of non-JSON requests. */
  c: Context<AppEnv>;
}

export interface OperationSpec<P extends ZObject, Q extends ZObject, B extends z.ZodType, L> {
  method: RouteEntry['method'];
  /** Path under /v1 with Hono params, e.g. `/contacts/:id`. */
  path: string;
  /** `tenant`: an API key or session of a tenant, with `role`. `platform`: a platform admin's session (checked by the handler). `public`: no credentials. */
  scope: Scope;
  role?: Role;
  /** The resource the operation reads or changes (its `:id`), by resource name. */
  resource?: string;
  /** A tenant operation over the tenant's whole data (lists, creates, search, settings); a list may also name its resource. */
  collection?: true;
  /** A valid request for the isolation sweep of a collection-level operation. */
  probe?: Probe;
  tag: string;
  operationId: string;
  summary: string;
  description?: string;
  /** How the description names who may call (default: from scope and role). */
  authNote?: string;
  request?: {
    params?: P;
    query?: Q;
    /** A JSON body, validated with exactly this schema. */
    body?: B;
    /** Default true; when false an empty request means `{}`. */
    bodyRequired?: boolean;
    bodyExample?: unknown;
    /** Documentation of a body that is not JSON (multipart, forms): the handler reads it. */
    rawBody?: Record<string, unknown>;
  };
  /** Documentation-only request (public operations that check their own input first: the widget's, the WhatsApp handshake). */
  openapiRequest?: Record<string, unknown>;
  responses: Record<number, ResponseSpec>;
  /** Documents 409 and 412 besides the standard errors. */
  writeErrors?: boolean;
  /** Honours `Idempotency-Key` (POST). */
  idempotent?: boolean;
  /** Default: true for tenant scope. False: the handler's services open their own transactions. */
  transaction?: boolean;
  /**
   * The handler writes a table Citus keeps whole on every node (`tenants`): its transaction is
   * opened for the tenant, not by authentication, whose credential lookup reads every shard,
   * after which Citus refuses such a write in the same transaction.
   */
  writesGlobalTable?: boolean;
  /**
   * The operation's first effect is a statement in the request's transaction (a `load`, or a
   * handler that reads or writes before anything else, calling no other service): the check of
   * an API key (or of a session naming its tenant by id) can then go with that statement, in its
   * round trip (src/api/auth.ts), since nothing happens before the credential is known good.
   * Resource operations (resource.ts) declare it.
   */
  entersWithFirstStatement?: true;
  /** Query parameters not declared are refused (default: authenticated scopes). */
  strictQuery?: boolean;
  /**
   * Runs before the body is read: loads the named resource in `tx` (throw not_found for another
   * tenant's id), or checks a platform admin's credentials (platform scope, no transaction).
   */
  load?: (ctx: OperationContext<z.output<P>, z.output<Q>, undefined, undefined>) => Promise<L>;
  handler(ctx: OperationContext<z.output<P>, z.output<Q>, z.output<B>, L>): unknown | Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of operations of any shapes.
export type AnyOperation = OperationSpec<any, any, any, any>;

/** Something a handler was not given: touching it is a bug, and says so. */
const absent = <T extends object>(what: string): T =>
  new Proxy({} as T, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      throw new Error(`this operation has no ${what} (touched ${String(prop)})`);
    },
  });

const isJsonResponse = (r: ResponseSpec): r is { description: string; schema: z.ZodType } =>
  'schema' in r && r.schema !== undefined;

function docResponses(spec: AnyOperation): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    if (isJsonResponse(r)) {
      const { schema, ...rest } = r;
      out[Number(status)] = { ...rest, content: { 'application/json': { schema } } };
    } else out[Number(status)] = r;
  }
  return { ...out, ...standardErrors, ...(spec.writeErrors ? writeErrors : {}) };
}

function docRequest(spec: AnyOperation): Record<string, unknown> | undefined {
  if (spec.openapiRequest) return spec.openapiRequest;
  const r = spec.request;
  if (!r) return undefined;
  const out: Record<string, unknown> = {};
  if (r.params) out.params = r.params;
  if (r.query) out.query = r.query;
  if (r.body) {
    const media = { schema: r.body, ...(r.bodyExample !== undefined ? { example: r.bodyExample } : {}) };
    out.body = { required: r.bodyRequired ?? true, content: { 'application/json': media } };
  }
  if (r.rawBody) out.body = { required: true, ...r.rawBody };
  return Object.keys(out).length ? out : undefined;
}

function authNote(spec: AnyOperation): string {
  if (spec.authNote) return spec.authNote;
  if (spec.scope === 'platform') return 'A platform admin’s session token.';
  return spec.scope === 'public' ? 'No authentication.' : `Role: ${spec.role} or higher.`;
}

function checkDeclaration(spec: AnyOperation): void {
  const where = `${spec.method.toUpperCase()} ${spec.path}`;
  if (spec.scope === 'tenant' && !spec.role) throw new Error(`${where}: a tenant operation needs a role`);
  if (spec.scope === 'tenant' && !spec.resource && !spec.collection) {
    throw new Error(
      `${where}: a tenant operation names its resource (resource: 'name') or is marked collection-level (collection: true)`,
    );
  }
}

/** Reads the JSON body with the documented schema; an optional body may be absent (`{}`). */
async function readBody(c: Context<AppEnv>, spec: AnyOperation): Promise<unknown> {
  const schema = spec.request?.body;
  if (!schema) return undefined;
  const empty = (c.req.header('content-length') ?? '0') === '0' && !c.req.header('transfer-encoding');
  if (spec.request?.bodyRequired === false && empty) return {};
  return jsonBody(c, schema);
}

/** The declared query parameters (a zod object's keys). */
function queryKeys(spec: AnyOperation): Set<string> {
  const query = (spec.request?.query ?? spec.openapiRequest?.query) as { shape?: object } | undefined;
  return new Set(Object.keys(query?.shape ?? {}));
}

async function run(api: ApiContext, spec: AnyOperation, c: Context<AppEnv>): Promise<Response> {
  const principal = spec.scope === 'tenant' ? c.get('principal') : absent<Principal>('principal');
  const ctx: OperationContext<unknown, unknown, unknown, unknown> = {
    c,
    params: {},
    query: {},
    principal,
    body: undefined,
    loaded: undefined,
    tx: absent<Tx>('transaction'),
    clock: api.platform.clock,
    platform: api.platform,
    audit: (entry) => audit(ctx.tx, c, entry),
  };
  // A platform operation checks the admin first: without credentials, 401 whatever else is sent.
  const adminFirst = spec.scope === 'platform' && spec.load !== undefined;
  if (adminFirst) ctx.loaded = await spec.load!(ctx as never);
  if (spec.strictQuery ?? spec.scope !== 'public') refuseUnknownQuery(c.req.query(), queryKeys(spec));
  if (spec.request?.params) ctx.params = parseWith(spec.request.params, c.req.param(), 'path');
  if (spec.request?.query) ctx.query = parseWith(spec.request.query, c.req.query(), 'query');
  const inTransaction = async (tx: Tx) => {
    ctx.tx = tx;
    if (spec.load && !adminFirst) ctx.loaded = await spec.load(ctx as never);
    ctx.body = await readBody(c, spec);
    return spec.handler(ctx as never);
  };
  // Without the request's transaction, `load` still runs in one of its own (a tenant's).
  const outside = async () => {
    const load = spec.load;
    if (load && spec.scope === 'tenant') {
      ctx.loaded = await withTenant(api.db, principal.tenantId, (tx) => load({ ...ctx, tx } as never));
    } else if (load && !adminFirst) ctx.loaded = await load(ctx as never);
    ctx.body = await readBody(c, spec);
    return spec.handler(ctx as never);
  };
  const execute = async (): Promise<Response> => {
    const useTx = spec.transaction ?? spec.scope === 'tenant';
    // The request's transaction when authentication opened it (an API key), else one of its own.
    const tx = c.get('requestTx');
    const own = () => withTenant(api.db, principal.tenantId, inTransaction);
    const result = useTx ? await (tx ? inTransaction(tx) : own()) : await outside();
    return toResponse(c, spec, result);
  };
  const response = spec.idempotent ? await withIdempotency(c, api.platform, execute) : await execute();
  if (api.checkResponse) await api.checkResponse(spec.method, docPath(spec.path), response);
  return response;
}

function toResponse(c: Context<AppEnv>, spec: AnyOperation, result: unknown): Response {
  if (result instanceof Response) return result;
  const status = Number(Object.keys(spec.responses).find((s) => Number(s) < 300) ?? 200);
  if (status === 204) return c.body(null, 204);
  return c.json(result as object, status as 200);
}

const docPath = (path: string) => `/v1${path}`.replace(/:(\w+)/g, '{$1}');

/** Registers the operation: route, OpenAPI operation and route-table entry. */
export function defineOperation<P extends ZObject, Q extends ZObject, B extends z.ZodType, L = undefined>(
  api: ApiContext,
  spec: OperationSpec<P, Q, B, L>,
): void {
  const op = spec as AnyOperation;
  checkDeclaration(op);
  const handler: Handler<AppEnv> = (c) => run(api, op, c);
  const role = op.role;
  // Authentication opens the request's transaction for an operation that runs in one, unless an
  // Idempotency-Key is sent (its claim must commit before the work starts: idempotency.ts) or the
  // operation writes a global table (`writesGlobalTable`).
  const useTx = (op.transaction ?? op.scope === 'tenant') && !op.writesGlobalTable;
  const wantsTx: Handler<AppEnv> = (c, next) => {
    c.set('wantsRequestTx', useTx && !(op.idempotent && c.req.header('idempotency-key') !== undefined));
    c.set('firstStatementRole', op.entersWithFirstStatement ? role : undefined);
    return next();
  };
  const chain: Handler<AppEnv>[] =
    op.scope === 'tenant' && role
      ? [
          wantsTx,
          ...(api.guard as Handler<AppEnv>[]),
          (c, next) => {
            requireRole(c, role);
            return handler(c, next);
          },
        ]
      : [handler];
  api.router.on(op.method.toUpperCase(), op.path, ...(chain as [Handler<AppEnv>]));
  const request = docRequest(op);
  api.registry.registerPath({
    method: op.method,
    path: docPath(op.path),
    tags: [op.tag],
    operationId: op.operationId,
    summary: op.summary,
    description: `${op.description ?? ''}\n\n${authNote(op)}`.trim(),
    security: op.scope === 'public' ? [] : [{ bearer: [] }],
    ...(request ? { request } : {}),
    responses: docResponses(op),
  } as never);
  api.routes.push({
    method: op.method,
    path: `/v1${op.path}`,
    role: op.scope === 'tenant' ? role! : 'public',
    scope: op.scope,
    ...(op.resource ? { resource: op.resource } : {}),
    ...(op.collection ? { collection: true as const } : {}),
    ...(op.probe ? { probe: op.probe } : {}),
  });
}

/** Registers a domain's operations, in order (a literal path before a `/:id` that would shadow it). */
export function defineOperations(api: ApiContext, operations: readonly AnyOperation[]): void {
  for (const op of operations) defineOperation(api, op);
}

/** Declares an operation for a domain's list without registering it (types checked at the declaration). */
export function operation<P extends ZObject, Q extends ZObject, B extends z.ZodType, L = undefined>(
  spec: OperationSpec<P, Q, B, L>,
): AnyOperation {
  return spec as AnyOperation;
}
