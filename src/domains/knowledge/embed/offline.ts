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
import { checkVectors, type Embedder, EmbeddingError } from './vectors.js';

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

/** FNV-1a, 32-bit, over UTF-16 code units: the offset basis, and one step. */
const FNV_OFFSET = 0x811c9dc5;
const fnvStep = (h: number, code: number): number => Math.imul(h ^ code, 0x01000193);
function fnv(s: string, h: number = FNV_OFFSET): number {
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
  return h;
}
/** The hash state after each kind's prefix: a feature is hashed as `w:refund`, `b:full refund`, `c:<ref`. */
const WORD = fnv('w:');
const BIGRAM = fnv('b:');
const GRAM = fnv('c:');
const SPACE = 0x20;
const LT = 0x3c; // `<` and `>` pad a word for its character 4-grams
const GT = 0x3e;

/**
 * The features of one text, counted in first-seen order in an open-addressing table keyed by
 * their 32-bit hash (no feature string is built: ingestion embeds every chunk, and this is its
 * hot loop). Reused across calls, sized to at least four times the text's most features.
 */
class FeatureTable {
  private capacity = 0;
  private keys = new Int32Array(0);
  private used = new Uint8Array(0);
  private counts = new Uint32Array(0);
  private weights = new Float64Array(0);
  /** Slots in first-seen order. */
  private order = new Int32Array(0);
  size = 0;

  reset(most: number): void {
    let capacity = 1024;
    while (capacity < most * 4) capacity *= 2;
    if (capacity !== this.capacity) {
      this.capacity = capacity;
      this.keys = new Int32Array(capacity);
      this.used = new Uint8Array(capacity);
      this.counts = new Uint32Array(capacity);
      this.weights = new Float64Array(capacity);
      this.order = new Int32Array(capacity);
    } else {
      for (let i = 0; i < this.size; i++) this.used[this.order[i]!] = 0;
    }
    this.size = 0;
  }

  add(hash: number, weight: number): void {
    const mask = this.capacity - 1;
    let i = (hash ^ (hash >>> 16)) & mask;
    while (this.used[i]) {
      if (this.keys[i] === hash) {
        this.counts[i]!++;
        return;
      }
      i = (i + 1) & mask;
    }
    this.used[i] = 1;
    this.keys[i] = hash;
    this.counts[i] = 1;
    this.weights[i] = weight;
    this.order[this.size++] = i;
  }

  /** Adds each feature, signed and dampened (1 + ln tf), into its bucket of `v`, in first-seen order. */
  addInto(v: number[]): void {
    const dims = v.length;
    for (let k = 0; k < this.size; k++) {
      const i = this.order[k]!;
      const h = this.keys[i]! >>> 0;
      v[h % dims]! += (h & 0x80000000 ? -1 : 1) * this.weights[i]! * (1 + Math.log(this.counts[i]!));
    }
  }
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

  private readonly table = new FeatureTable();

  vector(text: string): number[] {
    const ws = words(text);
    const features = this.table;
    // A word of n letters: itself, a bigram, and n - 1 character 4-grams (padded to n + 2).
    let most = 0;
    for (const w of ws) most += w.length + 2;
    features.reset(most);
    let previous = 0; // the hash state of `b:<previous word>`
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      features.add(fnv(w, WORD), 1);
      if (i > 0) features.add(fnv(w, fnvStep(previous, SPACE)), 0.5);
      previous = fnv(w, BIGRAM);
      const padded = w.length + 2;
      for (let j = 0; j + 4 <= padded; j++) {
        let h = GRAM;
        for (let k = j; k < j + 4; k++) {
          h = fnvStep(h, k === 0 ? LT : k === padded - 1 ? GT : w.charCodeAt(k - 1));
        }
        features.add(h, 0.25);
      }
    }
    const v = new Array<number>(this.dimensions).fill(0);
    features.addInto(v);
    let squares = 0;
    for (const x of v) squares += x * x;
    const norm = Math.sqrt(squares);
    if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }
}
