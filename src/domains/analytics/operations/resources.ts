/** The daily rollups, as read-only resources. */
import type { ResourceSpec } from '../../../platform/http/resource.js';
import { conversationMetrics, dailyMetrics } from '../tables.js';

export const analyticsResources: ResourceSpec[] = [
  {
    name: 'conversation-metrics',
    component: 'ConversationMetrics',
    tag: 'Analytics',
    table: conversationMetrics,
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['conversationId', 'agentId', 'resolutionType', 'escalated'],
    example: {
      conversationId: '01950000-0000-7000-8000-000000000003',
      resolutionType: 'ai',
      messagesCount: 6,
      aiMessagesCount: 3,
      contactMessagesCount: 3,
      firstResponseSeconds: 4,
      satisfactionScore: 5,
    },
    refs: { conversationId: 'conversations' },
  },

  {
    name: 'daily-metrics',
    component: 'DailyMetrics',
    tag: 'Analytics',
    table: dailyMetrics,
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['date'],
    example: {
      date: '2026-03-02',
      conversationsTotal: 42,
      conversationsResolved: 37,
      conversationsEscalated: 3,
      messagesTotal: 318,
      avgResponseSeconds: 21,
      tokensTotal: 412_000,
      costMicros: 1_250_000,
    },
  },
];
