/**
 * The help-center evaluation sets (eval/helpcenters) are well formed: each corpus states its
 * source and licence, has 60+ answerable and 10+ unanswerable questions split into dev and test,
 * and every judgement names an article that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auc } from '../../eval/helpcenters/stats.js';

const ROOT = new URL('../../eval/helpcenters/', import.meta.url);
const corpora = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('help-center evaluation sets', () => {
  it('has at least two corpora', () => {
    expect(corpora.length).toBeGreaterThanOrEqual(2);
  });

  for (const corpus of corpora) {
    it(`${corpus}: source, licence, articles and judged questions in both splits`, () => {
      const dir = new URL(`${corpus}/`, ROOT);
      expect(existsSync(new URL('SOURCE.md', dir))).toBe(true);
      expect(existsSync(new URL('LICENSE', dir))).toBe(true);
      const slugs = new Set(
        readdirSync(new URL('articles/', dir))
          .filter((f) => f.endsWith('.md'))
          .map((f) => f.slice(0, -3)),
      );
      expect(slugs.size).toBeGreaterThanOrEqual(60);
      for (const slug of slugs) {
        expect(readFileSync(new URL(`articles/${slug}.md`, dir), 'utf8')).toMatch(/^# \S/);
      }
      const { questions } = JSON.parse(readFileSync(new URL('questions.json', dir), 'utf8')) as {
        questions: Array<{ id: string; question: string; relevant: string[]; split: string }>;
      };
      expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
      expect(new Set(questions.map((q) => q.question.trim().toLowerCase())).size).toBe(questions.length);
      for (const q of questions) {
        expect(['dev', 'test']).toContain(q.split);
        for (const r of q.relevant) expect(slugs.has(r), `${q.id} → ${r}`).toBe(true);
      }
      const answerable = questions.filter((q) => q.relevant.length > 0);
      const unanswerable = questions.filter((q) => q.relevant.length === 0);
      expect(answerable.length).toBeGreaterThanOrEqual(60);
      expect(unanswerable.length).toBeGreaterThanOrEqual(10);
      for (const split of ['dev', 'test']) {
        expect(answerable.filter((q) => q.split === split).length).toBeGreaterThanOrEqual(25);
        expect(unanswerable.filter((q) => q.split === split).length).toBeGreaterThanOrEqual(5);
      }
    });
  }

  it('AUC counts the pairs a score orders right, ties as half', () => {
    expect(auc([3, 4], [1, 2])).toBe(1);
    expect(auc([1], [2])).toBe(0);
    expect(auc([1, 2], [2])).toBe(0.25);
  });
});
