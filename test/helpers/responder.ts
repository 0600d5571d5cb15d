/**
 * Building what the responder works on, in one call each: an agent with its policy, a channel,
 * a contact's conversation, inbound messages and FAQ entries.
 */
import { eq } from 'drizzle-orm';
import { agents, type NewAgent, promptVersions } from '../../src/domains/ai/tables.js';
import { channels } from '../../src/domains/channels/tables.js';
import { conversations, messages } from '../../src/domains/conversations/threads.js';
import { contacts } from '../../src/domains/crm/tables.js';
import { faqCategories, faqItems } from '../../src/domains/knowledge/tables.js';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { tenants } from '../../src/schema/tenants.js';

export interface ResponderSetup {
  agentId: string;
  channelId: string;
  promptVersionId: string;
}

/** An active agent (policy overrides in `agent`), a published prompt, an SMS channel answering with it. */
export async function makeAgent(
  db: Database,
  tenantId: string,
  agent: Partial<NewAgent> = {},
  options: { timezone?: string; channelKind?: 'sms' | 'widget' | 'slack' | 'email' } = {},
): Promise<ResponderSetup> {
  if (options.timezone) {
    await withPlatform(db, (tx) =>
      tx.update(tenants).set({ timezone: options.timezone! }).where(eq(tenants.id, tenantId)),
    );
  }
  return withTenant(db, tenantId, async (tx) => {
    const [a] = await tx
      .insert(agents)
      .values({
        tenantId,
        name: 'Concierge',
        status: 'active',
        confidenceThreshold: 0.6,
        escalationCategories: ['emergency', 'refund', 'complaint', 'booking_change'],
        ...agent,
      })
      .returning();
    const [p] = await tx
      .insert(promptVersions)
      .values({
        tenantId,
        agentId: a!.id,
        version: 1,
        content: 'You are the concierge. Answer from the passages only.',
        isPublished: true,
        publishedAt: new Date(),
      })
      .returning();
    const [ch] = await tx
      .insert(channels)
      .values({ tenantId, kind: options.channelKind ?? 'sms', name: 'Guest line', agentId: a!.id })
      .returning();
    return { agentId: a!.id, channelId: ch!.id, promptVersionId: p!.id };
  });
}

/** FAQ entries in one category. */
export async function addFaq(
  db: Database,
  tenantId: string,
  items: Array<[question: string, answer: string]>,
) {
  await withTenant(db, tenantId, async (tx) => {
    const [cat] = await tx
      .insert(faqCategories)
      .values({ tenantId, name: 'General', slug: `general-${Math.random().toString(36).slice(2, 8)}` })
      .returning();
    await tx.insert(faqItems).values(
      items.map(([question, answer], i) => ({
        tenantId,
        categoryId: cat!.id,
        question,
        answer,
        displayOrder: i,
      })),
    );
  });
}

/** A contact and an open conversation with them on `channelId`. */
export async function openConversation(db: Database, tenantId: string, channelId: string): Promise<string> {
  return withTenant(db, tenantId, async (tx) => {
    const [contact] = await tx.insert(contacts).values({ tenantId, name: 'Guest' }).returning();
    const [conversation] = await tx
      .insert(conversations)
      .values({ tenantId, channelId, contactId: contact!.id })
      .returning();
    return conversation!.id;
  });
}

/** Stores an inbound message from the contact at `at`. */
export async function inbound(
  db: Database,
  tenantId: string,
  conversationId: string,
  content: string,
  at: Date,
  role: 'user' | 'agent' = 'user',
): Promise<string> {
  return withTenant(db, tenantId, async (tx) => {
    const [m] = await tx
      .insert(messages)
      .values({ tenantId, conversationId, role, content, createdAt: at, updatedAt: at })
      .returning();
    return m!.id;
  });
}
