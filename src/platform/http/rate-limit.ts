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

/** Hit numbers a process has reserved in one window: `next` … `end`, handed out one per hit. */
interface Lease {
  window: number;
  next: number;
  end: number;
}

/** A process reserves at most an eighth of what it last saw left, and never more than this. */
const MAX_LEASE = 1_000;

/**
 * Counters in PostgreSQL (`rate_limit_counters`), shared by every process on the database. A
 * process reserves hits in blocks: one upsert adds `n` to a key's count and hands this process
 * the hit numbers `count - n + 1 … count`, used one per request without asking the database
 * again. A block is an eighth of what the process last saw left under the limit (at least one,
 * at most MAX_LEASE), so near the limit every hit is one upsert and the count is exact; far from
 * it, most requests send nothing. Hits reserved and not used by the window's end count as used
 * (never more than the limit is allowed in total; a process may refuse a little early while
 * another still holds reserved hits). Each hit's number decides it, so the RateLimit headers are
 * the in-memory counter's. The first hit a process sees in a new window deletes the windows
 * before the previous one.
 */
export class SharedRateLimiter implements RateCounter {
  #pruned = 0;
  readonly #leases = new Map<string, Lease>();

  constructor(
    private readonly db: Database,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async hitAll(checks: readonly (readonly [string, number])[]): Promise<RateDecision[]> {
    const now = this.now();
    const start = now - (now % this.windowMs);
    if (this.#pruned !== start) {
      this.#pruned = start;
      this.#leases.clear();
      await this.db.query('DELETE FROM rate_limit_counters WHERE window_start < $1::timestamptz', [
        new Date(start - this.windowMs).toISOString(),
      ]);
    }
    const numbers = new Map<string, number>();
    const wanted: [key: string, n: number][] = [];
    for (const [key, limit] of checks) {
      const lease = this.#leases.get(key);
      if (lease && lease.window === start && lease.next <= lease.end) numbers.set(key, lease.next++);
      else wanted.push([key, leaseSize(limit, lease?.window === start ? lease.end : 0)]);
    }
    if (this.#leases.size > 50_000) this.#leases.clear();
    if (wanted.length) await this.#reserve(start, wanted, numbers);
    return checks.map(([key, limit]) => decide(numbers.get(key)!, limit, start, this.windowMs, now));
  }

  /** One upsert for every key that needs a block; the first number of each is this hit's. */
  async #reserve(start: number, wanted: [string, number][], numbers: Map<string, number>) {
    const values = wanted.map((_, i) => `($${2 * i + 2}, $1::timestamptz, $${2 * i + 3}::int)`).join(', ');
    const rows = await this.db.query<{ key: string; count: number }>(
      `INSERT INTO rate_limit_counters (key, window_start, count) VALUES ${values}
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + EXCLUDED.count
       RETURNING key, count`,
      [new Date(start).toISOString(), ...wanted.flat()],
    );
    const sizes = new Map(wanted);
    for (const r of rows) {
      const end = Number(r.count);
      const first = end - sizes.get(r.key)! + 1;
      numbers.set(r.key, first);
      this.#leases.set(r.key, { window: start, next: first + 1, end });
    }
  }
}

const leaseSize = (limit: number, lastSeen: number) =>
  Math.min(MAX_LEASE, Math.max(1, Math.floor((limit - lastSeen) / 8)));
