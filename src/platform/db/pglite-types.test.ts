import { PGlite, types } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { parseArraysAsServer, SERVER_PARSED_ARRAYS } from './pglite-types.js';

const t = useTestDatabase();

describe('array results have the same shape on both engines (pglite-types.ts)', () => {
  it('parses the arrays node-postgres parses, and leaves the others as PostgreSQL’s text', async () => {
    const [row] = await t.db.query(
      `SELECT ARRAY['a', 'b,c']::text[] AS texts,
              ARRAY['0190a1b2-0000-7000-8000-000000000001']::uuid[] AS ids,
              ARRAY[1, 2]::int4[] AS ints,
              ARRAY['{"k": 1}']::jsonb[] AS docs,
              ARRAY[true, false] AS flags,
              ARRAY['x', 'y']::name[] AS names`,
    );
    expect(row).toMatchObject({
      texts: ['a', 'b,c'],
      ids: ['0190a1b2-0000-7000-8000-000000000001'],
      ints: [1, 2],
      docs: [{ k: 1 }],
      flags: [true, false],
      // node-postgres has no parser for name[]: both engines answer PostgreSQL's array text.
      names: '{x,y}',
    });
  });

  it('keeps every parser that is not an array’s, and drops most of the array ones', async () => {
    const pglite = await PGlite.create();
    try {
      const before = { ...pglite.parsers };
      await parseArraysAsServer(pglite);
      const kept = Object.keys(pglite.parsers);
      // text, int4, jsonb, timestamptz and the named aliases (string, number, json, date …)
      for (const key of ['25', '23', '3802', '1184', 'string', 'json', 'date']) expect(kept).toContain(key);
      for (const oid of [1009, 2951, 1007, 3807]) expect(kept).toContain(String(oid));
      expect(kept).not.toContain('1003'); // name[]
      expect(kept.length).toBeLessThan(Object.keys(before).length / 4);
      // What is left: PGlite's own parsers of plain types, and the arrays node-postgres parses.
      expect(kept.filter((key) => !(key in types.parsers) && !SERVER_PARSED_ARRAYS.has(Number(key)))).toEqual(
        [],
      );
    } finally {
      await pglite.close();
    }
  });
});
