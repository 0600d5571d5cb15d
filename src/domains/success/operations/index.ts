/**
 * The customer-success module over HTTP: contracts and their entitlements, meetings with their
 * transcripts, insights, and training (modules are the tenant's curriculum, configured by an
 * admin; progress is account data).
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { type ResourceSpec, resourceOperations } from '../../../platform/http/resource.js';
import {
  contracts,
  entitlements,
  insights,
  meetings,
  trainingModules,
  trainingProgress,
  transcripts,
} from '../tables.js';

const successResources: ResourceSpec[] = [
  {
    name: 'contracts',
    component: 'Contract',
    tag: 'Customer success',
    table: contracts,
    writeRole: 'agent',
    filters: ['accountId', 'status', 'endDate'],
    example: {
      accountId: '01950000-0000-7000-8000-000000000010',
      companyName: 'Acme Corp',
      fileName: 'acme-msa-2026.pdf',
      arrCents: 4_800_000,
      contractTerm: '12 months, auto-renew',
      startDate: '2026-03-01',
      endDate: '2027-02-28',
      status: 'active',
    },
    refs: { accountId: 'accounts' },
  },

  {
    name: 'entitlements',
    component: 'Entitlement',
    tag: 'Customer success',
    table: entitlements,
    writeRole: 'agent',
    filters: ['contractId', 'category'],
    example: {
      contractId: '01950000-0000-7000-8000-000000000011',
      name: 'Support seats',
      quantity: 25,
      unit: 'seat',
      priceCents: 120_000,
      category: 'seats',
    },
    refs: { contractId: 'contracts' },
  },

  {
    name: 'meetings',
    component: 'Meeting',
    tag: 'Customer success',
    table: meetings,
    writeRole: 'agent',
    filters: ['accountId', 'conversationId', 'status', 'calendarEventId'],
    example: {
      accountId: '01950000-0000-7000-8000-000000000010',
      title: 'Quarterly business review',
      scheduledAt: '2026-04-14T15:00:00Z',
      durationMinutes: 45,
      meetingUrl: 'https://meet.example/acme-qbr',
      attendees: [{ name: 'Dana Reyes', email: 'dana@acme.example' }],
    },
    refs: { accountId: 'accounts' },
  },

  {
    name: 'transcripts',
    // A meeting transcript runs long: up to the body limit, not the short-text default.
    maxLength: { content: 1_000_000 },
    component: 'Transcript',
    tag: 'Customer success',
    table: transcripts,
    writeRole: 'agent',
    filters: ['meetingId', 'language'],
    example: {
      meetingId: '01950000-0000-7000-8000-000000000012',
      content:
        'Dana: The new routing cut our first response time in half.\nSam: Great, let us plan the rollout.',
      durationSeconds: 2_640,
      speakers: [{ name: 'Dana Reyes' }, { name: 'Sam Ortiz' }],
      wordCount: 5_120,
      language: 'en',
    },
    refs: { meetingId: 'meetings' },
  },

  {
    name: 'insights',
    component: 'Insight',
    tag: 'Customer success',
    table: insights,
    writeRole: 'agent',
    filters: ['accountId', 'meetingId', 'source', 'type', 'importance', 'status'],
    example: {
      accountId: '01950000-0000-7000-8000-000000000010',
      source: 'meeting',
      type: 'action_item',
      content: 'Send the SSO setup guide before the rollout',
      importance: 'high',
      owner: 'sam@frontdesk.example',
      dueDate: '2026-04-21',
    },
    refs: { accountId: 'accounts' },
  },

  {
    name: 'training-modules',
    maxLength: { content: 200_000 },
    component: 'TrainingModule',
    tag: 'Customer success',
    table: trainingModules,
    writeRole: 'admin',
    filters: ['category', 'level', 'isActive'],
    example: {
      title: 'Routing rules 101',
      description: 'Send every conversation to the right team',
      durationMinutes: 20,
      level: 'beginner',
      category: 'onboarding',
    },
  },

  {
    name: 'training-progress',
    component: 'TrainingProgress',
    tag: 'Customer success',
    table: trainingProgress,
    writeRole: 'agent',
    filters: ['accountId', 'contactId', 'moduleId', 'status'],
    example: {
      accountId: '01950000-0000-7000-8000-000000000010',
      moduleId: '01950000-0000-7000-8000-000000000013',
      status: 'in_progress',
      progress: 40,
      startedAt: '2026-03-10T09:00:00Z',
    },
    refs: { accountId: 'accounts', moduleId: 'training-modules' },
  },
];

export const successOperations: readonly AnyOperation[] = successResources.flatMap(resourceOperations);
