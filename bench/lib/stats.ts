/** Latency samples (ms) → the figures the reports use. */
export interface Stats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  opsPerSec: number;
}

export function summarize(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const total = samples.reduce((s, x) => s + x, 0);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: samples.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    mean: round(total / samples.length),
    opsPerSec: Math.round((samples.length / total) * 1000),
  };
}

/**
 * Measures several variants of one operation side by side: rounds alternate between the
 * variants so that drift (JIT warm-up, cache, a busy neighbour) hits all of them alike.
 */
export async function compare(
  variants: Record<string, () => Promise<unknown>>,
  { rounds = 10, perRound = 100, warmup = 100 } = {},
): Promise<Record<string, Stats>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const fn of Object.values(variants)) for (let i = 0; i < warmup; i++) await fn();
  for (let r = 0; r < rounds; r++) {
    const order = Object.entries(variants);
    if (r % 2 === 1) order.reverse();
    for (const [name, fn] of order) {
      for (let i = 0; i < perRound; i++) {
        const t0 = performance.now();
        await fn();
        samples[name]!.push(performance.now() - t0);
      }
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
}
