/**
 * Account health refresh and churn risk: scores recomputed by account_health_score(), and a
 * churn_risk escalation with a severity for a health drop, for cancellation language, or both —
 * one per account while it is open.
 *
 * account_health_score() counts messages of the last 30 days by the database's clock, so the
 * test clock starts at the current time and messages are an hour old.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import { insertIn, insertRows, tenantWith } from '../../../test/helpers/rules.js';
import { createJobs } from '../../jobs.js';
import { ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { withTenant } from '../../platform/db/tenant.js';
import type { Jobs } from '../../platform/jobs.js';
import { createLogger } from '../../platform/logger.js';
import { agents } from '../ai/tables.js';
import { conversations, escalations, messages } from '../conversations/tables.js';
import { accounts } from '../crm/tables.js';
import { cancellationCues, churnSeverity } from './churn.js';

const t = useTestDatabase();
const clock = new ManualClock(new Date());
const hourAgo = () => new Date(clock.now().getTime() - 3_600_000);
let jobs: Jobs;
let tenantId: string;

beforeAll(async () => {
  jobs = createJobs({ db: t.db, logger: createLogger('silent'), clock, config: loadConfig({}) });
  tenantId = await tenantWith(t.db);
  await insertIn(t.db, tenantId, agents, {
    name: 'CSM',
    status: 'active',
    escalationConfig: { churnRiskHealthBelow: 60 },
  });
});
afterAll(() => jobs.stop());

/** An account with a stored score and `count` contact messages (the first one `said`). */
async function account(name: string, previous: number | null, count: number, said?: string, extra = {}) {
  const a = await insertIn(t.db, tenantId, accounts, { name, healthScore: previous, ...extra });
  if (count) {
    const c = await insertIn(t.db, tenantId, conversations, { accountId: a.id });
    const rows = Array.from({ length: count }, (_, i) => ({
      conversationId: c.id,
      role: 'user' as const,
      content: i === 0 && said ? said : `update ${i}`,
      createdAt: hourAgo(),
    }));
    await withTenant(t.db, tenantId, (tx) => insertRows(tx, tenantId, messages, rows));
  }
  return a.id;
}

const churnOf = (accountId: string) =>
  withTenant(t.db, tenantId, (tx) =>
    tx
      .select()
      .from(escalations)
      .where(eq(escalations.accountId, accountId))
      .then((all) => all.filter((e) => e.type === 'churn_risk')),
  );
const scoreOf = async (accountId: string) =>
  (await withTenant(t.db, tenantId, (tx) => tx.select().from(accounts).where(eq(accounts.id, accountId))))[0]!
    .healthScore;

async function refresh() {
  await jobs.send('success.health-refresh', {});
  expect(await jobs.drain({ names: ['success.health-refresh'] })).toBe(1);
}

describe('cancellation language', () => {
  it('is found in what clients say about leaving, not in ordinary words', () => {
    expect(cancellationCues('We will cancel our contract at the end of the month')).toEqual(['cancel']);
    expect(cancellationCues("We won't be renewing, and are looking at other vendors")).toEqual([
      "won't be renewing",
      'looking at other vendors',
    ]);
    expect(cancellationCues('Please terminate the agreement')).toEqual(['terminate']);
    expect(
      cancellationCues('Can you renew the SSL certificate? Thanks for the cancellation policy link'),
    ).toEqual(['cancellation']);
    expect(cancellationCues('Great quarter, thanks for the report')).toEqual([]);
  });
});

describe('churn severity', () => {
  const change = (previous: number | null, current: number) => ({
    accountId: 'a',
    name: 'A',
    previous,
    current,
  });
  it('grows with the signals', () => {
    expect(churnSeverity({ change: change(80, 78), threshold: null, cues: [] })).toBeNull();
    expect(churnSeverity({ change: change(80, 65), threshold: null, cues: [] })).toBe('medium');
    expect(churnSeverity({ change: change(80, 50), threshold: null, cues: [] })).toBe('high');
    expect(churnSeverity({ change: change(62, 58), threshold: 60, cues: [] })).toBe('medium');
    expect(churnSeverity({ change: change(58, 55), threshold: 60, cues: [] })).toBeNull();
    expect(churnSeverity({ change: change(null, 20), threshold: null, cues: [] })).toBeNull();
    expect(churnSeverity({ change: change(70, 70), threshold: null, cues: ['cancel'] })).toBe('high');
    expect(churnSeverity({ change: change(90, 40), threshold: null, cues: ['cancel'] })).toBe('critical');
  });
});

describe('health refresh and churn risk', () => {
  it('refreshes every score and escalates drops and cancellation language with a severity', async () => {
    const fell = await account('Fell', 90, 0); // 90 → 0
    const leaving = await account('Leaving', 50, 10, 'Honestly we are going to cancel next month'); // 50 → 50
    const slipped = await account('Slipped', 62, 10); // 62 → 50: under the 60 threshold
    const steady = await account('Steady', 50, 10); // 50 → 50
    const both = await account('Both', 95, 5, "We won't be renewing"); // 95 → 25
    const gone = await account('Gone', 90, 0, undefined, { stage: 'churned' });
    await refresh();
    expect(await scoreOf(fell)).toBe(0);
    expect(await scoreOf(steady)).toBe(50);
    expect(await scoreOf(both)).toBe(25);
    expect(await churnOf(fell)).toMatchObject([{ severity: 'high', status: 'open', messageId: null }]);
    expect((await churnOf(fell))[0]!.summary).toBe('Churn risk for Fell: health 90 → 0');
    const [cancel] = await churnOf(leaving);
    expect(cancel).toMatchObject({ severity: 'high', sentiment: { cues: ['cancel'], healthAfter: 50 } });
    expect(cancel!.messageId).not.toBeNull();
    expect(await churnOf(slipped)).toMatchObject([{ severity: 'medium' }]);
    expect(await churnOf(steady)).toEqual([]);
    expect(await churnOf(both)).toMatchObject([{ severity: 'critical' }]);
    expect(await churnOf(gone)).toEqual([]);
    expect(await scoreOf(gone)).toBe(0);
    expect(await jobs.counts('responder.notify-escalation')).toEqual({ created: 4 });
  });

  it('opens no second escalation while one is open, nor for a message already escalated', async () => {
    const leaving = await account('Leaving again', 50, 10, 'We plan to cancel');
    await refresh();
    await refresh();
    const [first, ...more] = await churnOf(leaving);
    expect(more).toEqual([]);
    await withTenant(t.db, tenantId, (tx) =>
      tx
        .update(escalations)
        .set({ status: 'resolved', resolutionNotes: 'called them' })
        .where(eq(escalations.id, first!.id)),
    );
    clock.advance(60_000);
    await refresh();
    expect(await churnOf(leaving)).toHaveLength(1);
  });
});
