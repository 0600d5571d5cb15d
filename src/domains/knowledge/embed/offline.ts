/**
 * The offline embedder: no key, no network, deterministic. It is NOT a language model.
 *
 * Each text is normalised (NFKD, accents and case folded, punctuation removed), and three kinds
 * of features are hashed (FNV-1a, signed) into `dimensions` buckets: word unigrams (weight 1),
 * word bigrams (0.5) and character 4-grams inside words (0.25, so `refund` and `refunds`
 * share most features). Term frequencies are dampened with 1 + ln(tf), then the vector is
 * L2-normalised, so cosine distance measures lexical overlap. It finds passages that share
 * words (and word stems, roughly) with the question; it knows nothing of synonyms or meaning
 * ("cancel" does not match "refund"). docs/knowledge-search.md has its measured recall.
 *
 * Model names: `frontdesk-hash-<dimensions>` (64–4096); the default is `frontdesk-hash-384`.
 */
import type { Embedder } from './provider.js';
import { checkVectors, EmbeddingError } from './vectors.js';

export const OFFLINE_MODEL = 'frontdesk-hash-384';
const MODEL_RE = /^frontdesk-hash-(\d{2,4})$/;

/** Lower-case words without accents or punctuation. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Weight of a feature by kind: word, bigram, character 4-gram. */
const WEIGHTS: Record<string, number> = { w: 1, b: 0.5, c: 0.25 };

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class OfflineEmbedder implements Embedder {
  readonly dimensions: number;

  constructor(readonly model: string = OFFLINE_MODEL) {
    const m = MODEL_RE.exec(model);
    const dims = m ? Number(m[1]) : Number.NaN;
    if (!(dims >= 64 && dims <= 4096)) {
      throw new EmbeddingError(`unknown offline embedding model ${model}: use frontdesk-hash-<64..4096>`);
    }
    this.dimensions = dims;
  }

  async embed(texts: string[]): Promise<number[][]> {
    return checkVectors(
      texts.map((t) => this.vector(t)),
      texts.length,
      this.dimensions,
    );
  }

  vector(text: string): number[] {
    // feature → occurrences; its kind (and weight) is its first letter. Features are summed in
    // first-seen order, which fixes the floating-point result.
    const counts = new Map<string, number>();
    const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const ws = words(text);
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      add(`w:${w}`);
      if (i > 0) add(`b:${ws[i - 1]} ${w}`);
      const padded = `<${w}>`;
      for (let j = 0; j + 4 <= padded.length; j++) add(`c:${padded.slice(j, j + 4)}`);
    }
    const v = new Array<number>(this.dimensions).fill(0);
    for (const [feature, n] of counts) {
      const h = fnv1a(feature);
      const sign = h & 0x80000000 ? -1 : 1;
      v[h % this.dimensions]! += sign * WEIGHTS[feature[0]!]! * (1 + Math.log(n));
    }
    const norm = Math.hypot(...v);
    return norm === 0 ? v : v.map((x) => x / norm);
  }
}
