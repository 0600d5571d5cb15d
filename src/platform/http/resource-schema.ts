/**
 * What a resource is (`ResourceSpec`) and the schemas made from its table: the read shape, the
 * create and update bodies (drizzle-zod, with a documented maximum on every text column) and
 * the list filters. resource.ts turns a spec into operations.
 */
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { createSchemaFactory } from 'drizzle-zod';
import type { Context } from 'hono';
import type { Clock } from '../clock.js';
import type { Tx } from '../db/database.js';
import type { AppPlatform } from '../jobs.js';
import { z } from '../zod.js';
import type { AppEnv } from './context.js';
import type { Role } from './principal.js';

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

export type Row = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: drizzle's table generics do not survive a generic factory.
type AnyColumns = Record<string, any>;
export type AnyTable = PgTable & { tenantId: PgColumn; id: PgColumn; createdAt: PgColumn } & AnyColumns;
export type ZObject = z.ZodObject<z.ZodRawShape>;

export interface ActionSpec {
  name: string;
  summary: string;
  role: Role;
  body?: ZObject;
  /** Changes the locked row; returns the values to set (validated by the database). */
  apply(row: Row, body: Row, ctx: { tx: Tx; c: Context<AppEnv>; clock: Clock }): Row | Promise<Row>;
  /**
   * Runs in the action's transaction after the change (e.g. to queue a job about the new state
   * with `enqueueIn(tx, …)`: the job then exists if and only if the change commits).
   */
  inTransaction?(tx: Tx, row: Row, ctx: { c: Context<AppEnv>; platform: AppPlatform }): Promise<void>;
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
  prepare?: (input: Row, platform: AppPlatform) => Row;
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
  /**
   * Read-only fields from another table added to every row the API sends (a member's email and
   * name, from `users`): `shape` documents them, `load` reads them for a page of rows at once, in
   * the request's transaction (so RLS decides what it may see), keyed by row id. They are not the
   * row's own: not in its ETag, its audit entries or its filters.
   */
  joined?: JoinedFields;
}

export interface JoinedFields {
  shape: z.ZodRawShape;
  load(tx: Tx, rows: Row[]): Promise<Map<string, Row>>;
}

export interface WriteChange {
  op: string;
  tenantId: string;
  /** When the write happened, by the platform's Clock. */
  at: Date;
  before: Row | null;
  after: Row;
  /** The platform a resource operation runs on (its configuration); absent outside HTTP operations. */
  platform?: AppPlatform;
}

/** `schema.omit(keys)` for the keys the schema has (zod 4 refuses unknown ones; not every table has updatedAt). */
export function omitKnown(schema: ZObject, keys: string[]): ZObject {
  const present = keys.filter((k) => k in schema.shape);
  return schema.omit(Object.fromEntries(present.map((k) => [k, true])) as never) as ZObject;
}

/** The schemas of a resource, made once from its table and spec. */
export function resourceSchemas(spec: ResourceSpec) {
  const t = spec.table;
  const read = omitKnown(readFactory.createSelectSchema(t) as unknown as ZObject, [
    'tenantId',
    ...(spec.hidden ?? []),
  ])
    .extend(spec.joined?.shape ?? {})
    .openapi(spec.component) as ZObject;
  let create = omitKnown(
    factory.createInsertSchema(t, columnRules(t, spec.maxLength) as never) as unknown as ZObject,
    [...SERVER_FIELDS, ...(spec.hidden ?? []), ...(spec.readOnly ?? [])],
  );
  if (spec.refine) create = spec.refine(create);
  create = create.openapi(`${spec.component}Create`);
  const update = create.partial().openapi(`${spec.component}Update`);
  const filters = z.object(
    Object.fromEntries((spec.filters ?? []).map((f) => [f, filterOf(t[f] as PgColumn).optional()])),
  );
  return { read, create, update, filters };
}

/** A list filter's parameter: query strings typed as the column is. */
function filterOf(col: PgColumn): z.ZodType {
  if (col.columnType === 'PgUUID') return z.uuid();
  if (col.dataType === 'number') return z.coerce.number();
  if (col.dataType === 'boolean') return z.enum(['true', 'false']).transform((v) => v === 'true');
  return z.string().max(500);
}
