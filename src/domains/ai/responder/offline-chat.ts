/**
 * The offline chat provider: answers with the passage that best covers the question (the FAQ
 * answer, or the best sentences of a knowledge chunk), never inventing text. Its confidence is
 * how much of the question the passage covers, so an unanswerable question scores low and is
 * handed to a human by the policy.
 */

import { MARKUP_LINE } from '../../knowledge/extract/markup.js';
import type { ChatInput, ChatOutput, ChatProvider } from './chat.js';
import type { Passage } from './retriever.js';
import { wordSet } from './words.js';

export const OFFLINE_MODEL = 'offline-extractive';

/** Rough token count (≈ 4 characters a token), so usage figures exist without a tokenizer. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

const overlap = (a: Set<string>, b: Set<string>): number => {
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n;
};

/** How well `passage` answers a question with content words `q` (0–1). */
export function support(q: Set<string>, passage: Passage): number {
  if (q.size === 0) return 0;
  const body = wordSet(`${passage.question ?? ''} ${passage.title} ${passage.content}`);
  const coverage = overlap(q, body) / q.size;
  if (!passage.question) return coverage * 0.9;
  // A FAQ whose own question matches is the surest answer there is.
  const fq = wordSet(passage.question);
  const precision = fq.size === 0 ? 0 : overlap(q, fq) / fq.size;
  // Guests add context ("…when we arrive on Friday"), so matching the FAQ's own question counts most.
  return Math.min(1, 0.4 * coverage + 0.6 * precision + (precision >= 0.5 && coverage >= 0.3 ? 0.1 : 0));
}

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Inline Markdown and HTML to plain text: links keep their words, emphasis and tags go. */
export function plainText(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_]*?\S)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Sentence {
  text: string;
  /** The numbered list (a procedure's steps) this sentence's line belongs to, if any. */
  list?: number;
  /** Which step of that list (a step's indented lines belong to it). */
  step: number;
}

const STEP_RE = /^\s*\d{1,3}[.)]\s+/;

function sentencesWithPlace(content: string): Sentence[] {
  const out: Sentence[] = [];
  let list = -1;
  let step = -1;
  let inList = false;
  for (const raw of content.split(/\n/)) {
    if (!raw.trim() || MARKUP_LINE.test(raw)) continue; // a blank line inside a list does not end it
    const isStep = STEP_RE.test(raw);
    // An indented line under a step (its text, a nested bullet) continues it; anything else ends the list.
    if (isStep && !inList) list++;
    if (isStep) step++;
    inList = isStep || (inList && /^\s{2,}\S/.test(raw));
    const text = plainText(raw.replace(/^\s*(?:#{1,6}\s+|[-*+•]\s+|\d{1,3}[.)]\s+|>\s*)/, ''));
    if (!text) continue;
    for (const { segment } of SEGMENTER.segment(text)) {
      const sentence = segment.trim();
      if (sentence) out.push({ text: sentence, step, ...(inList ? { list } : {}) });
    }
  }
  return out;
}

/**
 * The sentences of a passage: lines first (a Markdown list item or heading ends where its line
 * does), then sentences by the Unicode rules (Intl.Segmenter), so the dot inside
 * `parcelpoint.example/track` or `v2.1` never splits one. Heading markers, list bullets, inline
 * Markdown and markup-only lines (MARKUP_LINE) go.
 */
export function sentencesOf(content: string): string[] {
  return sentencesWithPlace(content).map((s) => s.text);
}

/** At most this many steps of a list are quoted as one answer. */
const MAX_STEPS = 8;

/**
 * The sentence of a chunk that shares most words with the question, and one that adds to it (in
 * order). When the best sentence is a step of a list (a procedure), the answer is the list's
 * steps, numbered, up to MAX_STEPS: half a procedure does not answer "how do I".
 */
function bestSentences(q: Set<string>, content: string): string {
  const sentences = sentencesWithPlace(content);
  if (sentences.length === 0) return plainText(content);
  const scored = sentences.map((s, i) => ({ ...s, i, n: overlap(q, wordSet(s.text)) }));
  const ranked = scored.filter((x) => x.n > 0).sort((a, b) => b.n - a.n || a.i - b.i);
  const first = ranked[0];
  if (first?.list !== undefined) {
    const steps = new Map<number, string[]>();
    for (const s of sentences)
      if (s.list === first.list) steps.set(s.step, [...(steps.get(s.step) ?? []), s.text]);
    if (steps.size >= 2 && steps.size <= MAX_STEPS) {
      return [...steps.values()].map((parts, k) => `${k + 1}. ${parts.join(' ')}`).join('\n');
    }
  }
  // A second sentence only when it answers a part of the question the best one does not.
  const best = first ? wordSet(first.text) : new Set<string>();
  const adds = (s: string) => [...wordSet(s)].some((w) => q.has(w) && !best.has(w));
  const second = ranked.slice(1).find((x) => adds(x.text));
  const top = [...ranked.slice(0, 1), ...(second ? [second] : [])].sort((a, b) => a.i - b.i);
  return (top.length > 0 ? top : scored.slice(0, 1)).map((x) => x.text).join(' ');
}

export const offlineChat: ChatProvider = {
  name: 'offline',
  async complete(input: ChatInput): Promise<ChatOutput> {
    const q = wordSet(input.question);
    let best = -1;
    let bestScore = 0;
    input.passages.forEach((p, i) => {
      const s = support(q, p);
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    });
    const passage = input.passages[best];
    const text = passage ? (passage.question ? passage.content : bestSentences(q, passage.content)) : '';
    const prompt = [input.systemPrompt, ...input.history.map((t) => t.content), input.question].join('\n');
    return {
      text,
      model: OFFLINE_MODEL,
      confidence: Math.round(bestScore * 1000) / 1000,
      cited: passage ? [best] : [],
      usage: {
        inputTokens: estimateTokens(prompt) + (passage ? estimateTokens(passage.content) : 0),
        outputTokens: estimateTokens(text),
      },
    };
  },
};
