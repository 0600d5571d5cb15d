// Which code `frontdesk` runs: the prebuilt bundle (dist/server, scripts/build-server.ts) or the
// TypeScript sources through tsx. The bundle only while it is newer than every file in src/, so
// an edited checkout never runs stale code; FRONTDESK_FROM_SOURCE=1 always picks the sources.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The prebuilt bundle's entry and the sources it is built from. */
export const BUNDLE = fileURLToPath(new URL('../dist/server/main.mjs', import.meta.url));
export const SOURCES = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * @param {{ bundle?: string, sources?: string, env?: Record<string, string | undefined> }} [where]
 * @returns {'bundle' | 'source'}
 */
export function chooseEntry({ bundle = BUNDLE, sources = SOURCES, env = process.env } = {}) {
  if (env.FRONTDESK_FROM_SOURCE === '1') return 'source';
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return 'source';
  }
  for (const entry of readdirSync(sources, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    if (statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > built) return 'source';
  }
  return 'bundle';
}
