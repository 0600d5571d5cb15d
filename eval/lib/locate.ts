/**
 * Finds a quote of the original document in the text the knowledge base stored for it.
 * Extraction may normalise whitespace (line endings, trailing spaces, runs of blank lines), so
 * when the exact quote is absent the match is retried with every whitespace run treated alike;
 * the span returned is always in the stored text's own offsets, where chunk offsets point.
 */
export interface Located {
  start: number;
  end: number;
  exact: boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function locateQuote(stored: string, quote: string): Located | null {
  const exact = stored.indexOf(quote);
  if (exact !== -1) return { start: exact, end: exact + quote.length, exact: true };
  const pattern = quote.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  const m = new RegExp(pattern, 'u').exec(stored);
  return m ? { start: m.index, end: m.index + m[0].length, exact: false } : null;
}
