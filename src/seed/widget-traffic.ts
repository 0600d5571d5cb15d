/**
 * The chat-widget tenant's traffic: visitors, widget conversations with their metrics and
 * escalations, team invitations, a helpdesk integration and webhook deliveries.
 */
import { integrations } from '../domains/channels/tables.js';
import { escalations } from '../domains/conversations/tables.js';
import { contactIdentities, contacts } from '../domains/crm/tables.js';
import { invitations } from '../domains/identity/tables.js';
import { webhookDeliveries, webhookEndpoints } from '../domains/ops/tables.js';
import { ANCHOR, DAY, daysAgo, plusMinutes, stamp } from './clock.js';
import type { DemoContext } from './context.js';
import { escalationRow, statusFor } from './escalations.js';
import { sha256 } from './ids.js';
import { writeThreads } from './rollups.js';
import { buildThreads, type Person } from './threads.js';
import { VISITORS } from './widget-content.js';
import { SALES_SCRIPTS, SUPPORT_SCRIPTS } from './widget-scripts.js';

export interface WidgetSetup {
  agentIds: Record<string, string>;
  channelIds: Record<string, string>;
  promptIds: Record<string, string>;
  /** When the tenant was set up, and its time zone. */
  setupAt: Date;
  timeZone: string;
}

export async function populateTraffic(ctx: DemoContext, setup: WidgetSetup): Promise<void> {
  const { write, staff, rng } = ctx;
  const { agentIds, channelIds, promptIds } = setup;
  // Visitors: identified customers have an external id; the rest are anonymous widget visitors.
  const people: Person[] = [];
  const visitorRows = VISITORS.map((name, i) => {
    const at = daysAgo(88 - i * 4, 17);
    const id = ctx.id(`visitor:${i}`, at);
    const known = i % 4 !== 3;
    people.push({ contactId: id, name, vars: { order: String(482_910 + i * 37) } });
    return {
      id,
      name: known ? name : null,
      email: known ? `${name.toLowerCase().replace(' ', '.')}@mail.example` : null,
      externalId: known ? `cus_${rng.hex(14)}` : null,
      visitorId: `v_${rng.hex(16)}`,
      at,
    };
  });
  await write.insert(
    contacts,
    visitorRows.map((v) => ({
      id: v.id,
      name: v.name,
      email: v.email,
      externalId: v.externalId,
      tags: v.externalId ? ['customer'] : ['visitor'],
      firstSeenAt: v.at,
      lastSeenAt: plusMinutes(v.at, 60 * 24 * 30),
      ...stamp(v.at),
    })),
  );
  await write.insert(
    contactIdentities,
    visitorRows.map((v, i) => ({
      id: ctx.id(`identity:${v.id}`, v.at),
      contactId: v.id,
      channelId: channelIds[i % 5 === 4 ? 'sales' : 'support']!,
      externalUserId: v.visitorId,
      metadata: { userAgent: 'Mozilla/5.0' },
      ...stamp(v.at),
    })),
  );

  const common = {
    assistantName: 'Pip',
    model: 'gpt-4o-mini',
    staffUserIds: [staff.agent, staff.admin],
    daysBack: 60,
    replyDelaySeconds: [2, 12] as [number, number],
    id: ctx.id,
    rng,
  };
  const support = buildThreads({
    ...common,
    key: 'support',
    count: 58,
    scripts: SUPPORT_SCRIPTS,
    people,
    channels: [{ id: channelIds.support!, kind: 'widget' }],
    agentId: agentIds.support!,
    promptVersionId: promptIds.support!,
  });
  const sales = buildThreads({
    ...common,
    key: 'sales',
    count: 14,
    scripts: SALES_SCRIPTS,
    people: people.filter((_, i) => i % 5 === 4),
    channels: [{ id: channelIds.sales!, kind: 'widget' }],
    agentId: agentIds.sales!,
    promptVersionId: promptIds.sales!,
    assistantName: 'Sky',
  });
  const escalationRows = support
    .filter((t) => t.script.escalation)
    .map((t, n) =>
      escalationRow(
        ctx,
        t,
        { ...t.script.escalation!, status: statusFor(t, n, t.script.escalation!.severity) },
        { userId: staff.agent },
      ),
    );
  await writeThreads(ctx, [...support, ...sales], setup.timeZone);
  await write.insert(escalations, escalationRows);

  const week = new Date(ANCHOR.getTime() + 7 * DAY);
  await write.insert(invitations, [
    {
      id: ctx.id('invitation:pending', daysAgo(2)),
      email: 'jamie.fox@parcelpoint.example',
      role: 'agent',
      invitedBy: staff.admin,
      tokenHash: sha256('demo-invitation-parcelpoint-pending'),
      status: 'pending',
      expiresAt: week,
      ...stamp(daysAgo(2)),
    },
    {
      id: ctx.id('invitation:accepted', daysAgo(150)),
      email: 'agent@parcelpoint.demo',
      role: 'agent',
      invitedBy: staff.owner,
      tokenHash: sha256('demo-invitation-parcelpoint-accepted'),
      status: 'accepted',
      expiresAt: daysAgo(143),
      acceptedAt: daysAgo(149),
      ...stamp(daysAgo(150)),
    },
    {
      id: ctx.id('invitation:expired', daysAgo(40)),
      email: 'temp.help@parcelpoint.example',
      role: 'viewer',
      invitedBy: staff.admin,
      tokenHash: sha256('demo-invitation-parcelpoint-expired'),
      status: 'expired',
      expiresAt: daysAgo(33),
      ...stamp(daysAgo(40)),
    },
  ]);
  await write.insert(integrations, [
    {
      id: ctx.id('integration:zendesk', setup.setupAt),
      type: 'zendesk',
      name: 'Zendesk tickets',
      config: { subdomain: 'parcelpoint', createTicketsOnHandoff: true },
      lastSyncAt: daysAgo(0, 6),
      ...stamp(setup.setupAt),
    },
  ]);
  const endpointId = ctx.id('webhook:ops', setup.setupAt);
  await write.insert(webhookEndpoints, [
    {
      id: endpointId,
      url: 'https://hooks.parcelpoint.example/frontdesk',
      description: 'Ops dashboard',
      events: ['conversation.closed', 'escalation.opened'],
      secret: 'whsec_demo_parcelpoint_0001',
      failureCount: 1,
      lastTriggeredAt: daysAgo(1, 3),
      lastSuccessAt: daysAgo(1, 2),
      ...stamp(setup.setupAt),
    },
  ]);
  const resolved = support.filter((t) => t.conversation.resolvedAt).slice(-6);
  await write.insert(
    webhookDeliveries,
    resolved.map((t, i) => {
      const at = t.conversation.resolvedAt!;
      const status = i === 4 ? 'failed' : i === 5 ? 'abandoned' : 'succeeded';
      return {
        id: ctx.id(`delivery:${t.conversation.id}`, at),
        endpointId,
        eventType: 'conversation.closed',
        eventId: `evt_${t.conversation.id}`,
        payload: {
          type: 'conversation.closed',
          data: { id: t.conversation.id, subject: t.conversation.subject },
        },
        attempt: status === 'succeeded' ? 1 : status === 'failed' ? 3 : 8,
        status,
        responseStatus: status === 'succeeded' ? 200 : 503,
        responseBody: status === 'succeeded' ? '{"ok":true}' : 'Service Unavailable',
        error: status === 'succeeded' ? null : 'HTTP 503',
        durationMs: 120 + i * 35,
        nextAttemptAt: status === 'failed' ? plusMinutes(at, 240) : null,
        deliveredAt: status === 'succeeded' ? plusMinutes(at, 0.1) : null,
        ...stamp(at),
      };
    }),
  );
}
