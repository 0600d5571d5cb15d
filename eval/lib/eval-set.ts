/**
 * The knowledge-base evaluation set: documents under eval/kb/<tenant>/ and the questions in
 * eval/kb/questions.json. Each question names its relevant passages as exact quotes of a
 * document, written without looking at any chunker, so the set stays valid whatever the chunk
 * size: a retrieved chunk is relevant when its source span overlaps a quote's span.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from '../../src/platform/zod.js';

export const KB_DIR = fileURLToPath(new URL('../kb/', import.meta.url));

export const TENANTS = [
  'leadingwithmeaning',
  'paradise-stays',
  'copperleaf',
  'helio',
  'parcelpoint',
] as const;
export type EvalTenant = (typeof TENANTS)[number];

const questionSchema = z.strictObject({
  tenant: z.enum(TENANTS),
  question: z.string().trim().min(5),
  relevant: z
    .array(z.strictObject({ doc: z.string().regex(/^[a-z0-9-]+\.md$/), quote: z.string().min(8) }))
    .min(1),
});
export type EvalQuestion = z.infer<typeof questionSchema>;

export interface EvalDocument {
  tenant: EvalTenant;
  file: string;
  text: string;
}

export interface EvalSet {
  documents: EvalDocument[];
  questions: EvalQuestion[];
}

/** Reads the documents and questions as they are on disk (no checks beyond the JSON shape). */
export function loadEvalSet(dir = KB_DIR): EvalSet {
  const documents = TENANTS.flatMap((tenant) =>
    readdirSync(`${dir}${tenant}`)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((file) => ({ tenant, file, text: readFileSync(`${dir}${tenant}/${file}`, 'utf8') })),
  );
  const questions = z.array(questionSchema).parse(JSON.parse(readFileSync(`${dir}questions.json`, 'utf8')));
  return { documents, questions };
}

function occurrences(text: string, quote: string): number {
  let n = 0;
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) n++;
  return n;
}

/**
 * Problems that make the set unusable, as messages (empty when the set is sound): a question
 * naming a document its tenant does not have, a quote that is not exactly once in its document,
 * a duplicated question, a tenant with fewer than `minPerTenant` questions.
 */
export function validateEvalSet(set: EvalSet, { minPerTenant = 30 } = {}): string[] {
  const problems: string[] = [];
  const docs = new Map(set.documents.map((d) => [`${d.tenant}/${d.file}`, d.text]));
  const seen = new Set<string>();
  for (const [i, q] of set.questions.entries()) {
    const key = `${q.tenant}: ${q.question.toLowerCase()}`;
    if (seen.has(key)) problems.push(`question ${i} is a duplicate: ${q.question}`);
    seen.add(key);
    for (const r of q.relevant) {
      const text = docs.get(`${q.tenant}/${r.doc}`);
      if (text === undefined) {
        problems.push(`question ${i}: ${q.tenant} has no document ${r.doc}`);
        continue;
      }
      const n = occurrences(text, r.quote);
      if (n !== 1)
        problems.push(`question ${i}: quote occurs ${n} times in ${r.doc}: ${JSON.stringify(r.quote)}`);
    }
  }
  for (const tenant of TENANTS) {
    const n = set.questions.filter((q) => q.tenant === tenant).length;
    if (n < minPerTenant) problems.push(`${tenant} has ${n} questions (at least ${minPerTenant} needed)`);
  }
  return problems;
}
