/** What every embedding provider shares: its error, and the check of what it answered. */

export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

/** Checks every vector has the expected (or, if none is known, the same) length and is finite. */
export function checkVectors(vectors: unknown, count: number, expected: number | undefined): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw new EmbeddingError(
      `the provider returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${count} texts`,
    );
  }
  const size = expected ?? (vectors[0] as unknown[] | undefined)?.length;
  for (const v of vectors) {
    if (
      !Array.isArray(v) ||
      v.length !== size ||
      !v.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      throw new EmbeddingError(
        `the provider returned a vector of ${Array.isArray(v) ? v.length : 'no'} dimensions; expected ${size}`,
      );
    }
  }
  return vectors as number[][];
}
