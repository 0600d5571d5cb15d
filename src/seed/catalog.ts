/**
 * The global rows of the demo: subscription plans, agent templates, the platform admin and every
 * demo tenant's staff. Written on the platform path with `on conflict do nothing`, then read back
 * by their natural keys (slug, email), so a second run — or rows someone made by hand with the
 * same keys — changes nothing and the tenants link to whatever is there.
 */
import { inArray, sql } from 'drizzle-orm';
import { agentTemplates, type NewAgentTemplate } from '../domains/ai/tables.js';
import { hashPassword } from '../domains/identity/passwords.js';
import { users } from '../domains/identity/tables.js';
import type { Database } from '../platform/db/database.js';
import { withPlatform } from '../platform/db/tenant.js';
import { type NewPlan, plans } from '../schema/tenants.js';
import { daysAgo, stamp } from './clock.js';
import { demoId } from './ids.js';

/** The password of every demo user (`admin@frontdesk.local` and `<role>@<slug>.demo`). */
export const DEMO_PASSWORD = 'frontdesk-demo';
export const ADMIN_EMAIL = 'admin@frontdesk.local';

const CREATED = daysAgo(365);

const plan = (p: Omit<NewPlan, 'id'>): NewPlan => ({
  id: demoId(`plan:${p.slug}`, CREATED),
  ...p,
  ...stamp(CREATED),
});

export const PLANS: NewPlan[] = [
  plan({
    slug: 'free',
    name: 'Free',
    description: 'One agent on the chat widget, for trying Frontdesk out.',
    priceMonthlyCents: 0,
    priceYearlyCents: 0,
    features: ['chat widget', '1 agent', 'community support'],
    limits: {
      requestsPerMinute: 60,
      agents: 1,
      seats: 2,
      monthlyConversations: 100,
      knowledgeSources: 5,
      monthlyTokens: 200_000,
    },
  }),
  plan({
    slug: 'starter',
    name: 'Starter',
    description: 'Small teams: widget, email and SMS, a few agents.',
    priceMonthlyCents: 2_900,
    priceYearlyCents: 29_000,
    features: ['chat widget', 'email', 'sms', '3 agents', 'canned responses', 'email support'],
    limits: {
      requestsPerMinute: 300,
      agents: 3,
      seats: 5,
      monthlyConversations: 1_000,
      knowledgeSources: 50,
      monthlyTokens: 2_000_000,
    },
  }),
  plan({
    slug: 'professional',
    name: 'Professional',
    description: 'Every channel, approvals, escalations, analytics and webhooks.',
    priceMonthlyCents: 9_900,
    priceYearlyCents: 99_000,
    features: [
      'all channels',
      '10 agents',
      'approvals',
      'escalations',
      'analytics',
      'webhooks',
      'custom domain',
    ],
    limits: {
      requestsPerMinute: 1_200,
      agents: 10,
      seats: 20,
      monthlyConversations: 10_000,
      knowledgeSources: 500,
      monthlyTokens: 20_000_000,
    },
  }),
  plan({
    slug: 'enterprise',
    name: 'Enterprise',
    description: 'Dedicated capacity, SSO, audit export and an uptime SLA.',
    priceMonthlyCents: 49_900,
    priceYearlyCents: 499_000,
    features: ['everything in Professional', 'unlimited agents', 'SSO', 'audit export', '99.9% SLA'],
    limits: {
      requestsPerMinute: 6_000,
      agents: 100,
      seats: 500,
      monthlyConversations: 250_000,
      knowledgeSources: 10_000,
      monthlyTokens: 500_000_000,
    },
  }),
];

const template = (t: Omit<NewAgentTemplate, 'id'>): NewAgentTemplate => ({
  id: demoId(`agent-template:${t.slug}`, CREATED),
  ...t,
  ...stamp(CREATED),
});

export const AGENT_TEMPLATES: NewAgentTemplate[] = [
  template({
    slug: 'support',
    name: 'Support',
    description: 'Answers product questions from the knowledge base and hands over to a human when unsure.',
    category: 'Customer support',
    icon: 'life-buoy',
    agentType: 'support',
    basePrompt:
      'You are a friendly, precise support assistant for {company}. Answer only from the knowledge base; if the answer is not there or you are unsure, say so and offer to connect the customer with the team.',
    suggestedTools: ['knowledge_search', 'handoff_to_human', 'create_ticket'],
    defaultConfig: { model: 'gpt-4o-mini', temperature: 0.2, confidenceThreshold: 0.7 },
  }),
  template({
    slug: 'sales',
    name: 'Sales',
    description: 'Qualifies leads, answers pricing questions and books demos.',
    category: 'Sales',
    icon: 'trending-up',
    agentType: 'sales',
    basePrompt:
      'You are a helpful sales assistant for {company}. Understand what the visitor needs, answer pricing and plan questions accurately, and offer to book a demo when there is a fit. Never invent discounts.',
    suggestedTools: ['knowledge_search', 'book_meeting', 'capture_lead'],
    defaultConfig: { model: 'gpt-4o-mini', temperature: 0.4 },
  }),
  template({
    slug: 'faq',
    name: 'FAQ',
    description: 'Short answers to frequently asked questions, nothing else.',
    category: 'Customer support',
    icon: 'help-circle',
    agentType: 'general',
    basePrompt:
      'Answer the question in two or three sentences using only the FAQ. If the FAQ does not cover it, say you do not know and point to the contact page.',
    suggestedTools: ['knowledge_search'],
    defaultConfig: { model: 'gpt-4o-mini', temperature: 0 },
  }),
  template({
    slug: 'onboarding',
    name: 'Onboarding',
    description: 'Walks new customers through setup, step by step, and tracks where they are.',
    category: 'Customer success',
    icon: 'rocket',
    agentType: 'success',
    basePrompt:
      'You guide new customers of {company} through onboarding. Ask what they have set up so far, give the next concrete step, and celebrate progress. Escalate blockers to their success manager.',
    suggestedTools: ['knowledge_search', 'training_progress', 'handoff_to_human'],
    defaultConfig: { model: 'gpt-4o-mini', temperature: 0.3 },
  }),
  template({
    slug: 'concierge',
    name: 'Guest concierge',
    description: 'Answers guests of rental properties by SMS, email or Telegram, respecting quiet hours.',
    category: 'Hospitality',
    icon: 'key',
    agentType: 'concierge',
    basePrompt:
      'You are {assistant}, the guest concierge of {company}. Answer questions about the stay from the property details and FAQ. Escalate refunds, complaints, emergencies and booking changes to the team.',
    suggestedTools: ['knowledge_search', 'reservation_lookup', 'escalate'],
    defaultConfig: { model: 'gpt-4o-mini', quietHours: ['22:00', '08:00'], responseDelaySeconds: 180 },
  }),
  template({
    slug: 'customer-success',
    name: 'Customer success',
    description: 'Prepares CSMs for meetings, drafts follow-ups for approval and flags churn risk.',
    category: 'Customer success',
    icon: 'heart-handshake',
    agentType: 'success',
    basePrompt:
      'You assist customer success managers. Summarise account context, draft follow-ups for human approval, and flag risks with evidence from meetings and conversations.',
    suggestedTools: ['account_lookup', 'meeting_notes', 'draft_email', 'request_approval'],
    defaultConfig: { model: 'claude-3-5-sonnet', temperature: 0.3, requireApproval: true },
  }),
];

export interface DemoUser {
  email: string;
  name: string;
  isPlatformAdmin?: boolean;
}

export interface Globals {
  planIds: Record<string, string>;
  templateIds: Record<string, string>;
  userIds: Record<string, string>;
  created: { plans: number; agentTemplates: number; users: number };
}

/** Writes the global catalogue and users (only what is missing) and returns their ids. */
export async function ensureGlobals(db: Database, people: readonly DemoUser[]): Promise<Globals> {
  const all: DemoUser[] = [{ email: ADMIN_EMAIL, name: 'Platform Admin', isPlatformAdmin: true }, ...people];
  const emails = all.map((u) => u.email.toLowerCase());
  const existing = await withPlatform(db, (tx) =>
    tx
      .select({ email: users.email })
      .from(users)
      .where(inArray(sql`lower(${users.email})`, emails)),
  );
  const have = new Set(existing.map((u) => u.email.toLowerCase()));
  // Hash only for users that do not exist yet: argon2id is deliberately slow.
  const missing = await Promise.all(
    all
      .filter((u) => !have.has(u.email.toLowerCase()))
      .map(async (u) => ({
        id: demoId(`user:${u.email}`, CREATED),
        email: u.email,
        name: u.name,
        passwordHash: await hashPassword(DEMO_PASSWORD),
        isPlatformAdmin: u.isPlatformAdmin ?? false,
        ...stamp(CREATED),
      })),
  );

  return withPlatform(db, async (tx) => {
    const newPlans = await tx.insert(plans).values(PLANS).onConflictDoNothing().returning({ id: plans.id });
    const newTemplates = await tx
      .insert(agentTemplates)
      .values(AGENT_TEMPLATES)
      .onConflictDoNothing()
      .returning({ id: agentTemplates.id });
    const newUsers = missing.length
      ? await tx.insert(users).values(missing).onConflictDoNothing().returning({ id: users.id })
      : [];

    const planRows = await tx.select({ id: plans.id, slug: plans.slug }).from(plans);
    const templateRows = await tx
      .select({ id: agentTemplates.id, slug: agentTemplates.slug })
      .from(agentTemplates);
    const userRows = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(sql`lower(${users.email})`, emails));
    return {
      planIds: Object.fromEntries(planRows.map((p) => [p.slug, p.id])),
      templateIds: Object.fromEntries(templateRows.map((t) => [t.slug, t.id])),
      userIds: Object.fromEntries(userRows.map((u) => [u.email.toLowerCase(), u.id])),
      created: { plans: newPlans.length, agentTemplates: newTemplates.length, users: newUsers.length },
    };
  });
}
