/**
 * Sending an AI draft once a human has decided (seed 002): approved → the draft as is, edited →
 * the edited text, with the original draft kept on the message. Runs as the
 * `responder.deliver-approval` job, queued in the decision's own transaction; the approval is claimed
 * (metadata.delivery) first so that a retry or a second worker never sends it twice.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { withTenant } from '../../../platform/db/tenant.js';
import type { AppPlatform } from '../../../platform/jobs.js';
import { messages } from '../../conversations/threads.js';
import { approvals } from '../../conversations/workflow.js';
import type { Provenance } from './answer.js';
import type { ResponderDeps } from './outcome.js';

export async function deliverApproval(
  platform: AppPlatform,
  deps: Pick<ResponderDeps, 'outbound'>,
  tenantId: string,
  approvalId: string,
): Promise<{ messageId: string } | null> {
  const claimed = await withTenant(platform.db, tenantId, async (tx) => {
    const [row] = await tx
      .update(approvals)
      .set({ metadata: sql`${approvals.metadata} || '{"delivery":"sending"}'::jsonb` })
      .where(
        and(
          eq(approvals.id, approvalId),
          inArray(approvals.status, ['approved', 'edited']),
          eq(approvals.action, 'send_reply'),
          sql`NOT ${approvals.metadata} ? 'delivery'`,
        ),
      )
      .returning();
    return row;
  });
  if (!claimed?.conversationId) return null;
  const edited = claimed.status === 'edited';
  const body = edited ? claimed.editedContent! : (claimed.draftContent ?? '');
  let sent: { messageId: string };
  try {
    sent = await deps.outbound.sendMessage(platform, tenantId, {
      conversationId: claimed.conversationId,
      body,
      senderType: 'ai',
      ...(claimed.resolvedBy ? { senderUserId: claimed.resolvedBy } : {}),
      metadata: {
        responder: { approvalId, inReplyTo: claimed.messageId },
        ...(edited ? { edit: { draft: claimed.draftContent, editedBy: claimed.resolvedBy } } : {}),
      },
    });
  } catch (error) {
    await withTenant(platform.db, tenantId, (tx) =>
      tx
        .update(approvals)
        .set({ metadata: sql`${approvals.metadata} - 'delivery'` })
        .where(eq(approvals.id, approvalId)),
    );
    throw error;
  }
  await withTenant(platform.db, tenantId, async (tx) => {
    const provenance = (claimed.metadata.provenance ?? {}) as Partial<Provenance>;
    await tx
      .update(messages)
      .set({
        citations: provenance.citations ?? [],
        promptVersionId: provenance.promptVersionId ?? null,
        model: provenance.model ?? null,
        confidence: provenance.confidence ?? null,
        tokensIn: provenance.tokensIn ?? null,
        tokensOut: provenance.tokensOut ?? null,
        requiresApproval: true,
      })
      .where(eq(messages.id, sent.messageId));
    await tx
      .update(approvals)
      .set({
        metadata: sql`${approvals.metadata} || jsonb_build_object('delivery', 'sent', 'sentMessageId', ${sent.messageId}::text)`,
      })
      .where(eq(approvals.id, approvalId));
  });
  return sent;
}
