/** What every embedding provider shares: its error, and the check of what it answered. */

export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

/** The largest magnitude a 4-byte float (pgvector's element type) holds. */
const FLOAT4_MAX = 3.4028234663852886e38;

/** Checks every vector has the expected (or, if none is known, the same) length and is finite (as a 4-byte float). */
export function checkVectors(vectors: unknown, count: number, expected: number | undefined): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw new EmbeddingError(
      `the provider returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${count} texts`,
    );
  }
  const size = expected ?? (vectors[0] as unknown[] | undefined)?.length;
  for (const v of vectors) {
    if (!Array.isArray(v) || v.length !== size) {
      throw new EmbeddingError(
        `the provider returned a vector of ${Array.isArray(v) ? v.length : 'no'} dimensions; expected ${size}`,
      );
    }
    if (!v.every((x) => typeof x === 'number' && Math.abs(x) <= FLOAT4_MAX)) {
      throw new EmbeddingError(
        'the provider returned a vector with a value that is not a finite 4-byte float',
      );
    }
  }
  return vectors as number[][];
}

/**
 * A vector as pgvector's text input (`[0.0275665168,-0.25,…]`). pgvector stores 4-byte floats,
 * so each element is written as its nearest float32 with 9 significant digits, which reads back
 * as exactly that float32: what is stored is what a full-precision text would store, in about
 * half the characters for the database to parse. Embeddings repeat values (the offline
 * embedder's buckets share a handful of weights; zeros abound), so each distinct value is
 * formatted once: turning floats into text is most of the cost of shipping a vector.
 */
export function vectorText(vector: readonly number[]): string {
  const formatted = new Map<number, string>();
  // One flat string from an array of parts: `+=` would leave a rope of 2 × dimensions pieces
  // for the collector to walk until something flattens it.
  const parts = new Array<string>(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i]!;
    let s = x === 0 ? '0' : formatted.get(x);
    if (s === undefined) {
      s = Math.fround(x).toPrecision(9);
      formatted.set(x, s);
    }
    parts[i] = s;
  }
  return `[${parts.join(',')}]`;
}

/** One interface for every embedding provider (implemented by http.ts and offline.ts; chosen by provider.ts). */
export interface Embedder {
  /** Recorded on every chunk it embeds (`knowledge_chunks.embedding_model`). */
  readonly model: string;
  /** Expected length of every vector; `undefined` until an HTTP provider without a configured size answers. */
  readonly dimensions: number | undefined;
  /** One vector per text, in order. Throws `EmbeddingError` on a provider error or a wrong size. */
  embed(texts: string[]): Promise<number[][]>;
}
