import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test/helpers/db.js';
import { createJobs } from './jobs.js';
import { systemClock } from './platform/clock.js';
import { loadConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';

const t = useTestDatabase();

describe('recurring jobs', () => {
  it('get one pg-boss cron schedule each, registered idempotently', async () => {
    const jobs = createJobs({
      db: t.db,
      logger: createLogger('silent'),
      clock: systemClock,
      config: loadConfig({}),
    });
    try {
      const recurring = await jobs.scheduleRecurring();
      await jobs.scheduleRecurring();
      expect(recurring.map((r) => r.name).sort()).toEqual([
        'analytics.tick',
        'conversations.expire-approvals',
        'conversations.sla-tick',
        'knowledge.requeue',
        'plans.trials',
        'responder.tick',
        'schedule.tick',
        'success.health-refresh',
      ]);
      const schedules = await jobs.boss.getSchedules();
      expect(schedules.map((s) => [s.name, s.cron]).sort()).toEqual(
        recurring.map((r) => [r.name, r.cron]).sort(),
      );
      for (const r of recurring) expect(jobs.has(r.name)).toBe(true);
    } finally {
      await jobs.stop();
    }
  });
});
