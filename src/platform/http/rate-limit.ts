/**
 * Fixed-window request counters per key. Limits come from the caller (the tenant's plan), not
 * from one global setting. `RateLimiter` counts in process memory (exact with one process: the
 * embedded engine); `SharedRateLimiter` counts in PostgreSQL, so N processes on one database
 * allow the plan once, not N times. Both answer the same decisions (and so the same headers).
 */
import type { Database } from '../db/database.js';

export interface RateDecision {
  /** Hits counted in this window, this one included. */
  count: number;
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** Counts one hit on each key and decides each against its limit. */
export interface RateCounter {
  hitAll(checks: readonly (readonly [key: string, limit: number])[]): Promise<RateDecision[]>;
}

const decide = (
  count: number,
  limit: number,
  start: number,
  windowMs: number,
  now: number,
): RateDecision => ({
  count,
  allowed: count <= limit,
  limit,
  remaining: Math.max(0, limit - count),
  resetSeconds: Math.ceil((start + windowMs - now) / 1000),
});

export class RateLimiter implements RateCounter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string, limit: number): RateDecision {
    const now = this.now();
    const start = now - (now % this.windowMs);
    let w = this.#windows.get(key);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.#windows.set(key, w);
      if (this.#windows.size > 50_000) this.#sweep(start);
    }
    w.count++;
    return decide(w.count, limit, start, this.windowMs, now);
  }

  async hitAll(checks: readonly (readonly [string, number])[]): Promise<RateDecision[]> {
    return checks.map(([key, limit]) => this.hit(key, limit));
  }

  #sweep(current: number): void {
    for (const [k, w] of this.#windows) if (w.start !== current) this.#windows.delete(k);
  }
}

/**
 * Counters in PostgreSQL (`rate_limit_counters`): one upsert per request for all its keys, in one
 * round trip; concurrent processes serialise on the row, so each hit gets its own count. The first
 * hit a process sees in a new window deletes the windows before the previous one.
 */
export class SharedRateLimiter implements RateCounter {
  #pruned = 0;

  constructor(
    private readonly db: Database,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async hitAll(checks: readonly (readonly [string, number])[]): Promise<RateDecision[]> {
    const now = this.now();
    const start = now - (now % this.windowMs);
    const window = new Date(start).toISOString();
    if (this.#pruned !== start) {
      this.#pruned = start;
      await this.db.query('DELETE FROM rate_limit_counters WHERE window_start < $1::timestamptz', [
        new Date(start - this.windowMs).toISOString(),
      ]);
    }
    const values = checks.map((_, i) => `($${i + 2}, $1::timestamptz, 1)`).join(', ');
    const rows = await this.db.query<{ key: string; count: number }>(
      `INSERT INTO rate_limit_counters (key, window_start, count) VALUES ${values}
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
       RETURNING key, count`,
      [window, ...checks.map(([key]) => key)],
    );
    const counts = new Map(rows.map((r) => [r.key, Number(r.count)]));
    return checks.map(([key, limit]) => decide(counts.get(key) ?? 1, limit, start, this.windowMs, now));
  }
}
