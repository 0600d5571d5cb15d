/**
 * `resourceOperations` turns a tenant table and its spec (resource-schema.ts) into the standard
 * REST operations, each a `defineOperation` declaration with the same conventions everywhere:
 * list (cursor pagination, filters, sort), get (ETag), create (Idempotency-Key, audit), update
 * (If-Match, audit), delete (If-Match, audit), plus named actions (`POST /v1/<name>/{id}/<action>`).
 * Operations that are not plain CRUD are declared one per file in their domain.
 *
 * Size (about 350 lines): six operation builders and the kit they share, each a short function; splitting them would
 * scatter one convention over several files.
 */
import { and, asc, desc, eq, gt, lt, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { bound, compiledRows, insertReturning, lastRows, updateReturning } from '../db/compiled.js';
import type { Tx } from '../db/database.js';
import { AppError } from '../errors.js';
import { z } from '../zod.js';
import type { ApiContext } from './api-context.js';
import { etagOf, ifMatchAllows } from './etag.js';
import { jsonRow, toJsonValue } from './json-value.js';
import { type AnyOperation, defineOperations, type OperationContext, operation } from './operation.js';
import { decodeCursor, encodeCursor, listQuery } from './pagination.js';
import {
  type ActionSpec,
  type ResourceSpec,
  type Row,
  resourceSchemas,
  type WriteChange,
} from './resource-schema.js';

export type { RouteEntry } from './api-context.js';
export {
  type ActionSpec,
  columnRules,
  DEFAULT_MAX_TEXT,
  type JoinedFields,
  type ResourceSpec,
  timeOfDay,
  type WriteChange,
} from './resource-schema.js';

/** What the API tests and docs need to know about every resource: its spec, by name. */
export const resourceSpecs = new Map<string, ResourceSpec>();

const idParam = z.object({ id: z.uuid() });
type Schemas = ReturnType<typeof resourceSchemas>;
type Ctx = OperationContext<{ id: string }, Row, Row, Row>;

/** The row as the API shows it: no tenant, no hidden columns, dates as ISO strings. */
const serializer = (spec: ResourceSpec) => (row: Row) => jsonRow(row, spec.hidden);

/** The shared parts of a resource's operations. */
function kit(spec: ResourceSpec) {
  const t = spec.table;
  const serialize = serializer(spec);
  const notFound = () => new AppError('not_found', `no such ${spec.component.toLowerCase()}`);
  /** The row of the caller's tenant by id, as placeholders (`tenant`, `id`) for a statement built once. */
  const byId = () => and(eq(t.tenantId, bound(t.tenantId, 'tenant')), eq(t.id, bound(t.id, 'id')));
  /** The rows as sent, with the spec's joined fields (read in `tx`, under RLS). */
  const present = async (tx: Tx, rows: Row[]): Promise<Row[]> => {
    const sent = rows.map(serialize);
    if (!spec.joined || rows.length === 0) return sent;
    const extra = await spec.joined.load(tx, rows);
    return sent.map((r) => ({
      ...r,
      ...(toJsonValue(extra.get(r.id as string) ?? {}) as Row),
    }));
  };
  return {
    t,
    byId,
    /** Updates the caller's row `id` with `set`; the row after. */
    async updateRow(tx: Tx, tenantId: string, id: string, set: Row): Promise<Row> {
      const [after] = await updateReturning(tx, t, spec.name, set, byId, { tenant: tenantId, id });
      return after as Row;
    },
    serialize,
    present,
    notFound,
    /**
     * Every operation's first effect is a statement: `load` (get, update, delete, actions) or the
     * handler's read or insert (list, create; `prepare` before it is synchronous).
     */
    base: {
      scope: 'tenant' as const,
      resource: spec.name,
      tag: spec.tag,
      entersWithFirstStatement: true as const,
    },
    /** Sends the row with its ETag (of the row's own fields: joined ones are not the row's). */
    async respond(tx: Tx, c: Ctx['c'], row: Row): Promise<Row> {
      c.header('etag', etagOf(serialize(row)));
      return (await present(tx, [row]))[0]!;
    },
    /** Loads the row for update in the caller's tenant: 404 when absent, 412 when If-Match differs. */
    async lockRow({ tx, c, params }: Pick<Ctx, 'tx' | 'c' | 'params'>): Promise<Row> {
      const [row] = await compiledRows<Row>(
        tx,
        `${spec.name}:lock`,
        () => tx.select().from(t).where(byId()).for('update'),
        { tenant: c.get('principal').tenantId, id: params.id },
      );
      if (!row) throw notFound();
      if (!ifMatchAllows(c.req.header('if-match'), etagOf(serialize(row)))) {
        throw new AppError('precondition_failed', 'the resource changed since you read it: fetch it again');
      }
      return row;
    },
    /** Writes the change's side effects and its audit entry, in the write's transaction. */
    async recorded(
      ctx: Ctx,
      op: string,
      change: Omit<WriteChange, 'op' | 'tenantId' | 'at' | 'platform'>,
      logged: Row,
    ) {
      if (op !== 'delete') {
        await spec.afterWrite?.(ctx.tx, {
          op,
          tenantId: ctx.principal.tenantId,
          at: ctx.clock.now(),
          platform: ctx.platform,
          ...change,
        });
      }
      await ctx.audit({
        action: `${spec.name}.${op}`,
        resourceType: spec.name,
        resourceId: (change.after?.id ?? change.before?.id) as string,
        ...logged,
      });
    },
  };
}
type Kit = ReturnType<typeof kit>;

function listOperation(spec: ResourceSpec, k: Kit, s: Schemas): AnyOperation {
  const read = z.object({ data: z.array(s.read), nextCursor: z.string().nullable() });
  return operation({
    ...k.base,
    collection: true,
    method: 'get',
    path: `/${spec.name}`,
    role: spec.readRole ?? 'viewer',
    operationId: `list${spec.component}s`,
    summary: `List ${spec.name}`,
    description: 'Newest first by default; pass `nextCursor` back as `cursor` for the next page.',
    request: { query: listQuery.extend(s.filters.shape) },
    responses: { 200: { description: 'One page', schema: read } },
    handler: async ({ tx, query, principal }) => {
      const { limit, cursor, sort, ...filters } = query as z.output<typeof listQuery> & Row;
      const isDesc = sort === '-createdAt';
      const cur = cursor ? decodeCursor(cursor) : undefined;
      if (cur && cur.desc !== isDesc)
        throw new AppError('bad_request', 'the cursor belongs to another sort order');
      const named = Object.keys(filters).filter((f) => filters[f] !== undefined);
      // One statement per combination of filters, cursor and order, its SQL built once (compiled.ts).
      const shape = `${spec.name}:list:${named.join(',')}:${cur ? 'after' : 'first'}:${isDesc ? 'desc' : 'asc'}`;
      const rows = await (spec.joined ? compiledRows : lastRows)<Row>(
        tx,
        shape,
        () => {
          // RLS alone isolates; naming the tenant too lets Citus route to one shard (docs/scale-out.md).
          const conds: SQL[] = [
            eq(k.t.tenantId, bound(k.t.tenantId, 'tenant')),
            ...named.map((f) => eq(k.t[f] as PgColumn, bound(k.t[f] as PgColumn, `filter.${f}`))),
          ];
          if (cur) conds.push((isDesc ? lt : gt)(k.t.id, bound(k.t.id, 'cursor')));
          return tx
            .select()
            .from(k.t)
            .where(and(...conds))
            .orderBy(isDesc ? desc(k.t.id) : asc(k.t.id))
            .limit(sql.placeholder('limit') as never);
        },
        {
          tenant: principal.tenantId,
          ...Object.fromEntries(named.map((f) => [`filter.${f}`, filters[f]])),
          ...(cur ? { cursor: cur.id } : {}),
          limit: limit + 1,
        },
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const next = rows.length > limit && last ? encodeCursor({ id: last.id as string, desc: isDesc }) : null;
      return { data: await k.present(tx, page), nextCursor: next };
    },
  });
}

function getOperation(spec: ResourceSpec, k: Kit, s: Schemas): AnyOperation {
  return operation({
    ...k.base,
    method: 'get',
    path: `/${spec.name}/:id`,
    role: spec.readRole ?? 'viewer',
    operationId: `get${spec.component}`,
    summary: `Get one ${spec.component.toLowerCase()}`,
    request: { params: idParam },
    responses: { 200: { description: 'The resource (with its ETag)', schema: s.read } },
    handler: async ({ tx, c, params, principal }) => {
      const [row] = await (spec.joined ? compiledRows : lastRows)<Row>(
        tx,
        `${spec.name}:get`,
        () => tx.select().from(k.t).where(k.byId()),
        { tenant: principal.tenantId, id: params.id },
      );
      if (!row) throw k.notFound();
      return k.respond(tx, c, row);
    },
  });
}

function createOperation(spec: ResourceSpec, k: Kit, s: Schemas): AnyOperation {
  return operation({
    ...k.base,
    collection: true,
    method: 'post',
    path: `/${spec.name}`,
    role: spec.writeRole,
    operationId: `create${spec.component}`,
    summary: `Create a ${spec.component.toLowerCase()}`,
    description: 'Send an `Idempotency-Key` header to make retries safe.',
    request: { body: s.create, bodyExample: spec.example },
    responses: { 201: { description: 'Created', schema: s.read } },
    writeErrors: true,
    idempotent: true,
    handler: async (ctx) => {
      const { tx, c, principal } = ctx;
      const input = spec.prepare ? spec.prepare(ctx.body as Row, ctx.platform) : (ctx.body as Row);
      const created = await insertReturning(tx, k.t, { ...input, tenantId: principal.tenantId });
      await k.recorded(
        ctx as unknown as Ctx,
        'create',
        { before: null, after: created },
        {
          newValues: k.serialize(created),
        },
      );
      c.header('location', `/v1/${spec.name}/${created.id}`);
      return k.respond(tx, c, created);
    },
  });
}

function updateOperation(spec: ResourceSpec, k: Kit, s: Schemas): AnyOperation {
  return operation({
    ...k.base,
    method: 'patch',
    path: `/${spec.name}/:id`,
    role: spec.writeRole,
    operationId: `update${spec.component}`,
    summary: `Update a ${spec.component.toLowerCase()}`,
    description: 'Send `If-Match` with the ETag you read to refuse lost updates (412).',
    // The row is found before the body is read: another tenant's id answers 404 whatever is sent.
    request: { params: idParam, body: s.update },
    responses: { 200: { description: 'Updated', schema: s.read } },
    writeErrors: true,
    load: k.lockRow,
    handler: async (ctx) => {
      const before = ctx.loaded as Row;
      const patch = spec.prepare ? spec.prepare(ctx.body as Row, ctx.platform) : (ctx.body as Row);
      if (Object.keys(patch).length === 0) return k.respond(ctx.tx, ctx.c, before);
      const after = await k.updateRow(ctx.tx, ctx.principal.tenantId, ctx.params.id, patch);
      await k.recorded(
        ctx as Ctx,
        'update',
        { before, after },
        {
          oldValues: k.serialize(before),
          newValues: patch,
        },
      );
      return k.respond(ctx.tx, ctx.c, after);
    },
  });
}

function deleteOperation(spec: ResourceSpec, k: Kit): AnyOperation {
  return operation({
    ...k.base,
    method: 'delete',
    path: `/${spec.name}/:id`,
    role: spec.writeRole,
    operationId: `delete${spec.component}`,
    summary: `Delete a ${spec.component.toLowerCase()}`,
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' } },
    writeErrors: true,
    load: k.lockRow,
    handler: async (ctx) => {
      const before = ctx.loaded as Row;
      await spec.beforeDelete?.(ctx.tx, before);
      await compiledRows(ctx.tx, `${spec.name}:delete`, () => ctx.tx.delete(k.t).where(k.byId()), {
        tenant: ctx.principal.tenantId,
        id: ctx.params.id,
      });
      await k.recorded(
        ctx as Ctx,
        'delete',
        { before, after: null as never },
        {
          oldValues: k.serialize(before),
        },
      );
      return ctx.c.body(null, 204);
    },
  });
}

function actionOperation(spec: ResourceSpec, k: Kit, s: Schemas, action: ActionSpec): AnyOperation {
  return operation({
    ...k.base,
    method: 'post',
    path: `/${spec.name}/:id/${action.name}`,
    role: action.role,
    operationId: `${action.name.replace(/-(\w)/g, (_, x: string) => x.toUpperCase())}${spec.component}`,
    summary: action.summary,
    request: { params: idParam, body: action.body ?? z.object({}), bodyRequired: Boolean(action.body) },
    responses: { 200: { description: 'The resource after the action', schema: s.read } },
    writeErrors: true,
    load: k.lockRow,
    handler: async (ctx) => {
      const before = ctx.loaded as Row;
      const values = await action.apply(before, ctx.body as Row, {
        tx: ctx.tx as Tx,
        c: ctx.c,
        clock: ctx.clock,
      });
      let done = before;
      if (Object.keys(values).length > 0) {
        done = await k.updateRow(ctx.tx as Tx, ctx.principal.tenantId, ctx.params.id, values);
        await k.recorded(
          ctx as Ctx,
          action.name,
          { before, after: done },
          {
            oldValues: k.serialize(before),
            newValues: values,
          },
        );
      }
      await action.inTransaction?.(ctx.tx as Tx, done, { c: ctx.c, platform: ctx.platform });
      return k.respond(ctx.tx, ctx.c, done);
    },
  });
}

/** The standard operations of a resource, in registration order. */
export function resourceOperations(spec: ResourceSpec): AnyOperation[] {
  resourceSpecs.set(spec.name, spec);
  const k = kit(spec);
  const s = resourceSchemas(spec);
  return [
    listOperation(spec, k, s),
    getOperation(spec, k, s),
    ...(spec.create !== false ? [createOperation(spec, k, s)] : []),
    ...(spec.update !== false ? [updateOperation(spec, k, s)] : []),
    ...(spec.remove !== false ? [deleteOperation(spec, k)] : []),
    ...(spec.actions ?? []).map((a) => actionOperation(spec, k, s, a)),
  ];
}

/** Registers a resource's standard operations. */
export function defineResource(api: ApiContext, spec: ResourceSpec): void {
  defineOperations(api, resourceOperations(spec));
}
