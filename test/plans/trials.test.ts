/**
 * Trials end by the daily `plans.trials` tick on the platform clock: a trialing tenant whose
 * trial_ends_at has passed becomes past_due (audited as the system); one still in its trial, or
 * not trialing, is left alone; running the tick again changes nothing.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRIALS_TICK, trialsTick } from '../../src/domains/plans/jobs.js';
import { ManualClock } from '../../src/platform/clock.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { auditLog } from '../../src/platform/http/tables.js';
import type { JobContext } from '../../src/platform/jobs.js';
import { tenants } from '../../src/schema/tenants.js';
import { useTestApi } from '../helpers/api.js';
import { tenantWith } from '../helpers/rules.js';
import { loggedIn } from './people.js';

const clock = new ManualClock('2026-05-10T12:00:00Z');
const api = useTestApi({ clock });
const status = async (id: string) =>
  (await withPlatform(api.db, (tx) => tx.select().from(tenants).where(eq(tenants.id, id))))[0]!
    .subscriptionStatus;
const tick = () => trialsTick.handle({}, { ...api.app.platform, id: 'test', retryCount: 0 } as JobContext);

let ending: string;
let later: string;
let paying: string;
let noEnd: string;

beforeAll(async () => {
  ending = await tenantWith(api.db, { trialEndsAt: new Date('2026-05-12T00:00:00Z') });
  later = await tenantWith(api.db, { trialEndsAt: new Date('2026-06-01T00:00:00Z') });
  paying = await tenantWith(api.db, {
    subscriptionStatus: 'active',
    trialEndsAt: new Date('2026-05-01T00:00:00Z'),
  });
  noEnd = await tenantWith(api.db, {});
});

describe('the daily trials tick', () => {
  it('is registered as a daily cron job', () => {
    expect(trialsTick.name).toBe(TRIALS_TICK);
    expect(trialsTick.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(api.app.platform.jobs.has(TRIALS_TICK)).toBe(true);
  });

  it('leaves a trial alone until its end, then moves it to past_due, audited as the system', async () => {
    await tick();
    expect(await status(ending)).toBe('trialing');
    clock.set('2026-05-12T00:05:00Z');
    await tick();
    expect(await status(ending)).toBe('past_due');
    expect(await status(later)).toBe('trialing');
    expect(await status(paying)).toBe('active');
    expect(await status(noEnd)).toBe('trialing');
    const log = await withTenant(api.db, ending, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'tenant.status')),
    );
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      actorType: 'system',
      actorId: null,
      oldValues: { subscriptionStatus: 'trialing', trialEndsAt: '2026-05-12T00:00:00.000Z' },
      newValues: { subscriptionStatus: 'past_due', via: 'trials' },
    });
  });

  it('running the tick again changes nothing; the next trial ends on its own day', async () => {
    await tick();
    const log = await withTenant(api.db, ending, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'tenant.status')),
    );
    expect(log).toHaveLength(1);
    clock.set('2026-06-01T00:05:00Z');
    await tick();
    expect(await status(later)).toBe('past_due');
  });

  it('the platform admin sets a trial’s end over the API (audited); the tick then ends it on that day', async () => {
    clock.set('2026-07-01T12:00:00Z');
    const { token } = await loggedIn(api, { platformAdmin: true });
    const res = await api.fetch(`/v1/platform/tenants/${noEnd}`, {
      method: 'PATCH',
      token,
      body: JSON.stringify({ trialEndsAt: '2026-07-03T00:00:00Z' }),
    });
    expect(res.status).toBe(200);
    const log = await withTenant(api.db, noEnd, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'tenant.trial')),
    );
    expect(log).toMatchObject([
      {
        actorType: 'user',
        oldValues: { trialEndsAt: null },
        newValues: { trialEndsAt: '2026-07-03T00:00:00.000Z', via: 'api' },
      },
    ]);
    await tick();
    expect(await status(noEnd)).toBe('trialing');
    clock.set('2026-07-03T00:05:00Z');
    await tick();
    expect(await status(noEnd)).toBe('past_due');
  });
});
