/**
 * Which array types PGlite turns into JavaScript arrays: the ones node-postgres does, so a result
 * has the same shape on both engines. PGlite's own start registers a parser for every array type
 * in the catalog (about 300), and every statement that passes its own parsers, as each of
 * Drizzle's does, copies that whole map (`{ ...instance parsers, ...query parsers }`): about 80 µs
 * a statement on this project's machine, nearly what a simple SELECT itself costs. With the ~30 array
 * types below the copy is a sixth as large; an array of another type (an enum's, `name[]`)
 * comes back as PostgreSQL's text, as it does from node-postgres, and Drizzle's array columns
 * parse that text themselves.
 */
import type { PGlite } from '@electric-sql/pglite';

/** The array types pg-types (node-postgres's type parsers) parses, by OID. */
export const SERVER_PARSED_ARRAYS: ReadonlySet<number> = new Set([
  199, // json[]
  651, // cidr[]
  791, // money[]
  1000, // bool[]
  1001, // bytea[]
  1005, // int2[]
  1007, // int4[]
  1008, // regproc[]
  1009, // text[]
  1014, // bpchar[]
  1015, // varchar[]
  1016, // int8[]
  1017, // point[]
  1021, // float4[]
  1022, // float8[]
  1028, // oid[]
  1040, // macaddr[]
  1041, // inet[]
  1115, // timestamp[]
  1182, // date[]
  1183, // time[]
  1185, // timestamptz[]
  1187, // interval[]
  1231, // numeric[]
  1270, // timetz[]
  2951, // uuid[]
  3807, // jsonb[]
  3907, // numrange[]
]);

/** Drops the instance's parsers for array types node-postgres leaves as text (see above). */
export async function parseArraysAsServer(pglite: PGlite): Promise<void> {
  const { rows } = await pglite.query<{ oid: number }>(
    `SELECT oid::int AS oid FROM pg_catalog.pg_type WHERE typcategory = 'A'`,
  );
  const arrays = new Set(rows.map((r) => r.oid));
  const kept: PGlite['parsers'] = {};
  for (const [key, parser] of Object.entries(pglite.parsers)) {
    const oid = Number(key);
    if (!arrays.has(oid) || SERVER_PARSED_ARRAYS.has(oid)) kept[key] = parser;
  }
  pglite.parsers = kept;
}
