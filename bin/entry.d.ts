/** Types of ./entry.js (plain JavaScript: bin/ runs before any TypeScript loader). */
export function chooseEntry(where: {
  bundle: string;
  sources: string;
  env?: Record<string, string | undefined>;
}): 'bundle' | 'source';
