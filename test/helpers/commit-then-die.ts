/**
 * A separate process for the enqueue crash test: stores one inbound message the way the inbound
 * job does (message, webhook events and the responder hand-off in one tenant transaction), then
 * kills itself with SIGKILL, either right after the COMMIT returned or inside the transaction
 * before it. Prints nothing; the test reads the database afterwards.
 * Usage: tsx test/helpers/commit-then-die.ts '{"databaseUrl": "...", "tenantId": "...",
 *   "channelId": "...", "text": "...", "die": "after-commit" | "before-commit"}'
 */
import { notifyResponder, recordInboundMessage } from '../../src/domains/conversations/intake.js';
import { createJobs } from '../../src/jobs.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';

const { databaseUrl, tenantId, channelId, text, die } = JSON.parse(process.argv[2] ?? '{}') as {
  databaseUrl: string;
  tenantId: string;
  channelId: string;
  text: string;
  die: 'after-commit' | 'before-commit';
};
const db = await openDatabase({ engine: 'postgres', url: databaseUrl });
const jobs = createJobs({ db, logger: createLogger('silent'), clock: systemClock, config: loadConfig({}) });
await jobs.start();
await withTenant(db, tenantId, async (tx) => {
  const stored = await recordInboundMessage(tx, tenantId, {
    channelId,
    identity: { kind: 'phone', value: '+15550177777' },
    text,
    receivedAt: new Date(), // a real process's time, like the job's
  });
  await notifyResponder(jobs, tx, tenantId, stored.messageId);
  if (die === 'before-commit') process.kill(process.pid, 'SIGKILL');
});
// The COMMIT has returned: nothing after it runs, so the jobs must already be durable.
process.kill(process.pid, 'SIGKILL');
