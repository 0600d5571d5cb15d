/** What the responder decided for a message, and the services it decides with. */
import { inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import type { sendMessage } from '../../channels/outbound.js';
import { messages } from '../../conversations/threads.js';
import type { ChatProvider } from './chat.js';
import type { Retriever } from './retriever.js';

export interface ResponderDeps {
  retriever: Retriever;
  chat: ChatProvider;
  /** The channels' `sendMessage`: stores the outbound message and queues its delivery. */
  outbound: { sendMessage: typeof sendMessage };
}

export type Outcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'escalated'; escalationId: string; type: string; severity: string }
  | { kind: 'silent'; reason: string }
  | { kind: 'held'; holdId: string; dueAt: Date; merged: boolean }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'sent'; messageId: string; confidence: number }
  | { kind: 'drafted'; approvalId: string; confidence: number }
  | { kind: 'handed_off'; confidence: number }
  /** The plan's monthly token budget is used up: no model was called (plans/budget.ts). */
  | { kind: 'handed_off'; reason: 'token_budget'; used: number; allowed: number; period: string };

/**
 * Records the decision on the inbound message it was made for, with the prompt version live at
 * the time (the per-version figures count escalations and hand-offs by it) and, for an answer,
 * the evidence behind its confidence (search coverage, margin, agreement, the provider's own
 * judgement, the threshold it was held to).
 */
export async function note(
  tx: Tx,
  messageId: string,
  outcome: Outcome,
  at: Date,
  promptVersionId: string | null,
  evidence?: Record<string, unknown>,
): Promise<void> {
  await noteAll(tx, [messageId], outcome, at, promptVersionId, evidence);
}

/** `note` for several messages that got the same decision, in one statement. */
export async function noteAll(
  tx: Tx,
  messageIds: readonly string[],
  outcome: Outcome,
  at: Date,
  promptVersionId: string | null,
  evidence?: Record<string, unknown>,
): Promise<void> {
  const decision = JSON.stringify({ ...outcome, promptVersionId, at, ...(evidence ? { evidence } : {}) });
  await tx
    .update(messages)
    .set({ metadata: sql`${messages.metadata} || jsonb_build_object('responder', ${decision}::jsonb)` })
    .where(inArray(messages.id, [...messageIds]));
}
