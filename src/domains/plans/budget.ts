/**
 * The monthly model-token budget (plan limit `monthlyTokens`), for the AI responder.
 *
 * Before calling a model the responder asks `tokenBudget`: the tokens the tenant's usage events
 * recorded in the current period (tenant time zone, on the platform clock) against the plan's
 * limit. Once used ≥ limit it stops auto-answering (respond.ts hands off) and `budgetExhausted`
 * opens one `usage_limit` escalation and emits one `responder.budget_exhausted` event per period.
 * After each metered call `noticeThresholds` emits `usage.threshold_reached` at 80 % and 100 %,
 * once per period each. "Once" is a row in usage_notices, claimed with ON CONFLICT DO NOTHING in
 * the caller's transaction, so concurrent workers cannot both send it.
 *
 * The check is before the call and a call's size is known only after it, so the last call of a
 * period may take the total past the limit by its own tokens; the figures stay exact.
 */
import type { Tx } from '../../platform/db/database.js';
import { escalations } from '../conversations/workflow.js';
import { escalationOpened } from '../conversations/workflow-events.js';
import { emitEvent } from '../ops/events.js';
import { usageNotices } from './tables.js';
import { bounds, periodOf, tenantPlan, tokensUsed } from './usage.js';

export const THRESHOLDS = [80, 100] as const;

export interface TokenBudget {
  /** The plan's monthlyTokens; null: unlimited. */
  limit: number | null;
  used: number;
  period: string;
  exhausted: boolean;
}

/** The budget of the tenant of `tx` in the period containing `now` (pass its plan if read already). */
export async function tokenBudget(
  tx: Tx,
  now: Date,
  plan?: Awaited<ReturnType<typeof tenantPlan>>,
): Promise<TokenBudget> {
  const { tenant, limits } = plan ?? (await tenantPlan(tx));
  const period = periodOf(tenant.timezone, now);
  const limit = limits?.monthlyTokens === undefined ? null : Number(limits.monthlyTokens);
  if (limit === null) return { limit, used: 0, period, exhausted: false };
  const { start, end } = await bounds(tx, tenant.timezone, period);
  const used = await tokensUsed(tx, start, end);
  return { limit, used, period, exhausted: used >= limit };
}

/** Claims a once-per-period notice; true for the one caller that claimed it. */
async function claim(tx: Tx, tenantId: string, kind: string, period: string): Promise<boolean> {
  const won = await tx
    .insert(usageNotices)
    .values({ tenantId, kind, period })
    .onConflictDoNothing()
    .returning({ id: usageNotices.id });
  return won.length > 0;
}

/** Emits `usage.threshold_reached` for each threshold the budget has crossed and not yet announced. */
export async function noticeThresholds(
  tx: Tx,
  tenantId: string,
  budget: TokenBudget,
  at: Date,
): Promise<void> {
  if (budget.limit === null) return;
  for (const threshold of THRESHOLDS) {
    if (budget.used * 100 < budget.limit * threshold) continue;
    if (!(await claim(tx, tenantId, `monthlyTokens.${threshold}`, budget.period))) continue;
    await emitEvent(
      tx,
      tenantId,
      'usage.threshold_reached',
      { limit: 'monthlyTokens', threshold, allowed: budget.limit, used: budget.used, period: budget.period },
      { at },
    );
  }
}

/**
 * The budget stopped the responder on `messageId`: the first time in the period, opens the
 * `usage_limit` escalation and emits `responder.budget_exhausted` (also the 100 % notice if the
 * limit was reached by a plan change rather than by a call).
 */
export async function budgetExhausted(
  tx: Tx,
  tenantId: string,
  budget: TokenBudget,
  at: Date,
  on: { conversationId: string; messageId: string; channelId: string | null; accountId: string | null },
): Promise<void> {
  await noticeThresholds(tx, tenantId, budget, at);
  if (!(await claim(tx, tenantId, 'monthlyTokens.escalation', budget.period))) return;
  const [escalation] = await tx
    .insert(escalations)
    .values({
      tenantId,
      type: 'usage_limit',
      severity: 'high',
      summary: `The monthly AI token budget is used up (${budget.used} of ${budget.limit} in ${budget.period}): AI replies are handed to the team until the next period or a larger plan.`,
      suggestedAction: 'Answer waiting conversations yourself, or ask the platform for a larger plan.',
      conversationId: on.conversationId,
      messageId: on.messageId,
      channelId: on.channelId,
      accountId: on.accountId,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  await escalationOpened(tx, tenantId, escalation!, at);
  await emitEvent(
    tx,
    tenantId,
    'responder.budget_exhausted',
    {
      limit: 'monthlyTokens',
      allowed: budget.limit,
      used: budget.used,
      period: budget.period,
      escalationId: escalation!.id,
      conversationId: on.conversationId,
    },
    { at },
  );
}
