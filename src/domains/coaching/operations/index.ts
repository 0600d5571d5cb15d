/**
 * The coaching module over HTTP: assessment campaigns (configured by an admin) and their
 * participants, moved through the coach's pipeline with set-status.
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { type ResourceSpec, resourceOperations } from '../../../platform/http/resource.js';
import { z } from '../../../platform/zod.js';
import { CLIENT_STATUSES, campaigns, participants } from '../tables.js';

const coachingResources: ResourceSpec[] = [
  {
    name: 'campaigns',
    component: 'Campaign',
    tag: 'Coaching',
    table: campaigns,
    writeRole: 'admin',
    readOnly: ['createdBy'],
    filters: ['status', 'assessmentType', 'resultsDisclosure'],
    example: {
      name: 'Spring leadership cohort',
      description: 'Industry 4.0 readiness for the operations leads',
      assessmentType: 'industry4',
      resultsDisclosure: 'summary',
      status: 'active',
      startsAt: '2026-04-01T00:00:00Z',
      endsAt: '2026-05-31T23:59:59Z',
    },
  },

  {
    name: 'participants',
    component: 'Participant',
    tag: 'Coaching',
    table: participants,
    writeRole: 'agent',
    // The pipeline moves through set-status, which records when the assessment started and ended.
    readOnly: ['clientStatus'],
    filters: ['campaignId', 'clientStatus', 'contactId', 'email'],
    example: {
      campaignId: '01950000-0000-7000-8000-000000000020',
      name: 'Priya Natarajan',
      email: 'priya@northwind.example',
    },
    refs: { campaignId: 'campaigns' },
    actions: [
      {
        name: 'set-status',
        summary: 'Move the participant through the pipeline',
        role: 'agent',
        body: z.object({ clientStatus: z.enum(CLIENT_STATUSES) }),
        apply: (row, body, { clock }) => {
          const clientStatus = body.clientStatus as (typeof CLIENT_STATUSES)[number];
          const now = clock.now();
          const startedAt = (row.startedAt as Date | null) ?? now;
          if (clientStatus === 'started') return { clientStatus, startedAt };
          if (clientStatus === 'completed')
            return { clientStatus, startedAt, completedAt: row.completedAt ?? now };
          return { clientStatus };
        },
      },
    ],
  },
];

export const coachingOperations: readonly AnyOperation[] = coachingResources.flatMap(resourceOperations);
