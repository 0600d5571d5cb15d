/**
 * Escalations announced in the team's Slack channel (seed 000: alerts to the agency's staff).
 * The agent says where: `escalation_config.slackAlerts = { to: 'C0ALERTS', channelId? }`, `to`
 * being the Slack channel id and `channelId` the Frontdesk Slack channel (bot token) to post
 * with (default: the tenant's first active Slack channel). Posted through the channels' Slack
 * transport; with `outbound: log` it is only logged, like every other outbound message.
 */

import { and, asc, eq } from 'drizzle-orm';
import { withTenant } from '../../../platform/db/tenant.js';
import type { Platform } from '../../../platform/jobs.js';
import { openSecrets } from '../../../platform/secrets.js';
import { slackTransport } from '../../channels/providers/slack.js';
import { type Channel, channels } from '../../channels/tables.js';
import { escalations } from '../../conversations/workflow.js';
import { loadContext } from './context.js';

const ICON: Record<string, string> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
};

interface SlackAlerts {
  to: string;
  channelId?: string;
}

function alertsOf(config: Record<string, unknown>): SlackAlerts | null {
  const a = config.slackAlerts as Partial<SlackAlerts> | undefined;
  return typeof a?.to === 'string' && a.to !== ''
    ? { to: a.to, ...(a.channelId ? { channelId: a.channelId } : {}) }
    : null;
}

/** Posts the escalation to the agent's alert channel; returns the Slack message id, or null when none is set up. */
export async function postEscalationToSlack(
  platform: Platform,
  tenantId: string,
  escalationId: string,
): Promise<string | null> {
  const plan = await withTenant(platform.db, tenantId, async (tx) => {
    const [escalation] = await tx.select().from(escalations).where(eq(escalations.id, escalationId));
    if (!escalation?.conversationId) return null;
    const ctx = await loadContext(tx, escalation.conversationId);
    const alerts = ctx ? alertsOf(ctx.agent.escalationConfig) : null;
    if (!alerts) return null;
    const [channel] = await tx
      .select()
      .from(channels)
      .where(
        and(
          eq(channels.kind, 'slack'),
          eq(channels.status, 'active'),
          ...(alerts.channelId ? [eq(channels.id, alerts.channelId)] : []),
        ),
      )
      .orderBy(asc(channels.createdAt))
      .limit(1);
    return channel ? { escalation, alerts, channel } : null;
  });
  if (!plan) return null;
  const { escalation, alerts, channel } = plan;
  const text = `${ICON[escalation.severity] ?? ''} *${escalation.severity.toUpperCase()} ${escalation.type.replace('_', ' ')}* — ${escalation.summary}\n${escalation.suggestedAction ?? ''}\nEscalation ${escalation.id}`;
  if (platform.config.outbound !== 'live') {
    platform.logger.info({ tenantId, escalationId, to: alerts.to }, 'escalation alert (outbound: log)');
    return `log:${escalationId}`;
  }
  const sent = await slackTransport.send(transportContext(platform, channel), {
    messageId: escalationId,
    to: alerts.to,
    text,
  });
  return sent.providerMessageId;
}

const transportContext = (platform: Platform, channel: Channel) => ({
  config: platform.config,
  account: channel.externalAccountId ?? '',
  secrets: openSecrets(platform.config.secrets, channel.secrets),
  now: platform.clock.now(),
});
