/** What the AI operations share: the prompt version example, the row serializer, the agent lock. */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../platform/db/database.js';
import { jsonRow } from '../../../platform/http/json-value.js';
import { z } from '../../../platform/zod.js';
import { agents } from '../tables.js';

export type Row = Record<string, unknown>;
export const idParam = z.object({ id: z.uuid() });

/** The row as the API shows it: no tenant, dates as ISO strings. */
export const serialize = (row: Row): Row => jsonRow(row);

export const PROMPT_EXAMPLE = {
  agentId: '',
  content:
    'You are Mark, the guest assistant of Paradise Stays. Answer questions about bookings, check-in and the properties from the knowledge base only. Be warm and brief. Hand refunds, complaints and emergencies to a human.',
  notes: 'First version: tone from the brand voice, escalation rules from ops.',
};

/**
 * Locks the agent row so that version numbering and publishing are serialized per agent. The
 * tenant is named as well as enforced by RLS: on Citus, a locking read must name its shard.
 */
export async function lockAgent(tx: Tx, tenantId: string, agentId: string): Promise<boolean> {
  const [agent] = await tx
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)))
    .for('no key update');
  return agent !== undefined;
}
