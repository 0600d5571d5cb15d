/**
 * Deterministic ids and randomness for the demo data, so every run produces the same rows.
 */
import { createHash } from 'node:crypto';

/**
 * A UUIDv7-shaped id made from a stable name: the 48-bit timestamp is `at` (so demo ids sort by
 * creation time, like the application's own UUIDv7s) and the random bits come from a hash of
 * the name. The same name and time always give the same id.
 * @example demoId('paradise-stays:property:bondi', new Date('2026-08-01T00:00:00Z'))
 */
export function demoId(name: string, at: Date): string {
  const hash = createHash('sha256').update(`frontdesk-demo\u0000${name}`).digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(at.getTime(), 0, 6);
  hash.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** SHA-256 hex digest (knowledge source content hashes, invitation token hashes). */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A small seeded PRNG (mulberry32): the demo's only source of variety. */
export class Rng {
  private state: number;

  constructor(seed: string) {
    this.state = createHash('sha256').update(seed).digest().readUInt32BE(0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `weighted([['a', 3], ['b', 1]])` returns 'a' three times as often. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** Hex digits, for provider-style ids (Twilio SIDs, Slack ids). */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.int(0, 15).toString(16);
    return out;
  }
}
