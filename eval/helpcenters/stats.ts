/** Small statistics for the evaluation: ROC AUC and a logistic regression fit. */

/**
 * The probability that a random positive scores above a random negative (ties count half):
 * the area under the ROC curve, computed by pairs (the sets are small).
 */
export function auc(positives: number[], negatives: number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

/** A linear score: the weights (bias first) times the features (a 1 first). */
export const linear = (w: readonly number[], x: readonly number[]) =>
  x.reduce((a, v, i) => a + v * w[i]!, 0);

/**
 * Logistic regression by gradient descent with a small L2 penalty (not on the bias, which is
 * the first feature, always 1). Classes are weighted equally, since unanswerable questions are
 * the minority.
 */
export function fitLogistic(
  rows: Array<{ x: number[]; y: number }>,
  iterations = 20_000,
  rate = 0.1,
  l2 = 0.01,
) {
  const d = rows[0]?.x.length ?? 0;
  const w = new Array<number>(d).fill(0);
  const pos = rows.filter((r) => r.y === 1).length;
  const neg = rows.length - pos;
  const weightOf = (y: number) => (y === 1 ? rows.length / (2 * pos) : rows.length / (2 * neg));
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    for (const r of rows) {
      const z = linear(w, r.x);
      const err = (1 / (1 + Math.exp(-z)) - r.y) * weightOf(r.y);
      for (let i = 0; i < d; i++) grad[i]! += err * r.x[i]!;
    }
    for (let i = 0; i < d; i++) w[i]! -= rate * (grad[i]! / rows.length + (i === 0 ? 0 : l2 * w[i]!));
  }
  return w;
}
