/**
 * How sure the responder is that the passages answer the question: a logistic score of the
 * search's evidence (search.ts `evidence`) and the chat provider's own judgement (the offline
 * provider's word coverage, or an OpenAI-compatible model's self-reported confidence).
 *
 * How to call (answer.ts does):
 *   const c = answerConfidence(retrieval.evidence, output.confidence);   // 0–1
 *
 * The weights were fitted by logistic regression on the dev split of eval/helpcenters (answerable
 * against unanswerable questions, `npm run eval:helpcenters -- --fit`), never on its test split;
 * docs/knowledge-eval.md reports the test split's AUC. An answer without passages scores 0.
 */
import type { Evidence } from '../../knowledge/rank.js';

export const CONFIDENCE_WEIGHTS = {
  bias: -0.58,
  coverage: 1.296,
  titleCoverage: 0.84,
  margin: 0.465,
  agreement: 0.622,
  unknownShare: -1.25,
  knownCoverage: -0.136,
  unknownWords: -0.299,
  strength: 0.411,
  similarity: 0.582,
  provider: 0.09,
};

export type EvidenceFeatures = Pick<
  Evidence,
  | 'coverage'
  | 'titleCoverage'
  | 'margin'
  | 'agreement'
  | 'unknownShare'
  | 'knownCoverage'
  | 'unknownWords'
  | 'strength'
  | 'similarity'
>;

/** The features the score uses, in the weights' order (also what the eval fits on). */
export function features(
  e: EvidenceFeatures,
  provider: number,
): Record<keyof typeof CONFIDENCE_WEIGHTS, number> {
  return {
    bias: 1,
    coverage: e.coverage,
    titleCoverage: e.titleCoverage,
    margin: e.margin,
    agreement: e.agreement,
    unknownShare: e.unknownShare,
    knownCoverage: e.knownCoverage,
    unknownWords: e.unknownWords,
    strength: e.strength,
    similarity: e.similarity,
    provider,
  };
}

export function answerConfidence(
  evidence: EvidenceFeatures | undefined,
  provider: number,
  weights: typeof CONFIDENCE_WEIGHTS = CONFIDENCE_WEIGHTS,
): number {
  // Without search evidence (a test retriever, FAQ-only answers) the provider's judgement stands.
  if (!evidence) return provider;
  const f = features(evidence, provider);
  let z = 0;
  for (const key of Object.keys(weights) as Array<keyof typeof CONFIDENCE_WEIGHTS>)
    z += weights[key] * f[key];
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}
