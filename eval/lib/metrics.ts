/**
 * Retrieval metrics over character spans. A result is relevant to a question when its source
 * span overlaps one of the question's relevant spans in the same source.
 *
 * - recall@k: the share of the question's relevant spans that at least one of the first k
 *   results overlaps (with one quote per question, a hit at k).
 * - reciprocal rank: 1 / the rank of the first relevant result within the results scored, 0 if
 *   none is relevant.
 */
export interface Span {
  sourceKey: string;
  start: number;
  end: number;
}

export function overlaps(a: Span, b: Span): boolean {
  return a.sourceKey === b.sourceKey && a.start < b.end && b.start < a.end;
}

export interface QuestionScore {
  recall: Record<number, number>;
  reciprocalRank: number;
  /** 1-based rank of the first relevant result, null when none was. */
  firstRelevantRank: number | null;
}

export function scoreQuestion(results: Span[], relevant: Span[], ks: readonly number[]): QuestionScore {
  const recall: Record<number, number> = {};
  for (const k of ks) {
    const top = results.slice(0, k);
    const found = relevant.filter((r) => top.some((s) => overlaps(s, r))).length;
    recall[k] = found / relevant.length;
  }
  const index = results.findIndex((s) => relevant.some((r) => overlaps(s, r)));
  return {
    recall,
    reciprocalRank: index === -1 ? 0 : 1 / (index + 1),
    firstRelevantRank: index === -1 ? null : index + 1,
  };
}

export interface Summary {
  questions: number;
  recall: Record<number, number>;
  mrr: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function summarizeScores(scores: QuestionScore[], ks: readonly number[]): Summary {
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : round(xs.reduce((s, x) => s + x, 0) / xs.length));
  return {
    questions: scores.length,
    recall: Object.fromEntries(ks.map((k) => [k, mean(scores.map((s) => s.recall[k]!))])),
    mrr: mean(scores.map((s) => s.reciprocalRank)),
  };
}
