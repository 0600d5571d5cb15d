/**
 * The widget's pre-chat email: what a visitor types in the form is kept on their contact, and a
 * widget whose settings say `preChatEmail: 'required'` refuses to open a conversation for a
 * visitor it has no email for.
 *
 * The email is the visitor's claim, not verified: it is written on the visitor's own contact
 * (made for their widget identity by intake) and never used to join them to another contact
 * known by the same address, whose widget conversations they could then read. An email already
 * on the contact (set by an agent, or given before) is kept.
 *
 * How to call (in the tenant transaction that stored the visitor's message, before anything is
 * sent on; a throw rolls the message back with everything else):
 *   await keepVisitorEmail(tx, tenantId, { channelId, contactId, conversationCreated, email });
 */
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { normalizeIdentity } from '../conversations/intake.js';
import { contacts } from '../crm/tables.js';
import type { PreChatEmail } from './tables.js';

/** The pre-chat email mode of a widget channel: its agent's settings row, else the tenant-wide one. */
export async function preChatEmailOf(tx: Tx, tenantId: string, channelId: string): Promise<PreChatEmail> {
  const [found] = await rows<{ mode: PreChatEmail | null }>(
    tx,
    sql`SELECT (SELECT w.pre_chat_email FROM widget_settings w
                 WHERE w.tenant_id = ${tenantId} AND (w.agent_id = c.agent_id OR w.agent_id IS NULL)
                 ORDER BY w.agent_id NULLS LAST LIMIT 1) AS mode
          FROM channels c WHERE c.tenant_id = ${tenantId} AND c.id = ${channelId}`,
  );
  return found?.mode ?? 'off';
}

/**
 * Stores the email the visitor gave on their contact (unless it has one), or, when none was
 * given and this message opened a conversation on a widget that requires one, refuses with
 * `/problems/email-required` (the caller's transaction then stores nothing).
 */
export async function keepVisitorEmail(
  tx: Tx,
  tenantId: string,
  visit: { channelId: string; contactId: string; conversationCreated: boolean; email?: string | undefined },
): Promise<void> {
  const where = and(eq(contacts.tenantId, tenantId), eq(contacts.id, visit.contactId));
  if (visit.email) {
    await tx
      .update(contacts)
      .set({ email: sql`coalesce(${contacts.email}, ${normalizeIdentity('email', visit.email)})` })
      .where(where);
    return;
  }
  // Only a new conversation asks: a visitor already talking is not stopped when the setting changes.
  if (!visit.conversationCreated) return;
  if ((await preChatEmailOf(tx, tenantId, visit.channelId)) !== 'required') return;
  const [contact] = await tx.select({ email: contacts.email }).from(contacts).where(where);
  if (contact?.email) return;
  throw new AppError('email_required', 'this widget asks for your email before a conversation starts', {
    errors: [{ path: 'email', message: 'required by this widget before the first message' }],
  });
}
