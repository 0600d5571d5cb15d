/**
 * Splits a source's extracted text into chunks that follow its structure.
 *
 * How to call:
 *   const chunks = chunkText(source.content, { kind: source.kind });
 *   // [{ position, content, headingPath, startOffset, endOffset, tokenCount }]
 *   // content === text.slice(startOffset, endOffset): a citation is the span itself.
 *
 * - A Markdown heading (`#` … `######`) always starts a new chunk; the chunk's heading path is
 *   the headings above it (`['Billing', 'Refunds']`), which the embedder sees too.
 * - Inside a section, units are whole list items, whole Q/A pairs (`Q:` … `A:` …) and sentences,
 *   packed greedily up to `maxTokens`; a unit longer than that is cut at word boundaries.
 * - Consecutive chunks of one section overlap by up to `overlapTokens` of whole units.
 * - A `faq` source is one chunk per Q/A pair (cut only if a pair is over `maxTokens`).
 * Token counts are approximate (tokens.ts).
 */
import { countTokens } from './tokens.js';

export interface Chunk {
  position: number;
  content: string;
  headingPath: string[];
  startOffset: number;
  endOffset: number;
  tokenCount: number;
}

export interface ChunkOptions {
  maxTokens?: number;
  overlapTokens?: number;
  /** `faq`: one chunk per Q/A pair. */
  kind?: string;
}

export const CHUNK_DEFAULTS = { maxTokens: 300, overlapTokens: 40 } as const;

interface Unit {
  start: number;
  end: number;
  tokens: number;
  /** Starts a new chunk whatever fits (a heading, an FAQ pair). */
  breakBefore: boolean;
  headingPath: string[];
}

const HEADING_RE = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/;
const LIST_RE = /^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+/;
const QUESTION_RE = /^(?:Q|Question)[ \t]*[:.-]/i;
const ANSWER_RE = /^(?:A|Answer)[ \t]*[:.-]/i;

interface Line {
  start: number;
  end: number;
  text: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    out.push({ start, end: start + line.length, text: line });
    start += line.length + 1;
  }
  return out;
}

/** Sentence spans inside [start, end) of `text`. */
function sentences(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const slice = text.slice(start, end);
  let s = -1;
  for (const m of slice.matchAll(/[.!?]+(?=\s|$)|\n/g)) {
    const stop = m.index + m[0].length;
    pushTrimmed(slice, Math.max(s, 0), stop, start, out);
    s = stop;
  }
  pushTrimmed(slice, Math.max(s, 0), slice.length, start, out);
  return out;
}

function pushTrimmed(slice: string, from: number, to: number, base: number, out: Array<[number, number]>) {
  let a = from;
  let b = to;
  while (a < b && /\s/.test(slice[a]!)) a++;
  while (b > a && /\s/.test(slice[b - 1]!)) b--;
  if (b > a) out.push([base + a, base + b]);
}

/** Cuts [start, end) into pieces of at most `max` tokens at whitespace. */
function cutWords(text: string, start: number, end: number, max: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let pieceStart = start;
  let tokens = 0;
  for (const m of text.slice(start, end).matchAll(/\S+/g)) {
    const wStart = start + m.index;
    const t = countTokens(m[0]);
    if (tokens + t > max && tokens > 0) {
      pushTrimmed(text, pieceStart, wStart, 0, out);
      pieceStart = wStart;
      tokens = 0;
    }
    tokens += t;
  }
  pushTrimmed(text, pieceStart, end, 0, out);
  return out;
}

/** The units of the text: headings, list items, Q/A pairs and sentences, with their heading path. */
function unitsOf(text: string, max: number, faq: boolean): Unit[] {
  const units: Unit[] = [];
  const path: string[] = [];
  const add = (start: number, end: number, breakBefore: boolean) => {
    const tokens = countTokens(text.slice(start, end));
    if (tokens <= max) {
      units.push({ start, end, tokens, breakBefore, headingPath: [...path] });
      return;
    }
    for (const [i, [s, e]] of cutWords(text, start, end, max).entries()) {
      units.push({
        start: s,
        end: e,
        tokens: countTokens(text.slice(s, e)),
        breakBefore: breakBefore && i === 0,
        headingPath: [...path],
      });
    }
  };
  const lines = linesOf(text);
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (!line.text.trim()) {
      i++;
      continue;
    }
    const heading = HEADING_RE.exec(line.text);
    if (heading) {
      const depth = heading[1]!.length;
      path.length = Math.min(path.length, depth - 1);
      while (path.length < depth - 1) path.push('');
      path.push(heading[2]!.trim());
      add(line.start, line.end, true);
      i++;
      continue;
    }
    if (QUESTION_RE.test(line.text)) {
      // A Q/A pair: the question line(s) and the answer up to the next blank line or question.
      let j = i + 1;
      let answered = false;
      while (j < lines.length && lines[j]!.text.trim() && !(answered && QUESTION_RE.test(lines[j]!.text))) {
        if (ANSWER_RE.test(lines[j]!.text)) answered = true;
        j++;
      }
      // Multi-paragraph answers continue until the next question or heading.
      while (
        faq &&
        j + 1 < lines.length &&
        !lines[j]!.text.trim() &&
        lines[j + 1]!.text.trim() &&
        !QUESTION_RE.test(lines[j + 1]!.text) &&
        !HEADING_RE.test(lines[j + 1]!.text)
      ) {
        j += 2;
        while (j < lines.length && lines[j]!.text.trim() && !QUESTION_RE.test(lines[j]!.text)) j++;
      }
      add(line.start, lines[j - 1]!.end, faq);
      i = j;
      continue;
    }
    if (LIST_RE.test(line.text)) {
      // A list item with its continuation lines (indented or not a new item).
      let j = i + 1;
      while (
        j < lines.length &&
        lines[j]!.text.trim() &&
        !LIST_RE.test(lines[j]!.text) &&
        !HEADING_RE.test(lines[j]!.text)
      )
        j++;
      add(line.start, lines[j - 1]!.end, false);
      i = j;
      continue;
    }
    // A paragraph: lines up to a blank line, heading, list item or question.
    let j = i + 1;
    while (
      j < lines.length &&
      lines[j]!.text.trim() &&
      !HEADING_RE.test(lines[j]!.text) &&
      !LIST_RE.test(lines[j]!.text) &&
      !QUESTION_RE.test(lines[j]!.text)
    )
      j++;
    for (const [s, e] of sentences(text, line.start, lines[j - 1]!.end)) add(s, e, false);
    i = j;
  }
  return units;
}

export function chunkText(text: string, options: ChunkOptions = {}): Chunk[] {
  const max = options.maxTokens ?? CHUNK_DEFAULTS.maxTokens;
  const overlap = options.overlapTokens ?? CHUNK_DEFAULTS.overlapTokens;
  const faq = options.kind === 'faq';
  const units = unitsOf(text, max, faq);
  const chunks: Chunk[] = [];
  let current: Unit[] = [];
  let tokens = 0;
  /** Whether `current` holds anything beyond the overlap carried from the previous chunk. */
  let fresh = false;
  const emit = () => {
    if (!fresh) return;
    const first = current[0]!;
    const last = current.at(-1)!;
    const content = text.slice(first.start, last.end);
    chunks.push({
      position: chunks.length,
      content,
      // A chunk that starts with its own heading is under that heading; otherwise under the path.
      headingPath: last.headingPath.filter((h) => h !== ''),
      startOffset: first.start,
      endOffset: last.end,
      tokenCount: countTokens(content),
    });
  };
  for (const unit of units) {
    const sameSection = current.length > 0 && sameList(current.at(-1)!.headingPath, unit.headingPath);
    if (current.length > 0 && (unit.breakBefore || !sameSection || tokens + unit.tokens > max)) {
      emit();
      // Carry whole units of the same section as overlap, unless a heading or FAQ pair starts anew.
      const carried: Unit[] = [];
      let carriedTokens = 0;
      if (!unit.breakBefore && sameSection) {
        for (let k = current.length - 1; k >= 0; k--) {
          const u = current[k]!;
          if (
            u.breakBefore ||
            carriedTokens + u.tokens > overlap ||
            carriedTokens + u.tokens + unit.tokens > max
          )
            break;
          carried.unshift(u);
          carriedTokens += u.tokens;
        }
      }
      current = carried;
      tokens = carriedTokens;
      fresh = false;
    }
    current.push(unit);
    tokens += unit.tokens;
    fresh = true;
  }
  if (current.length) emit();
  return chunks;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
