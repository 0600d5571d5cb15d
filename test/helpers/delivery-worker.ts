/**
 * A separate worker process for the crash test: opens the test's PostgreSQL database, runs the
 * job workers with live outbound delivery to the given provider fake, and prints "ready".
 * The test kills it with SIGKILL in the middle of a delivery.
 * Usage: tsx test/helpers/delivery-worker.ts '{"databaseUrl": "...", "twilio": "http://127.0.0.1:…"}'
 */
import { createJobs } from '../../src/jobs.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/logger.js';

const { databaseUrl, twilio } = JSON.parse(process.argv[2] ?? '{}') as {
  databaseUrl: string;
  twilio: string;
};
const base = loadConfig({});
const db = await openDatabase({ engine: 'postgres', url: databaseUrl });
const jobs = createJobs({
  db,
  logger: createLogger('silent'),
  clock: systemClock,
  config: { ...base, outbound: 'live', providers: { ...base.providers, twilio } },
});
await jobs.start({ work: true });
process.stdout.write('ready\n');
