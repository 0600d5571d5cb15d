/**
 * Content over the API: outbound message templates (configuration: admin writes) and canned
 * responses (used by human agents: agent writes, and `use` counts an insertion).
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { type ResourceSpec, resourceOperations } from '../../../platform/http/resource.js';
import { z } from '../../../platform/zod.js';
import { cannedResponses, messageTemplates } from '../tables.js';

const contentResources: ResourceSpec[] = [
  {
    name: 'message-templates',
    component: 'MessageTemplate',
    tag: 'Content',
    table: messageTemplates,
    writeRole: 'admin',
    // An edit counter owned by the server. Nothing bumps it yet (that needs an update hook in
    // defineResource or a trigger), so it stays 1 rather than trusting clients to count.
    readOnly: ['version'],
    filters: ['channel', 'trigger', 'isActive'],
    refine: (s) =>
      s.extend({
        body: z.string().min(1).max(10_000),
        subject: z.string().max(500).nullable().optional(),
      }),
    example: {
      channel: 'sms',
      trigger: 'T_MINUS_3',
      name: 'Three days before check-in',
      body: 'Hi {{guest_first_name}}, your stay at {{property_name}} starts in 3 days. Check-in is from {{checkin_time}}; reply here with any questions.',
      isActive: true,
    },
  },

  {
    name: 'canned-responses',
    component: 'CannedResponse',
    tag: 'Content',
    table: cannedResponses,
    writeRole: 'agent',
    readOnly: ['usageCount'],
    filters: ['category', 'shortcut', 'userId', 'isTeam'],
    refine: (s) =>
      s.extend({
        shortcut: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 letters, digits, `_` or `-` (typed after `/` by agents)'),
        content: z.string().min(1).max(20_000),
      }),
    example: {
      shortcut: 'refund-policy',
      title: 'Refund policy',
      content:
        'Cancellations more than 14 days before check-in are refunded in full; within 14 days we refund 50%. I can start that for you now.',
      category: 'billing',
      tags: ['refund', 'cancellation'],
      isTeam: true,
    },
    actions: [
      {
        name: 'use',
        summary: 'Record that an agent inserted this response (adds one to usageCount)',
        role: 'agent',
        // The row is locked for the action, so reading the count and adding one cannot lose a use.
        apply: (row) => ({ usageCount: (row.usageCount as number) + 1 }),
      },
    ],
  },
];

export const contentOperations: readonly AnyOperation[] = contentResources.flatMap(resourceOperations);
