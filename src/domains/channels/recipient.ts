/**
 * Where a reply on a conversation goes: the address the contact last wrote from (Slack channel,
 * Telegram chat, kept as `replyTo` on inbound messages), else the contact's identity on the
 * conversation's channel, else the contact's phone or email. Threading comes from the
 * conversation (Slack thread ts) or the last inbound email (its Message-ID and subject).
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { conversations, messages } from '../conversations/threads.js';
import { contactIdentities, contacts } from '../crm/tables.js';
import type { Channel } from './tables.js';

export interface Recipient {
  to: string | undefined;
  threadId?: string;
  subject?: string;
}

export async function recipientOf(tx: Tx, channel: Channel, conversationId: string): Promise<Recipient> {
  const [conversation] = await tx
    .select({
      contactId: conversations.contactId,
      thread: conversations.externalThreadId,
      subject: conversations.subject,
    })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  const [lastInbound] = await tx
    .select({ metadata: messages.metadata })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'user')))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  const meta = (lastInbound?.metadata ?? {}) as {
    replyTo?: string;
    emailMessageId?: string;
    subject?: string;
  };
  const thread = channel.kind === 'email' ? meta.emailMessageId : (conversation?.thread ?? undefined);
  const subject = meta.subject
    ? /^re:/i.test(meta.subject)
      ? meta.subject
      : `Re: ${meta.subject}`
    : conversation?.subject;
  const extras = { ...(thread ? { threadId: thread } : {}), ...(subject ? { subject } : {}) };
  if (meta.replyTo) return { to: meta.replyTo, ...extras };
  if (!conversation?.contactId) return { to: undefined, ...extras };

  const [identity] = await tx
    .select({ value: contactIdentities.externalUserId })
    .from(contactIdentities)
    .where(
      and(
        eq(contactIdentities.contactId, conversation.contactId),
        eq(contactIdentities.channelId, channel.id),
      ),
    )
    .limit(1);
  if (identity) return { to: identity.value, ...extras };
  const [contact] = await tx
    .select({ phone: contacts.phone, email: contacts.email })
    .from(contacts)
    .where(eq(contacts.id, conversation.contactId));
  const address =
    channel.kind === 'email'
      ? contact?.email
      : ['sms', 'whatsapp'].includes(channel.kind)
        ? contact?.phone
        : null;
  return { to: address ?? undefined, ...extras };
}
