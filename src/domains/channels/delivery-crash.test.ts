/**
 * A worker killed mid-delivery (SIGKILL, a real separate process) delivers exactly once after the
 * restart: the attempt it had committed before calling Twilio is found `queued`, the status check
 * finds the message Twilio accepted, and nothing is sent again. Needs a server database (a second
 * process cannot open the embedded one); on PGlite the same state is covered by the
 * lost-answer tests in providers/*.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTwilio } from '../../../test/fakes/twilio.js';
import { addChannel, useChannelsApi } from '../../../test/helpers/channels.js';
import { onServer } from '../../../test/helpers/db.js';
import { tenantWith } from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import { recordInboundMessage } from '../conversations/intake.js';
import { commsEvents, messages } from '../conversations/threads.js';
import { DELIVER_JOB, deliverMessage } from './deliver.js';
import { sendMessage } from './outbound.js';

const { api, config } = useChannelsApi();
const twilio = new FakeTwilio();
let worker: ChildProcess | undefined;

beforeAll(async () => {
  await twilio.start();
  config.providers.twilio = twilio.url;
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await twilio.close();
});

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!onServer())('a worker killed mid-delivery', () => {
  it('delivers exactly once after the restart (Twilio: status check, no resend)', async () => {
    const tenant = await tenantWith(api.db);
    const channel = await addChannel(api.db, tenant, 'sms', '+15550100009', {
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
    });
    const { conversationId } = await withTenant(api.db, tenant, (tx) =>
      recordInboundMessage(tx, tenant, {
        channelId: channel.id,
        identity: { kind: 'phone', value: '+15550188888' },
        text: 'hi',
        receivedAt: new Date(),
      }),
    );

    // node itself (not npx): SIGKILL must hit the process that holds the delivery.
    worker = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/helpers/delivery-worker.ts',
        JSON.stringify({ databaseUrl: api.dbUrl, twilio: twilio.url }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    worker.stdout!.on('data', (d) => {
      output += String(d);
    });
    await until(() => output.includes('ready'), 'the worker to start');

    twilio.hangNext(); // Twilio accepts the message and the worker waits for the answer…
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId,
      body: 'Exactly once, even if killed',
      senderType: 'agent',
    });
    await until(
      () => twilio.sent.some((s) => s.body === 'Exactly once, even if killed'),
      'Twilio to receive the message',
    );
    const exited = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGKILL'); // …and dies before recording the outcome.
    await exited;

    const attempts = () =>
      withTenant(api.db, tenant, (tx) =>
        tx.select().from(commsEvents).where(eq(commsEvents.messageId, messageId)),
      );
    expect(await attempts()).toMatchObject([{ attempt: 1, status: 'queued', providerMessageId: null }]);
    expect(await api.app.platform.jobs.counts(DELIVER_JOB)).toMatchObject({ active: 1 }); // orphaned with the worker

    // The restart: pg-boss hands the expired job out again, which runs this handler.
    await deliverMessage(api.app.platform, tenant, messageId);
    const copies = twilio.sent.filter((s) => s.body === 'Exactly once, even if killed');
    expect(copies).toHaveLength(1);
    const [row] = await withTenant(api.db, tenant, (tx) =>
      tx.select().from(messages).where(eq(messages.id, messageId)),
    );
    expect(row).toMatchObject({ deliveryStatus: 'sent', externalMessageId: copies[0]!.sid });
    expect(await attempts()).toMatchObject([
      { attempt: 1, status: 'sent', providerMessageId: copies[0]!.sid },
    ]);
  });
});
