/**
 * `defineResource` turns a tenant table and its zod schemas into the five REST operations with
 * the same conventions everywhere: list (cursor pagination, filters, sort), get (ETag), create
 * (Idempotency-Key, audit), update (If-Match, audit), delete (If-Match, audit), plus named
 * actions (`POST /v1/<name>/{id}/<action>`). Every operation registers itself in the OpenAPI
 * document and in the route table the API isolation test walks.
 */
import { and, asc, desc, eq, gt, lt, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { createSchemaFactory } from 'drizzle-zod';
import type { Context, Handler } from 'hono';
import type { Tx } from '../db/database.js';
import { withTenant } from '../db/tenant.js';
import { AppError } from '../errors.js';
import { z } from '../zod.js';
import { audit } from './audit.js';
import type { AppEnv } from './context.js';
import { etagOf, ifMatchAllows } from './etag.js';
import { withIdempotency } from './idempotency.js';
import { standardErrors, writeErrors } from './openapi.js';
import { decodeCursor, encodeCursor, listQuery } from './pagination.js';
import type { Role } from './principal.js';
import { requireRole } from './principal.js';
import type { ApiContext, RouteEntry } from './route.js';
import { jsonBody, parseWith, refuseUnknownQuery } from './validate.js';

/** What the API tests and docs need to know about every resource: its spec, by name. */
export const resourceSpecs = new Map<string, ResourceSpec>();

export type { RouteEntry };

/** Request bodies accept ISO strings for timestamps; responses are documented as they are sent. */
const factory = createSchemaFactory({ zodInstance: z, coerce: { date: true } });
const readFactory = createSchemaFactory({ zodInstance: z });
/** Longest text a column takes unless its spec says otherwise (`maxLength`); documented in OpenAPI. */
export const DEFAULT_MAX_TEXT = 20_000;
/** A wall-clock time as Postgres TIME takes it, validated as a time (not left to the database's lenient parser). */
export const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'a time of day as HH:MM or HH:MM:SS (24-hour clock)');

/** Per-column refinements of a body schema: times as times, dates as dates, a documented maximum on every text. */
export function columnRules(t: AnyTable, maxLength: Record<string, number> = {}): Record<string, unknown> {
  const rules: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(t) as [string, PgColumn][]) {
    if (!col || typeof col !== 'object' || !('columnType' in col)) continue;
    if (col.columnType === 'PgTime') rules[key] = () => timeOfDay;
    else if (col.columnType === 'PgDateString') rules[key] = () => z.iso.date();
    else if (col.columnType === 'PgText' && !col.enumValues?.length) {
      const max = maxLength[key] ?? DEFAULT_MAX_TEXT;
      rules[key] = (s: z.ZodString) => s.max(max);
    }
  }
  return rules;
}

/** Columns the server owns: never accepted from a request body. */
const SERVER_FIELDS = ['tenantId', 'id', 'createdAt', 'updatedAt'];

type Row = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: drizzle's table generics do not survive a generic factory.
type AnyTable = PgTable & { tenantId: PgColumn; id: PgColumn; createdAt: PgColumn } & Record<string, any>;
type ZObject = z.ZodObject<z.ZodRawShape>;

export interface ActionSpec {
  name: string;
  summary: string;
  role: Role;
  body?: ZObject;
  /** Changes the locked row; returns the values to set (validated by the database). */
  apply(row: Row, body: Row, ctx: { tx: Tx; c: Context<AppEnv> }): Row | Promise<Row>;
  /** Runs after the action's transaction has committed (e.g. to queue a job about the new state). */
  afterCommit?(row: Row, ctx: { c: Context<AppEnv> }): Promise<void>;
}

export interface ResourceSpec {
  /** Plural path segment and resource type, e.g. `contacts`. */
  name: string;
  /** OpenAPI component name, e.g. `Contact`. */
  component: string;
  tag: string;
  table: AnyTable;
  readRole?: Role;
  writeRole: Role;
  /** Columns never returned (secrets, hashes, vectors). */
  hidden?: string[];
  /** Columns a client may not set (counters, workflow state changed by actions). */
  readOnly?: string[];
  /** Columns usable as `?column=value` filters on the list. */
  filters?: string[];
  /** A valid create body: documentation, and what the API tests create. */
  example: Row;
  /** Fields of `example` that must hold the id of another resource (field → resource name). */
  refs?: Record<string, string>;
  create?: boolean;
  update?: boolean;
  remove?: boolean;
  actions?: ActionSpec[];
  /** Transforms a validated create or update body before it is written (e.g. sealing secrets). */
  prepare?: (input: Row) => Row;
  /** Longest value of a text column where the default (`DEFAULT_MAX_TEXT`) does not fit. */
  maxLength?: Record<string, number>;
  /** Extra refinement of the create/update body (e.g. a typed JSON column). */
  refine?: (schema: ZObject) => ZObject;
  /**
   * Runs in the write's transaction after a create, an update or an action (`op` is the action's
   * name): events for webhooks, checks that need the result. Throwing undoes the write.
   */
  afterWrite?: (tx: Tx, change: WriteChange) => Promise<void>;
  /** Runs in the delete's transaction with the locked row, before it goes: throwing refuses the delete. */
  beforeDelete?: (tx: Tx, row: Row) => Promise<void>;
}

export interface WriteChange {
  op: string;
  tenantId: string;
  /** When the write happened, by the platform's Clock. */
  at: Date;
  before: Row | null;
  after: Row;
}

/** `schema.omit(keys)` for the keys the schema has (zod 4 refuses unknown ones; not every table has updatedAt). */
function omitKnown(schema: ZObject, keys: string[]): ZObject {
  const present = keys.filter((k) => k in schema.shape);
  return schema.omit(Object.fromEntries(present.map((k) => [k, true])) as never) as ZObject;
}

export function defineResource(api: ApiContext, spec: ResourceSpec): void {
  const { router, registry, db, guard } = api;
  resourceSpecs.set(spec.name, spec);
  const t = spec.table;
  const base = `/${spec.name}`;
  const docPath = `/v1${base}`;
  const readRole = spec.readRole ?? 'viewer';
  const read = omitKnown(readFactory.createSelectSchema(t) as unknown as ZObject, [
    'tenantId',
    ...(spec.hidden ?? []),
  ]).openapi(spec.component) as ZObject;
  let createSchema = omitKnown(
    factory.createInsertSchema(t, columnRules(t, spec.maxLength) as never) as unknown as ZObject,
    [...SERVER_FIELDS, ...(spec.hidden ?? []), ...(spec.readOnly ?? [])],
  );
  if (spec.refine) createSchema = spec.refine(createSchema);
  createSchema = createSchema.openapi(`${spec.component}Create`);
  const updateSchema = createSchema.partial().openapi(`${spec.component}Update`);
  const filterSchema = z.object(
    Object.fromEntries(
      (spec.filters ?? []).map((f) => {
        const col = t[f] as PgColumn;
        const s =
          col.columnType === 'PgUUID'
            ? z.uuid()
            : col.dataType === 'number'
              ? z.coerce.number()
              : col.dataType === 'boolean'
                ? z.enum(['true', 'false']).transform((v) => v === 'true')
                : z.string().max(500);
        return [f, s.optional()];
      }),
    ),
  );
  const listKeys = new Set([...Object.keys(listQuery.shape), ...Object.keys(filterSchema.shape)]);
  const idParam = z.object({ id: z.uuid() });
  const serialize = (row: Row): Row => {
    const { tenantId: _t, ...rest } = row;
    for (const h of spec.hidden ?? []) delete rest[h];
    return JSON.parse(JSON.stringify(rest)) as Row;
  };
  const doc = (method: RouteEntry['method'], path: string, role: Role, config: Row) => {
    registry.registerPath({
      method,
      path: `/v1${path}`.replace(/:(\w+)/g, '{$1}'),
      tags: [spec.tag],
      security: [{ bearer: [] }],
      ...config,
      description: `${(config.description as string | undefined) ?? ''}\n\nRole: ${role} or higher.`.trim(),
    } as never);
    api.routes.push({ method, path: `/v1${path}`, role, resource: spec.name });
  };
  const guarded = (h: Handler<AppEnv>) => [...guard, h] as unknown as [Handler<AppEnv>];
  const idOf = (c: Context<AppEnv>) => parseWith(idParam, { id: c.req.param('id') }, 'path').id;
  const notFound = () => new AppError('not_found', `no such ${spec.component.toLowerCase()}`);

  /**
   * `id` in the caller's tenant. RLS alone isolates; naming the tenant as well lets Citus route
   * the statement to the tenant's shard (docs/scale-out.md).
   */
  const byId = (c: Context<AppEnv>, id: string) =>
    and(eq(t.tenantId, c.get('principal').tenantId), eq(t.id, id));
  /** Loads the row for update in the caller's tenant: 404 when absent, 412 when If-Match differs. */
  const lockRow = async (tx: Tx, c: Context<AppEnv>, id: string): Promise<Row> => {
    const [row] = await tx.select().from(t).where(byId(c, id)).for('update');
    if (!row) throw notFound();
    if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(row)))) {
      throw new AppError('precondition_failed', 'the resource changed since you read it: fetch it again');
    }
    return row;
  };
  const respond = (c: Context<AppEnv>, row: Row, status: 200 | 201 = 200) => {
    const body = serialize(row);
    c.header('etag', etagOf(body));
    return c.json(body, status);
  };

  router.get(
    base,
    ...guarded(async (c) => {
      requireRole(c, readRole);
      refuseUnknownQuery(c.req.query(), listKeys);
      const q = parseWith(listQuery, c.req.query(), 'query');
      const filters = parseWith(filterSchema, c.req.query(), 'query') as Row;
      const isDesc = q.sort === '-created_at';
      const conds: SQL[] = [
        eq(t.tenantId, c.get('principal').tenantId),
        ...Object.entries(filters)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => eq(t[k] as PgColumn, v)),
      ];
      if (q.cursor) {
        const cur = decodeCursor(q.cursor);
        if (cur.desc !== isDesc)
          throw new AppError('bad_request', 'the cursor belongs to another sort order');
        conds.push(isDesc ? lt(t.id, cur.id) : gt(t.id, cur.id));
      }
      const rows = await withTenant(db, c.get('principal').tenantId, (tx) =>
        tx
          .select()
          .from(t)
          .where(and(...conds))
          .orderBy(isDesc ? desc(t.id) : asc(t.id))
          .limit(q.limit + 1),
      );
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const next =
        rows.length > q.limit && last ? encodeCursor({ id: last.id as string, desc: isDesc }) : null;
      return c.json({ data: page.map(serialize), next_cursor: next });
    }),
  );
  doc('get', base, readRole, {
    operationId: `list${spec.component}s`,
    summary: `List ${spec.name}`,
    description: 'Newest first by default; pass `next_cursor` back as `cursor` for the next page.',
    request: { query: listQuery.extend(filterSchema.shape) },
    responses: {
      200: {
        description: 'One page',
        content: {
          'application/json': {
            schema: z.object({ data: z.array(read), next_cursor: z.string().nullable() }),
          },
        },
      },
      ...standardErrors,
    },
  });

  router.get(
    `${base}/:id`,
    ...guarded(async (c) => {
      requireRole(c, readRole);
      const id = idOf(c);
      const [row] = await withTenant(db, c.get('principal').tenantId, (tx) =>
        tx.select().from(t).where(byId(c, id)),
      );
      if (!row) throw notFound();
      return respond(c, row);
    }),
  );
  doc('get', `${base}/:id`, readRole, {
    operationId: `get${spec.component}`,
    summary: `Get one ${spec.component.toLowerCase()}`,
    request: { params: idParam },
    responses: {
      200: { description: 'The resource (with its ETag)', content: { 'application/json': { schema: read } } },
      ...standardErrors,
    },
  });

  if (spec.create !== false) {
    router.post(
      base,
      ...guarded((c) => {
        requireRole(c, spec.writeRole);
        return withIdempotency(c, api.platform, async () => {
          const body = await jsonBody(c, createSchema);
          const input = spec.prepare ? spec.prepare(body) : body;
          const tenantId = c.get('principal').tenantId;
          const row = await withTenant(db, tenantId, async (tx) => {
            const [created] = await tx
              .insert(t)
              .values({ ...input, tenantId })
              .returning();
            await spec.afterWrite?.(tx, {
              op: 'create',
              tenantId,
              at: api.platform.clock.now(),
              before: null,
              after: created!,
            });
            await audit(tx, c, {
              action: `${spec.name}.create`,
              resourceType: spec.name,
              resourceId: created!.id as string,
              newValues: serialize(created!),
            });
            return created!;
          });
          c.header('location', `${docPath}/${row.id}`);
          return respond(c, row, 201);
        });
      }),
    );
    doc('post', base, spec.writeRole, {
      operationId: `create${spec.component}`,
      summary: `Create a ${spec.component.toLowerCase()}`,
      description: 'Send an `Idempotency-Key` header to make retries safe.',
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: createSchema, example: spec.example } },
        },
      },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: read } } },
        ...standardErrors,
        ...writeErrors,
      },
    });
  }

  if (spec.update !== false) {
    router.patch(
      `${base}/:id`,
      ...guarded(async (c) => {
        requireRole(c, spec.writeRole);
        const id = idOf(c);
        const row = await withTenant(db, c.get('principal').tenantId, async (tx) => {
          const before = await lockRow(tx, c, id);
          // The body is checked after the row is found: another tenant's id answers 404 whatever is sent.
          const body = await jsonBody(c, updateSchema);
          const patch = spec.prepare ? spec.prepare(body) : body;
          if (Object.keys(patch).length === 0) return before;
          const [after] = await tx.update(t).set(patch).where(byId(c, id)).returning();
          const tenantId = c.get('principal').tenantId;
          await spec.afterWrite?.(tx, {
            op: 'update',
            tenantId,
            at: api.platform.clock.now(),
            before,
            after: after!,
          });
          await audit(tx, c, {
            action: `${spec.name}.update`,
            resourceType: spec.name,
            resourceId: id,
            oldValues: serialize(before),
            newValues: patch,
          });
          return after!;
        });
        return respond(c, row);
      }),
    );
    doc('patch', `${base}/:id`, spec.writeRole, {
      operationId: `update${spec.component}`,
      summary: `Update a ${spec.component.toLowerCase()}`,
      description: 'Send `If-Match` with the ETag you read to refuse lost updates (412).',
      request: {
        params: idParam,
        body: { required: true, content: { 'application/json': { schema: updateSchema } } },
      },
      responses: {
        200: { description: 'Updated', content: { 'application/json': { schema: read } } },
        ...standardErrors,
        ...writeErrors,
      },
    });
  }

  if (spec.remove !== false) {
    router.delete(
      `${base}/:id`,
      ...guarded(async (c) => {
        requireRole(c, spec.writeRole);
        const id = idOf(c);
        await withTenant(db, c.get('principal').tenantId, async (tx) => {
          const before = await lockRow(tx, c, id);
          await spec.beforeDelete?.(tx, before);
          await tx.delete(t).where(byId(c, id));
          await audit(tx, c, {
            action: `${spec.name}.delete`,
            resourceType: spec.name,
            resourceId: id,
            oldValues: serialize(before),
          });
        });
        return c.body(null, 204);
      }),
    );
    doc('delete', `${base}/:id`, spec.writeRole, {
      operationId: `delete${spec.component}`,
      summary: `Delete a ${spec.component.toLowerCase()}`,
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, ...standardErrors, ...writeErrors },
    });
  }

  for (const action of spec.actions ?? []) {
    const body = action.body ?? z.object({});
    router.post(
      `${base}/:id/${action.name}`,
      ...guarded(async (c) => {
        requireRole(c, action.role);
        const id = idOf(c);
        const row = await withTenant(db, c.get('principal').tenantId, async (tx) => {
          const before = await lockRow(tx, c, id);
          const empty = !action.body && (c.req.header('content-length') ?? '0') === '0';
          const input = empty ? {} : await jsonBody(c, body);
          const values = await action.apply(before, input as Row, { tx, c });
          if (Object.keys(values).length === 0) return before;
          const [after] = await tx.update(t).set(values).where(byId(c, id)).returning();
          const tenantId = c.get('principal').tenantId;
          await spec.afterWrite?.(tx, {
            op: action.name,
            tenantId,
            at: api.platform.clock.now(),
            before,
            after: after!,
          });
          await audit(tx, c, {
            action: `${spec.name}.${action.name}`,
            resourceType: spec.name,
            resourceId: id,
            oldValues: serialize(before),
            newValues: values,
          });
          return after!;
        });
        await action.afterCommit?.(row as Row, { c });
        return respond(c, row);
      }),
    );
    doc('post', `${base}/:id/${action.name}`, action.role, {
      operationId: `${action.name.replace(/-(\w)/g, (_, x: string) => x.toUpperCase())}${spec.component}`,
      summary: action.summary,
      request: {
        params: idParam,
        body: { required: Boolean(action.body), content: { 'application/json': { schema: body } } },
      },
      responses: {
        200: {
          description: 'The resource after the action',
          content: { 'application/json': { schema: read } },
        },
        ...standardErrors,
        ...writeErrors,
      },
    });
  }
}
