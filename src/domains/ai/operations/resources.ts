/**
 * Agents and brand voices as standard resources (resourceOperations). The default brand voice
 * moves with `set-default`, which clears the previous default in the same transaction.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { ResourceSpec } from '../../../platform/http/resource.js';
import { z } from '../../../platform/zod.js';
import { agents, brandVoices } from '../tables.js';

/** A wall-clock time as Postgres TIME accepts it; quiet hours are in the tenant's time zone. */
const wallClock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'a time of day as HH:MM or HH:MM:SS (24-hour clock)');

export const agentResource: ResourceSpec = {
  name: 'agents',
  component: 'Agent',
  tag: 'AI',
  table: agents,
  writeRole: 'admin',
  readOnly: ['createdBy'],
  filters: ['status', 'type', 'brandVoiceId', 'templateId'],
  refine: (s) =>
    s.extend({
      confidenceThreshold: z.number().min(0).max(1).optional(),
      quietHoursStart: wallClock.nullable().optional(),
      quietHoursEnd: wallClock.nullable().optional(),
      responseDelaySeconds: z.int().min(0).max(86_400).optional(),
    }),
  example: {
    name: 'Guest messaging',
    assistantName: 'Mark',
    description: 'Answers guest questions about stays by SMS and email.',
    type: 'concierge',
    status: 'active',
    welcomeMessage: 'Hi, I’m Mark from Paradise Stays. How can I help with your booking?',
    modelConfig: { model: 'gpt-4o-mini', temperature: 0.3, maxTokens: 600 },
    escalationConfig: { notify: 'email', to: 'ops@paradise-stays.example' },
    autoReplyEnabled: true,
    confidenceThreshold: 0.7,
    quietHoursStart: '22:00',
    quietHoursEnd: '08:00',
    responseDelaySeconds: 180,
    escalationCategories: ['refund', 'complaint', 'emergency'],
  },
};

export const brandVoiceResource: ResourceSpec = {
  name: 'brand-voices',
  component: 'BrandVoice',
  tag: 'AI',
  table: brandVoices,
  writeRole: 'admin',
  // Moved by set-default / unset-default, which clear the previous default in the same transaction.
  readOnly: ['isDefault'],
  filters: ['isDefault', 'applicableTo', 'name'],
  refine: (s) =>
    s.extend({
      responsePatterns: z
        .array(z.object({ situation: z.string().min(1).max(500), pattern: z.string().min(1).max(5_000) }))
        .max(200)
        .optional(),
    }),
  example: {
    name: 'Warm and professional',
    description: 'Client-facing replies for agency accounts.',
    toneGuidelines: 'Friendly but precise. Short paragraphs. Acknowledge the issue before solving it.',
    approvedPhrases: ['Happy to help', 'Here is what I found'],
    forbiddenPhrases: ['As an AI', 'Unfortunately, that is not possible'],
    responsePatterns: [
      {
        situation: 'bug report',
        pattern: 'Thank them, restate the issue, give the next step and a time frame.',
      },
    ],
    applicableTo: 'client_conversations',
  },
  actions: [
    {
      name: 'set-default',
      summary: 'Make this the default brand voice (the previous default stops being one)',
      role: 'admin',
      async apply(row, _body, { tx }) {
        if (row.isDefault) return { isDefault: true };
        await tx
          .update(brandVoices)
          .set({ isDefault: false })
          .where(and(eq(brandVoices.isDefault, true), ne(brandVoices.id, row.id as string)));
        return { isDefault: true };
      },
    },
    {
      name: 'unset-default',
      summary: 'Stop this brand voice being the default (the tenant then has none)',
      role: 'admin',
      apply: () => ({ isDefault: false }),
    },
  ],
};
