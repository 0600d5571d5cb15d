/**
 * The owner handle (`Database.query`, `.exec`, `.drizzle`, `.pglite`, `.pool`, `.transaction`)
 * runs as the database owner, outside every policy: domain code never touches it. Tenant work
 * goes through `withTenant` (the request role under RLS), platform work through `withPlatform`
 * (the platform role, test/isolation/platform-role.test.ts), the queue's own table through
 * `Jobs`. The one exception is DDL that only the table's owner may run, listed here with its
 * reason; anything else found here is a leak past row level security.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const SCANNED = ['src/domains', 'src/seed'];
const OWNER_USE = /\b(?:db|database)\s*\.\s*(query|exec|drizzle|pglite|pool|transaction)\b/g;
/** Files that may use the owner handle, and why. */
const ALLOWED: Record<string, string> = {
  'src/domains/knowledge/tiers.ts':
    "builds and drops a tenant's HNSW index (CREATE INDEX needs the table's owner)",
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the owner handle', () => {
  it('is not used by domain or demo-data code, but for the listed DDL', () => {
    const found: string[] = [];
    for (const file of SCANNED.flatMap(sources)) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(OWNER_USE)) {
        const line = text.slice(0, m.index).split('\n').length;
        found.push(`${relative('.', file)}:${line} .${m[1]}`);
      }
    }
    const outside = found.filter((f) => !Object.keys(ALLOWED).some((a) => f.startsWith(`${a}:`)));
    expect(outside).toEqual([]);
    // The allowance is used (an entry nobody needs any more goes).
    for (const file of Object.keys(ALLOWED)) expect(found.some((f) => f.startsWith(`${file}:`))).toBe(true);
  });

  it('finds a use when there is one (the scan is not vacuous)', () => {
    const sample = 'await platform.db.query(`SELECT 1`); const x = db.drizzle; tx.select();';
    expect([...sample.matchAll(OWNER_USE)].map((m) => m[1])).toEqual(['query', 'drizzle']);
  });
});
