/**
 * The offline responder's decision for a labelled message, as the eval scores it (see run.ts):
 * classification and the tenant's escalation categories first, then the offline answer from the
 * tenant's FAQ gated by its confidence threshold.
 */
import { readFileSync } from 'node:fs';
import { classifyMessage } from '../../src/domains/ai/responder/classify.js';
import { offlineChat } from '../../src/domains/ai/responder/offline-chat.js';
import { escalationFor, gateAnswer, policyOf } from '../../src/domains/ai/responder/policy.js';
import type { Passage } from '../../src/domains/ai/responder/retriever.js';
import { wordSet } from '../../src/domains/ai/responder/words.js';

export interface TenantSpec {
  flavour: string;
  policy: { confidenceThreshold: number; escalationCategories: string[] };
  knowledge: Array<{ question: string; answer: string }>;
}
export interface Labelled {
  tenant: string;
  text: string;
  label: string;
}

function retrieve(spec: TenantSpec, text: string, k = 5): Passage[] {
  const q = wordSet(text);
  return spec.knowledge
    .map((item, i) => {
      const words = wordSet(`${item.question} ${item.answer}`);
      let shared = 0;
      for (const w of q) if (words.has(w)) shared++;
      return {
        sourceId: `${i}`,
        title: item.question,
        kind: 'faq',
        question: item.question,
        content: item.answer,
        score: shared,
      };
    })
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

/** The offline responder's decision for one message: answer, escalate:<type> or handoff. */
export async function decide(spec: TenantSpec, text: string): Promise<string> {
  const policy = policyOf(
    {
      autoReplyEnabled: true,
      confidenceThreshold: spec.policy.confidenceThreshold,
      quietHoursStart: null,
      quietHoursEnd: null,
      responseDelaySeconds: 0,
      escalationCategories: spec.policy.escalationCategories,
      escalationConfig: { approval: 'never' },
    },
    'UTC',
  );
  const escalation = escalationFor(policy, classifyMessage(text));
  if (escalation) return `escalate:${escalation.type}`;
  const answer = await offlineChat.complete({
    model: undefined,
    systemPrompt: '',
    history: [],
    question: text,
    passages: retrieve(spec, text),
  });
  return gateAnswer(policy, answer) === 'send' ? 'answer' : 'handoff';
}

/** The labelled set (eval/responder/messages.json). */
export function loadEvalSet(): { tenants: Record<string, TenantSpec>; messages: Labelled[] } {
  return JSON.parse(readFileSync(new URL('./messages.json', import.meta.url), 'utf8'));
}
