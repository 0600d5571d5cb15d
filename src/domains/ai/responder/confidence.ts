/**
 * How sure the responder is that the passages answer the question: a logistic score of the
 * search's evidence (search.ts `evidence`). answer.ts combines it with the chat provider's own
 * judgement where that judgement means something (an FAQ entry's question match, a language
 * model's reading of the passages).
 *
 * How to call (answer.ts does):
 *   const c = answerConfidence(retrieval.evidence, output.confidence);   // 0–1
 *
 * The weights were fitted by logistic regression on the dev split of eval/helpcenters (answerable
 * against unanswerable questions, `npm run eval:helpcenters -- --fit`), never on its test split;
 * docs/knowledge-eval.md reports the test split's AUC. Seven features, chosen on dev from larger
 * sets (with 16 unanswerable dev questions, fewer weights generalise better): how much of the
 * question the best passage and the best source cover, its title, the lead over the next source,
 * whether keyword and vector search agree, the share of the question in words the knowledge base
 * lacks weighed by how telling their absence is (lexicon.ts), and the best passage's BM25 strength.
 */
import type { Evidence } from '../../knowledge/rank.js';

export const CONFIDENCE_WEIGHTS = {
  bias: -1.229,
  coverage: 0.984,
  sourceCoverage: 1.903,
  titleCoverage: 0.889,
  margin: 0.264,
  agreement: 0.548,
  salientShare: -1.405,
  strength: 0.092,
};

export type EvidenceFeatures = Pick<
  Evidence,
  'coverage' | 'sourceCoverage' | 'titleCoverage' | 'margin' | 'agreement' | 'salientShare' | 'strength'
>;

/** The features the score uses, in the weights' order (also what the eval fits on). */
export function features(e: EvidenceFeatures): Record<keyof typeof CONFIDENCE_WEIGHTS, number> {
  return {
    bias: 1,
    coverage: e.coverage,
    sourceCoverage: e.sourceCoverage,
    titleCoverage: e.titleCoverage,
    margin: e.margin,
    agreement: e.agreement,
    salientShare: e.salientShare,
    strength: e.strength,
  };
}

export function answerConfidence(
  evidence: EvidenceFeatures | undefined,
  provider: number,
  weights: typeof CONFIDENCE_WEIGHTS = CONFIDENCE_WEIGHTS,
): number {
  // Without search evidence (a test retriever, FAQ-only answers) the provider's judgement stands.
  if (!evidence) return provider;
  const f = features(evidence);
  let z = 0;
  for (const key of Object.keys(weights) as Array<keyof typeof CONFIDENCE_WEIGHTS>)
    z += weights[key] * f[key];
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}
