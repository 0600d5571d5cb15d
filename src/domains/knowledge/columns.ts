/**
 * Column types drizzle does not ship in the shape the knowledge base needs.
 */
import { customType } from 'drizzle-orm/pg-core';

/**
 * A pgvector `vector` with no fixed dimension. Each chunk records its embedding model and
 * dimension instead, so tenants (or a re-embedding run) can use different models side by side;
 * a CHECK ties `vector_dims(embedding)` to `embedding_dim`. Exact search filters on
 * (tenant, model) and casts nothing; a per-tenant ANN index, when one is needed, is an expression
 * index on `(embedding::vector(n))` restricted to that tenant and model (a later issue).
 */
export const anyVector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) =>
    value
      .slice(1, -1)
      .split(',')
      .map((v) => Number.parseFloat(v)),
});

/** Postgres `tsvector`; read-only from the application (generated in the database). */
export const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

/**
 * Postgres `regconfig` (a text search configuration such as `english`). A column of this type
 * can feed a generated `to_tsvector(column, text)`: that two-argument form is immutable, while a
 * `text::regconfig` cast inside the expression would not be.
 */
export const regconfig = customType<{ data: string }>({
  dataType: () => 'regconfig',
});
