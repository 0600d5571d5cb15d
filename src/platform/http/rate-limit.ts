/**
 * Fixed-window request counters per key, in process memory. Limits come from the caller
 * (the tenant's plan), not from one global setting. With several Frontdesk processes each
 * counts its own share; a shared store is future work (documented in the README).
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export class RateLimiter {
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
    return {
      allowed: w.count <= limit,
      limit,
      remaining: Math.max(0, limit - w.count),
      resetSeconds: Math.ceil((start + this.windowMs - now) / 1000),
    };
  }

  #sweep(current: number): void {
    for (const [k, w] of this.#windows) if (w.start !== current) this.#windows.delete(k);
  }
}
