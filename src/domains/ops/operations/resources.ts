/**
 * Ops' standard resources (resourceOperations): webhook endpoints (created by
 * create-webhook-endpoint.ts, since the secret is shown once), and read-only webhook deliveries,
 * the audit log and usage events.
 */

import type { ResourceSpec } from '../../../platform/http/resource.js';
import { auditLog } from '../../../platform/http/tables.js';
import { usageEvents, webhookDeliveries, webhookEndpoints } from '../tables.js';
import { assertPublicEndpoint, ENDPOINT_HIDDEN, ENDPOINT_READ_ONLY, refineEndpoint } from './kit.js';

export const endpointResource: ResourceSpec = {
  name: 'webhook-endpoints',
  component: 'WebhookEndpoint',
  tag: 'Webhooks',
  table: webhookEndpoints,
  // An endpoint URL often carries a token of the receiving service.
  readRole: 'admin',
  writeRole: 'admin',
  hidden: ENDPOINT_HIDDEN,
  readOnly: ENDPOINT_READ_ONLY,
  filters: ['status'],
  example: {
    url: 'https://hooks.acme.example/frontdesk',
    description: 'Ticket sync',
    events: ['conversation.opened', 'escalation.opened'],
  },
  refine: refineEndpoint,
  // Created by its own operation: the response carries the generated secret once.
  create: false,
  afterWrite: async (_tx, change) => {
    if (change.after.url !== change.before?.url)
      await assertPublicEndpoint(change.platform!, String(change.after.url));
  },
};

export const recordResources: ResourceSpec[] = [
  {
    name: 'webhook-deliveries',
    component: 'WebhookDelivery',
    tag: 'Webhooks',
    table: webhookDeliveries,
    readRole: 'admin',
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['endpointId', 'status', 'eventType', 'eventId'],
    example: {
      endpointId: '01950000-0000-7000-8000-000000000004',
      eventType: 'conversation.created',
      eventId: 'evt_01950000000070008000000000000005',
      payload: { type: 'conversation.created', data: { id: '01950000-0000-7000-8000-000000000003' } },
    },
    refs: { endpointId: 'webhook-endpoints' },
  },
  {
    name: 'audit-log',
    component: 'AuditLogEntry',
    tag: 'Ops',
    table: auditLog,
    readRole: 'admin',
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['resourceType', 'resourceId', 'actorId', 'actorType', 'action', 'accountId', 'requestId'],
    example: {
      actorType: 'api_key',
      actorId: '01950000-0000-7000-8000-000000000006',
      action: 'contacts.update',
      resourceType: 'contacts',
      resourceId: '01950000-0000-7000-8000-000000000007',
      newValues: { email: 'dana@acme.example' },
    },
  },
  {
    name: 'usage-events',
    component: 'UsageEvent',
    tag: 'Ops',
    table: usageEvents,
    writeRole: 'admin',
    create: false,
    update: false,
    remove: false,
    filters: ['eventType', 'model', 'conversationId', 'agentId', 'userId'],
    example: {
      eventType: 'llm.completion',
      model: 'gpt-4o-mini',
      tokensInput: 812,
      tokensOutput: 164,
      tokensTotal: 976,
      costMicros: 2_200,
    },
  },
];
