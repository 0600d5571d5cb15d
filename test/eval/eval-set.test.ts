import { describe, expect, it } from 'vitest';
import { type EvalSet, loadEvalSet, validateEvalSet } from '../../eval/lib/eval-set.js';
import { locateQuote } from '../../eval/lib/locate.js';
import { scoreQuestion, summarizeScores } from '../../eval/lib/metrics.js';

describe('knowledge evaluation set', () => {
  const set = loadEvalSet();

  it('is sound: every quote occurs exactly once in its document, ≥ 30 questions per tenant', () => {
    expect(validateEvalSet(set)).toEqual([]);
    expect(set.questions.length).toBeGreaterThanOrEqual(150);
  });

  it('validation reports a quote that is missing or occurs twice, and an unknown document', () => {
    const doc = set.documents[0]!;
    const broken: EvalSet = {
      documents: [{ ...doc, text: 'alpha beta gamma. alpha beta gamma.' }],
      questions: [
        { tenant: doc.tenant, question: 'twice?', relevant: [{ doc: doc.file, quote: 'alpha beta gamma' }] },
        { tenant: doc.tenant, question: 'missing?', relevant: [{ doc: doc.file, quote: 'delta epsilon' }] },
        { tenant: doc.tenant, question: 'elsewhere?', relevant: [{ doc: 'nope.md', quote: 'alpha beta' }] },
      ],
    };
    const problems = validateEvalSet(broken, { minPerTenant: 0 });
    expect(problems).toEqual([
      expect.stringContaining('occurs 2 times'),
      expect.stringContaining('occurs 0 times'),
      expect.stringContaining('has no document nope.md'),
    ]);
  });
});

describe('locateQuote', () => {
  it('finds the exact quote, else the same words across different whitespace', () => {
    expect(locateQuote('ab\ncd ef', 'cd')).toEqual({ start: 3, end: 5, exact: true });
    const stored = 'Refunds are issued\r\nwithin  five days.';
    const found = locateQuote(stored, 'issued\nwithin five');
    expect(found).toEqual({ start: 12, end: 32, exact: false });
    expect(stored.slice(found!.start, found!.end)).toBe('issued\r\nwithin  five');
    expect(locateQuote(stored, 'not there')).toBeNull();
  });
});

describe('retrieval metrics', () => {
  const relevant = [{ sourceKey: 's1', start: 100, end: 120 }];
  const miss = { sourceKey: 's1', start: 0, end: 100 }; // ends where the quote starts: no overlap
  const otherSource = { sourceKey: 's2', start: 100, end: 120 };
  const hit = { sourceKey: 's1', start: 110, end: 300 };

  it('counts a result as relevant only when its span overlaps the quote in the same source', () => {
    const s = scoreQuestion([miss, otherSource, hit], relevant, [1, 2, 3]);
    expect(s.recall).toEqual({ 1: 0, 2: 0, 3: 1 });
    expect(s.reciprocalRank).toBeCloseTo(1 / 3);
    expect(s.firstRelevantRank).toBe(3);
  });

  it('averages recall and reciprocal rank over questions', () => {
    const scores = [scoreQuestion([hit], relevant, [5]), scoreQuestion([miss, miss], relevant, [5])];
    expect(summarizeScores(scores, [5])).toEqual({ questions: 2, recall: { 5: 0.5 }, mrr: 0.5 });
  });
});
