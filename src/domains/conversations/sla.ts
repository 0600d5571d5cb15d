/**
 * SLA breach (seed 000, issue 8): a conversation handed to humans whose contact has waited
 * longer than the SLA for any reply gets one `sla_breach` escalation — once per conversation.
 *
 * - The SLA is minutes, `slaFirstResponseMinutes`: on the conversation's agent
 *   (`agents.escalation_config`), else on the tenant (`tenants.settings`); neither = no SLA.
 * - Handed to humans = assigned to a team member, or with an open/acknowledged escalation, or
 *   a pending approval (the AI is not going to answer on its own).
 * - The wait starts at the contact's first message after the last visible reply (AI or human),
 *   so the clock runs from the message nobody has answered.
 * Only active and waiting conversations are checked. Concurrent runs open one escalation: the
 * conversation row is locked and the check repeated before inserting.
 */
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Jobs, Platform } from '../../platform/jobs.js';
import { activeTenants } from '../tenancy/lookup.js';
import { notifyOpened, openScheduledEscalation } from './sla-escalate.js';
import type { Escalation } from './tables.js';

export const SLA_SETTING = 'slaFirstResponseMinutes';

interface Breach {
  id: string;
  accountId: string | null;
  channelId: string | null;
  priority: number;
  slaMinutes: number;
  waitingSince: Date;
}

/** A positive whole number of minutes, or null. */
export function slaMinutes(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

const breachedCondition = (tenantSla: number | null, now: Date) => sql`
  WITH waiting AS (
    SELECT c.id, c.account_id AS "accountId", c.channel_id AS "channelId", c.priority,
           coalesce(CASE WHEN a.escalation_config->>${SLA_SETTING} ~ '^[1-9][0-9]*$'
                         THEN (a.escalation_config->>${SLA_SETTING})::int END, ${tenantSla}::int) AS "slaMinutes",
           (SELECT min(u.created_at) FROM messages u
             WHERE u.tenant_id = c.tenant_id AND u.conversation_id = c.id AND u.role = 'user'
               AND NOT u.is_internal
               AND u.created_at > coalesce(
                     (SELECT max(r.created_at) FROM messages r
                       WHERE r.tenant_id = c.tenant_id AND r.conversation_id = c.id
                         AND r.role IN ('assistant', 'agent') AND NOT r.is_internal),
                     '-infinity')) AS "waitingSince"
      FROM conversations c
      LEFT JOIN agents a ON a.tenant_id = c.tenant_id AND a.id = c.agent_id
     WHERE c.status IN ('active', 'waiting')
       AND (c.assigned_user_id IS NOT NULL
            OR EXISTS (SELECT 1 FROM escalations e WHERE e.tenant_id = c.tenant_id AND e.conversation_id = c.id
                        AND e.status IN ('open', 'acknowledged') AND e.type <> 'sla_breach')
            OR EXISTS (SELECT 1 FROM approvals ap WHERE ap.tenant_id = c.tenant_id AND ap.conversation_id = c.id
                        AND ap.status = 'pending'))
       AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.tenant_id = c.tenant_id
                        AND e.conversation_id = c.id AND e.type = 'sla_breach'))
  SELECT * FROM waiting
   WHERE "slaMinutes" IS NOT NULL AND "waitingSince" IS NOT NULL
     AND "waitingSince" + "slaMinutes" * interval '1 minute' <= ${now}`;

/** Opens an escalation for every breached conversation of the tenant; returns them. */
export async function escalateSlaBreaches(
  tx: Tx,
  tenantId: string,
  tenantSla: number | null,
  now: Date,
): Promise<Escalation[]> {
  const breaches = await rows<Breach>(
    tx,
    sql`${breachedCondition(tenantSla, now)} ORDER BY "waitingSince", id`,
  );
  const opened: Escalation[] = [];
  for (const b of breaches) {
    // Another worker may have opened it since the query: lock the conversation and look again.
    await tx.execute(
      sql`SELECT id FROM conversations WHERE tenant_id = ${tenantId} AND id = ${b.id} FOR UPDATE`,
    );
    const [taken] = await rows<{ one: number }>(
      tx,
      sql`SELECT 1 AS one FROM escalations WHERE conversation_id = ${b.id} AND type = 'sla_breach'`,
    );
    if (taken) continue;
    const waited = Math.round((now.getTime() - new Date(b.waitingSince).getTime()) / 60_000);
    opened.push(
      await openScheduledEscalation(
        tx,
        tenantId,
        {
          type: 'sla_breach',
          severity: b.priority >= 3 ? 'high' : 'medium',
          summary: `No reply to the contact for ${waited} minutes (SLA ${b.slaMinutes} minutes)`,
          suggestedAction: 'Reply to the contact now, or reassign the conversation to someone available.',
          conversationId: b.id,
          accountId: b.accountId,
          channelId: b.channelId,
        },
        now,
      ),
    );
  }
  return opened;
}

/** The SLA check over every active tenant (the `conversations.sla-tick` job). Without
 * `jobs` (tests), the escalations are opened but nobody is notified. */
export async function runSlaTick(platform: Platform, jobs?: Jobs): Promise<number> {
  const now = platform.clock.now();
  let opened = 0;
  await jobs?.start();
  for (const tenant of await activeTenants(platform.db)) {
    const tenantSla = slaMinutes(tenant.settings[SLA_SETTING]);
    const list = await withTenant(platform.db, tenant.id, async (tx) => {
      const breached = await escalateSlaBreaches(tx, tenant.id, tenantSla, now);
      await notifyOpened(jobs, tx, tenant.id, breached);
      return breached;
    });
    opened += list.length;
  }
  return opened;
}
