/**
 * A job is queued in the transaction of the row it is about, so a process killed (SIGKILL, a
 * real separate process) right after the commit has lost nothing: the inbound message's responder
 * hand-off and its webhook delivery are in the queue. Killed before the commit, it left neither
 * the rows nor the jobs. Needs a server database (a second process cannot open the embedded one);
 * on both engines a rolled-back transaction's jobs are checked in webhook-delivery.test.ts.
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../../test/helpers/api.js';
import { addChannel } from '../../test/helpers/channels.js';
import { onServer } from '../../test/helpers/db.js';
import { tenantWith } from '../../test/helpers/rules.js';
import { DELIVER_JOB } from '../domains/ops/events.js';
import { webhookEndpoints } from '../domains/ops/webhooks.js';
import { withTenant } from './db/tenant.js';
import { JOBS_SCHEMA } from './jobs.js';

const api = useTestApi();
let tenant: string;
let channelId: string;

beforeAll(async () => {
  if (!onServer()) return;
  tenant = await tenantWith(api.db);
  channelId = (await addChannel(api.db, tenant, 'sms', '+15550100077', {})).id;
  await withTenant(api.db, tenant, (tx) =>
    tx
      .insert(webhookEndpoints)
      .values({ tenantId: tenant, url: 'https://hooks.example.com/in', secret: 'whsec_AAAA' }),
  );
});

function runAndDie(text: string, die: 'after-commit' | 'before-commit'): Promise<NodeJS.Signals | null> {
  // node itself (not npx): the signal must hit the process that holds the transaction.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/helpers/commit-then-die.ts',
      JSON.stringify({ databaseUrl: api.dbUrl, tenantId: tenant, channelId, text, die }),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

/** The message with this text, and the responder and delivery jobs that refer to it. */
async function stateOf(text: string) {
  const [row] = await api.db.query<{
    message: string | null;
    reply: number;
    delivery: number;
    events: number;
  }>(
    `SELECT m.id AS message,
            (SELECT count(*)::int FROM ${JOBS_SCHEMA}.job j
              WHERE j.name = 'responder.reply' AND j.data->>'messageId' = m.id::text) AS reply,
            (SELECT count(*)::int FROM ${JOBS_SCHEMA}.job j JOIN webhook_deliveries d
                 ON d.id::text = j.data->>'deliveryId'
              WHERE j.name = $2 AND d.payload->'data'->>'id' = m.id::text) AS delivery,
            (SELECT count(*)::int FROM webhook_deliveries d WHERE d.payload->'data'->>'id' = m.id::text) AS events
       FROM (SELECT 1) one LEFT JOIN messages m ON m.content = $1`,
    [text, DELIVER_JOB],
  );
  return row!;
}

describe.skipIf(!onServer())('a process killed around the commit', () => {
  it('after the commit: the message, its responder job and its webhook delivery job are all there', async () => {
    expect(await runAndDie('killed after the commit', 'after-commit')).toBe('SIGKILL');
    const state = await stateOf('killed after the commit');
    expect(state.message).not.toBeNull();
    expect(state).toMatchObject({ reply: 1, events: 1, delivery: 1 });
  });

  it('before the commit: neither the message nor any job', async () => {
    expect(await runAndDie('killed before the commit', 'before-commit')).toBe('SIGKILL');
    const state = await stateOf('killed before the commit');
    expect(state).toEqual({ message: null, reply: 0, delivery: 0, events: 0 });
    const [orphans] = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job j
        WHERE j.name = 'responder.reply'
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id::text = j.data->>'messageId')`,
    );
    expect(orphans!.n).toBe(0);
  });
});
