import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inliningClient } from './pglite-inline.js';

// PGlite itself, whatever engine the run targets: this is the embedded engine's client.
let pglite: PGlite;
let calls: { exec: number; query: number };

beforeAll(async () => {
  pglite = await PGlite.create();
  await pglite.exec(`CREATE TABLE things (id int PRIMARY KEY, name text, score float8, ok boolean,
    at timestamptz, tags text[], doc jsonb, big bigint)`);
  calls = { exec: 0, query: 0 };
  for (const method of ['exec', 'query'] as const) {
    const original = pglite[method].bind(pglite) as (...a: unknown[]) => Promise<unknown>;
    (pglite as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
      calls[method]++;
      return original(...a);
    };
  }
});
afterAll(() => pglite.close());

/** Runs `text` through the inlining client and through PGlite's own query; both results and which path went. */
async function both(text: string, params: unknown[], options?: { rowMode: 'array' | 'object' }) {
  const client = inliningClient(pglite);
  const before = { ...calls };
  const ours = await client.query(text, params, options);
  const path = calls.exec > before.exec ? 'exec' : 'query';
  const theirs = await pglite.query(text, params, options);
  return { ours: ours.rows, theirs: theirs.rows, path };
}

describe('Drizzle’s statements on PGlite in one call (pglite-inline.ts)', () => {
  it('inlines plain values, typed by their context as parameters are, with the same rows', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const insert = await both(
      'INSERT INTO things (id, name, score, ok, at, doc, big) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
      [1, "it's \\ a “quote” -- not a comment $2", 0.25, true, at, '{"a": [1, null]}', 9007199254740993n],
    ).catch((e) => e);
    // The insert ran twice (ours, then PGlite's own): the second hits the primary key.
    expect(String(insert)).toMatch(/duplicate key/);
    const [row] = (await pglite.query('SELECT * FROM things WHERE id = 1')).rows as Record<string, unknown>[];
    expect(row).toEqual({
      id: 1,
      name: "it's \\ a “quote” -- not a comment $2",
      score: 0.25,
      ok: true,
      at,
      tags: null,
      doc: { a: [1, null] },
      big: 9007199254740993n,
    });
    for (const [text, params] of [
      ['SELECT * FROM things WHERE id = $1 AND name LIKE $2', [1, 'it%']],
      ['SELECT id, $1 AS echoed, $2 = score AS same FROM things', ['5', 0.25]],
      ['SELECT * FROM things WHERE ok = $1 AND at = $2 AND big > $3', [true, at, 10]],
      ['SELECT * FROM things WHERE name = $1 LIMIT $2', [null, 5]],
      ['SELECT count(*) FROM things', []],
      // Quotes and comments are inlined around: only a `$n` in them would be replaced.
      ["SELECT id, 'it''s' AS q FROM things WHERE id = $1 -- one row", [1]],
    ] as [string, unknown[]][]) {
      for (const rowMode of ['object', 'array'] as const) {
        const r = await both(text, params, { rowMode });
        expect(r.path).toBe('exec');
        expect(r.ours).toEqual(r.theirs);
      }
    }
  });

  it('leaves to PGlite’s query a value with no literal form, or a text where `$n` could sit in a string', async () => {
    for (const [text, params] of [
      ['SELECT $1::text[] AS tags', [['a', "b'c"]]],
      ['SELECT $1::jsonb AS doc', [{ a: 1 }]],
      ['SELECT $1::float8 AS x', [Number.NaN]],
      ["SELECT '$1' AS literal, $1::int AS n", [1]],
      ['SELECT $1::int AS n -- $1', [1]],
      ['SELECT $$ $1 $$ AS body, $1::int AS n', [1]],
      ["SELECT '$2' AS literal, $1::int AS n", [1]],
      ["SELECT 'a' AS kind, $1::int AS n, $1::int AS again", [1]],
      // A bulk statement keeps its parameters (65 values).
      [
        `SELECT ${Array.from({ length: 65 }, (_, i) => `$${i + 1}::int`).join(' + ')} AS sum`,
        Array(65).fill(1),
      ],
    ] as [string, unknown[]][]) {
      const r = await both(text, params);
      expect(r.path).toBe('query');
      expect(r.ours).toEqual(r.theirs);
    }
  });

  it('inlines inside a transaction too, and an error there rolls it back', async () => {
    const client = inliningClient(pglite);
    await expect(
      client.transaction(async (tx) => {
        await tx.query('INSERT INTO things (id, name) VALUES ($1, $2)', [2, 'in tx']);
        expect((await tx.query('SELECT name FROM things WHERE id = $1', [2])).rows).toEqual([
          { name: 'in tx' },
        ]);
        await tx.query('INSERT INTO things (id) VALUES ($1)', [2]);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect((await pglite.query('SELECT * FROM things WHERE id = 2')).rows).toEqual([]);
    expect(client.closed).toBe(false);
    expect(client.ready).toBe(true);
  });
});
