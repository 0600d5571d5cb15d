/** Types of ./entry.js (plain JavaScript: bin/ runs before any TypeScript loader). */
export const BUNDLE: string;
export const SOURCES: string;
/** Defaults: BUNDLE, SOURCES and process.env. */
export function chooseEntry(where?: {
  bundle?: string;
  sources?: string;
  env?: Record<string, string | undefined>;
}): 'bundle' | 'source';
