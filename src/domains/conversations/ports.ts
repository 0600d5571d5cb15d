/**
 * Jobs the conversations domain queues and the AI domain implements (ai/jobs.ts): conversations
 * may not import the AI domain, so the contract is declared here, where the jobs are sent.
 */
import { jobPort } from '../../platform/jobs.js';

/** Queued for every committed inbound message, in the transaction that stored it (intake.ts). */
export const replyPort = jobPort<{ tenantId: string; messageId: string }>('responder.reply');

/** Queued when a human approves or edits an AI draft, in the decision's transaction. */
export const deliverApprovalPort = jobPort<{ tenantId: string; approvalId: string }>(
  'responder.deliver-approval',
);
