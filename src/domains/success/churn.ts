/**
 * Churn risk (seed 000's relationship status, seed 002's health score): after refreshing the
 * health scores, each account is checked for two signals and gets a `churn_risk` escalation
 * with a severity when it shows one:
 *
 * - a health drop: the score fell by at least DROP_POINTS since the last refresh, or crossed
 *   below the tenant's `churnRiskHealthBelow` (an agent's escalation_config, as in the demo);
 * - cancellation language in the contact's recent messages (last CANCEL_LOOKBACK_DAYS by the
 *   platform clock) on the account's conversations, written after its last churn escalation.
 *
 * Severity: both signals → critical; cancellation language → high; a drop of 30+ points or a
 * score under 30 → high; otherwise medium. An account with an open or acknowledged churn
 * escalation gets no second one; churned accounts are not checked.
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Jobs, Platform } from '../../platform/jobs.js';
import { notifyOpened, openScheduledEscalation } from '../conversations/sla-escalate.js';
import type { Escalation, SEVERITIES } from '../conversations/tables.js';
import { activeTenants } from '../tenancy/lookup.js';
import { type HealthChange, refreshAccountHealth } from './health.js';

export const DROP_POINTS = 15;
export const CANCEL_LOOKBACK_DAYS = 14;
export const THRESHOLD_SETTING = 'churnRiskHealthBelow';

/** Phrases that mean a client is thinking of leaving. */
const CANCELLATION: RegExp[] = [
  /\bcancel(?:s|led|ling|lation)?\b/i,
  /\bterminat(?:e|ing|ion)\b/i,
  /\b(?:not|won'?t|will not|don'?t plan to) (?:be )?renew(?:ing)?\b/i,
  /\bend (?:our|the) (?:contract|subscription|agreement)\b/i,
  /\b(?:switch|switching|move|moving) to (?:a |another )?(?:competitor|different (?:vendor|provider|agency))\b/i,
  /\blooking (?:at|for) (?:other|alternative) (?:options|vendors|providers|agencies)\b/i,
];

/** The cancellation phrases found in a text. */
export function cancellationCues(text: string): string[] {
  return CANCELLATION.map((re) => re.exec(text)?.[0]).filter((m): m is string => Boolean(m));
}

type Severity = (typeof SEVERITIES)[number];

export interface ChurnSignals {
  change: HealthChange;
  threshold: number | null;
  cues: string[];
}

/** The severity the signals call for, or null when there is no churn risk. */
export function churnSeverity({ change, threshold, cues }: ChurnSignals): Severity | null {
  const drop = change.previous === null ? 0 : change.previous - change.current;
  const crossed =
    threshold !== null &&
    change.current < threshold &&
    (change.previous === null || change.previous >= threshold);
  const healthSignal = drop >= DROP_POINTS || crossed;
  if (cues.length && healthSignal) return 'critical';
  if (cues.length) return 'high';
  if (!healthSignal) return null;
  return drop >= 30 || change.current < 30 ? 'high' : 'medium';
}

interface CancellationMessage {
  accountId: string;
  messageId: string;
  conversationId: string;
  channelId: string | null;
  content: string;
}

/** Contacts' recent messages on accounts' conversations since their last churn escalation. */
function recentInbound(tx: Tx, now: Date): Promise<CancellationMessage[]> {
  const since = new Date(now.getTime() - CANCEL_LOOKBACK_DAYS * 86_400_000);
  return rows<CancellationMessage>(
    tx,
    sql`SELECT c.account_id AS "accountId", m.id AS "messageId", c.id AS "conversationId",
               c.channel_id AS "channelId", m.content
          FROM messages m
          JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
         WHERE c.account_id IS NOT NULL AND m.role = 'user' AND NOT m.is_internal
           AND m.created_at > ${since} AND m.created_at <= ${now}
           AND m.created_at > coalesce(
                 (SELECT max(e.created_at) FROM escalations e
                   WHERE e.tenant_id = c.tenant_id AND e.account_id = c.account_id AND e.type = 'churn_risk'),
                 '-infinity')
         ORDER BY m.created_at DESC, m.id`,
  );
}

/** The lowest `churnRiskHealthBelow` any active agent of the tenant sets, or null. */
async function healthThreshold(tx: Tx): Promise<number | null> {
  const [row] = await rows<{ threshold: number | null }>(
    tx,
    sql`SELECT min((escalation_config->>${THRESHOLD_SETTING})::int) AS threshold FROM agents
         WHERE status = 'active' AND escalation_config->>${THRESHOLD_SETTING} ~ '^[0-9]{1,3}$'`,
  );
  return row?.threshold ?? null;
}

/** Refreshes the tenant's health scores and opens churn escalations; returns those opened. */
export async function checkChurnRisk(tx: Tx, tenantId: string, now: Date): Promise<Escalation[]> {
  const changes = await refreshAccountHealth(tx);
  const threshold = await healthThreshold(tx);
  const inbound = await recentInbound(tx, now);
  const excluded = new Set(
    (
      await rows<{ id: string }>(
        tx,
        sql`SELECT a.id FROM accounts a
             WHERE a.stage = 'churned' OR a.relationship_status = 'churned'
                OR EXISTS (SELECT 1 FROM escalations e WHERE e.tenant_id = a.tenant_id AND e.account_id = a.id
                            AND e.type = 'churn_risk' AND e.status IN ('open', 'acknowledged'))`,
      )
    ).map((r) => r.id),
  );
  const opened: Escalation[] = [];
  for (const change of changes) {
    if (excluded.has(change.accountId)) continue;
    const messages = inbound.filter((m) => m.accountId === change.accountId);
    const flagged = messages.find((m) => cancellationCues(m.content).length);
    const cues = flagged ? cancellationCues(flagged.content) : [];
    const severity = churnSeverity({ change, threshold, cues });
    if (!severity) continue;
    const health = change.previous === null ? `${change.current}` : `${change.previous} → ${change.current}`;
    opened.push(
      await openScheduledEscalation(
        tx,
        tenantId,
        {
          type: 'churn_risk',
          severity,
          summary: `Churn risk for ${change.name}: health ${health}${cues.length ? `; said “${cues.join('”, “')}”` : ''}`,
          suggestedAction: 'Have the account owner call the client about the relationship and renewal.',
          sentiment: { healthBefore: change.previous, healthAfter: change.current, threshold, cues },
          accountId: change.accountId,
          conversationId: flagged?.conversationId ?? null,
          messageId: flagged?.messageId ?? null,
          channelId: flagged?.channelId ?? null,
        },
        now,
      ),
    );
  }
  return opened;
}

/** The health refresh and churn check over every active tenant (the `success.health-refresh` job). Without
 * `jobs` (tests), the escalations are opened but nobody is notified. */
export async function runHealthRefresh(platform: Platform, jobs?: Jobs): Promise<number> {
  const now = platform.clock.now();
  let opened = 0;
  await jobs?.start();
  for (const tenant of await activeTenants(platform.db)) {
    const list = await withTenant(platform.db, tenant.id, async (tx) => {
      const risks = await checkChurnRisk(tx, tenant.id, now);
      await notifyOpened(jobs, tx, tenant.id, risks);
      return risks;
    });
    opened += list.length;
  }
  return opened;
}
