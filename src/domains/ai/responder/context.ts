/**
 * What the responder needs to know about a conversation, read in one tenant transaction: the
 * agent that answers it and its policy (quiet hours in the guest's property's time zone, else the
 * tenant's), the published prompt version and the brand voice.
 */
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { rows, type Tx } from '../../../platform/db/database.js';
import { tenants } from '../../../schema/tenants.js';
import { channels } from '../../channels/tables.js';
import { type Conversation, conversations } from '../../conversations/threads.js';
import {
  type Agent,
  agents,
  type BrandVoice,
  brandVoices,
  type PromptVersion,
  promptVersions,
} from '../tables.js';
import { policyOf, type ResponderPolicy } from './policy.js';

export interface ResponderContext {
  conversation: Conversation;
  agent: Agent;
  policy: ResponderPolicy;
  /** The property's auto-reply switch (hospitality), true elsewhere. */
  propertyAutoReply: boolean;
  prompt: PromptVersion | null;
  brandVoice: BrandVoice | null;
}

/** The agent of a conversation: its own, else its channel's, else the tenant's first active one. */
async function agentOf(tx: Tx, conversation: Conversation): Promise<Agent | null> {
  let id = conversation.agentId;
  if (!id && conversation.channelId) {
    const [channel] = await tx
      .select({ agentId: channels.agentId })
      .from(channels)
      .where(eq(channels.id, conversation.channelId));
    id = channel?.agentId ?? null;
  }
  const [agent] = id
    ? await tx.select().from(agents).where(eq(agents.id, id))
    : await tx
        .select()
        .from(agents)
        .where(eq(agents.status, 'active'))
        .orderBy(asc(agents.createdAt))
        .limit(1);
  return agent ?? null;
}

/** The time zone and auto-reply switch of the guest's current (or latest) stay, if any. */
async function stayOf(
  tx: Tx,
  tenantId: string,
  contactId: string | null,
): Promise<{ timezone: string | null; auto_reply_enabled: boolean | null } | null> {
  if (!contactId) return null;
  const [stay] = await rows<{ timezone: string | null; auto_reply_enabled: boolean | null }>(
    tx,
    sql`SELECT p.timezone, ps.auto_reply_enabled
          FROM reservations r
          JOIN properties p ON p.tenant_id = r.tenant_id AND p.id = r.property_id
          LEFT JOIN property_settings ps ON ps.tenant_id = p.tenant_id AND ps.property_id = p.id
         WHERE r.tenant_id = ${tenantId} AND r.contact_id = ${contactId} AND r.status <> 'cancelled'
         ORDER BY (r.status = 'checked_in') DESC, r.check_in DESC
         LIMIT 1`,
  );
  return stay ?? null;
}

export async function loadContext(tx: Tx, conversationId: string): Promise<ResponderContext | null> {
  const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
  if (!conversation) return null;
  const agent = await agentOf(tx, conversation);
  if (!agent) return null;
  const [tenant] = await tx.select({ timezone: tenants.timezone }).from(tenants);
  const stay = await stayOf(tx, conversation.tenantId, conversation.contactId);
  const [prompt] = await tx
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.agentId, agent.id), eq(promptVersions.isPublished, true)));
  const [brandVoice] = await tx
    .select()
    .from(brandVoices)
    .where(
      and(
        agent.brandVoiceId ? eq(brandVoices.id, agent.brandVoiceId) : eq(brandVoices.isDefault, true),
        ne(brandVoices.applicableTo, 'internal_only'),
      ),
    )
    .orderBy(desc(brandVoices.isDefault))
    .limit(1);
  return {
    conversation,
    agent,
    policy: policyOf(agent, stay?.timezone ?? tenant?.timezone ?? 'UTC'),
    propertyAutoReply: stay?.auto_reply_enabled ?? true,
    prompt: prompt ?? null,
    brandVoice: brandVoice ?? null,
  };
}

/** The system prompt: the published version (or a neutral default) and the brand voice's rules. */
export function systemPromptOf(ctx: Pick<ResponderContext, 'agent' | 'prompt' | 'brandVoice'>): string {
  const parts = [
    ctx.prompt?.content ??
      `You are ${ctx.agent.assistantName ?? ctx.agent.name}. Answer from the knowledge base only; when unsure, say a colleague will follow up.`,
  ];
  const voice = ctx.brandVoice;
  if (voice) {
    parts.push(`Tone: ${voice.toneGuidelines}`);
    if (voice.approvedPhrases.length) parts.push(`Phrases to use: ${voice.approvedPhrases.join('; ')}`);
    if (voice.forbiddenPhrases.length) parts.push(`Never say: ${voice.forbiddenPhrases.join('; ')}`);
  }
  return parts.join('\n\n');
}
