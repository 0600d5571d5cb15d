/**
 * Twilio SMS end to end against a local Twilio: signed webhooks in (X-Twilio-Signature),
 * exactly once under concurrent redelivery, replies out through the Messages API with retries
 * and a status check after a lost answer, status callbacks applied.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTwilio } from '../../../../test/fakes/twilio.js';
import {
  addChannel,
  expectRefused,
  inboundOn,
  makeRetriesDue,
  scheduledRetryWaitSeconds,
  storedCounts,
  useChannelsApi,
} from '../../../../test/helpers/channels.js';
import { tenantWith } from '../../../../test/helpers/rules.js';
import { withTenant } from '../../../platform/db/tenant.js';
import { commsEvents, messages } from '../../conversations/threads.js';
import { INBOUND_JOB } from '../inbound.js';
import { sendMessage } from '../outbound.js';
import type { Channel } from '../tables.js';

const { api, config } = useChannelsApi();
const twilio = new FakeTwilio();
const NUMBER = '+15550100001';
const GUEST = '+15550199999';
let tenant: string;
let channel: Channel;
const path = '/v1/inbound/twilio';
const url = () => `${api.url}${path}`;

beforeAll(async () => {
  await twilio.start();
  config.providers.twilio = twilio.url;
  tenant = await tenantWith(api.db);
  channel = await addChannel(api.db, tenant, 'sms', NUMBER, {
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
  });
});
afterAll(() => twilio.close());

const post = (init: RequestInit) => fetch(url(), init);
const jobs = () => api.app.platform.jobs;
const attemptsOf = (messageId: string) =>
  withTenant(api.db, tenant, (tx) =>
    tx.select().from(commsEvents).where(eq(commsEvents.messageId, messageId)).orderBy(commsEvents.attempt),
  );
const messageRow = async (id: string) =>
  (await withTenant(api.db, tenant, (tx) => tx.select().from(messages).where(eq(messages.id, id))))[0]!;

describe('Twilio inbound', () => {
  it('a signed incoming SMS is acknowledged with TwiML and stored as a message of the sender', async () => {
    const { form, init } = twilio.incoming(url(), {
      From: GUEST,
      To: NUMBER,
      Body: 'Is late checkout possible?',
    });
    const response = await post(init);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    expect(await response.text()).toContain('<Response>');
    expect(await jobs().drain({ names: [INBOUND_JOB] })).toBe(1);
    const stored = await inboundOn(api.db, tenant, channel.id);
    expect(stored.map((m) => [m.role, m.content, m.externalMessageId])).toEqual([
      ['user', 'Is late checkout possible?', form.MessageSid],
    ]);
  });

  it('the same event delivered 10 times concurrently yields one event, one job and one message', async () => {
    const before = await storedCounts(api.db);
    const jobsBefore = Object.values(await jobs().counts(INBOUND_JOB)).reduce((a, b) => a + b, 0);
    const { init } = twilio.incoming(url(), { From: GUEST, To: NUMBER, Body: 'Duplicate?' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(init)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const jobsAfter = Object.values(await jobs().counts(INBOUND_JOB)).reduce((a, b) => a + b, 0);
    expect(jobsAfter - jobsBefore).toBe(1);
    expect(await jobs().drain({ names: [INBOUND_JOB] })).toBe(1);
    const after = await storedCounts(api.db);
    expect(after).toEqual({ events: before.events + 1, messages: before.messages + 1 });
  });

  it('refuses a bad signature (401), a malformed body (400) and an unknown number (401, like a bad signature), storing nothing', async () => {
    const good = twilio.incoming(url(), { From: GUEST, To: NUMBER, Body: 'hi' }).init;
    await expectRefused(
      api,
      path,
      { ...good, headers: { ...good.headers, 'x-twilio-signature': 'AAAA' } },
      401,
    );
    const tampered = new URLSearchParams(good.body);
    tampered.set('Body', 'tampered');
    await expectRefused(api, path, { ...good, body: tampered.toString() }, 401);
    const noSid = twilio.incoming(url(), { From: GUEST, To: NUMBER, Body: 'x' });
    delete (noSid.form as Record<string, string>).MessageSid;
    const signedWithoutSid = {
      ...noSid.init,
      body: new URLSearchParams(noSid.form).toString(),
      headers: { ...noSid.init.headers, 'x-twilio-signature': twilio.sign(url(), noSid.form) },
    };
    await expectRefused(api, path, signedWithoutSid, 400);
    await expectRefused(
      api,
      path,
      twilio.incoming(url(), { From: GUEST, To: '+15550000000', Body: 'x' }).init,
      401,
    );
    // Twilio has no timestamp in its scheme; a replay is absorbed by (twilio, MessageSid).
  });
});

describe('Twilio outbound', () => {
  const conversationId = async () => (await inboundOn(api.db, tenant, channel.id))[0]!.conversationId;

  it('a reply goes out through the Messages API with Basic auth, and status callbacks move it forward only', async () => {
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: await conversationId(),
      body: 'Yes, until 1pm.',
      senderType: 'agent',
    });
    expect((await messageRow(messageId)).deliveryStatus).toBe('queued');
    await jobs().drain();
    const sent = twilio.sent.at(-1)!;
    expect(sent).toMatchObject({ to: GUEST, from: NUMBER, body: 'Yes, until 1pm.' });
    expect(await messageRow(messageId)).toMatchObject({
      deliveryStatus: 'sent',
      externalMessageId: sent.sid,
    });

    for (const status of ['delivered', 'sent']) {
      const response = await post(twilio.statusCallback(url(), sent, status).init);
      expect(response.status).toBe(200);
      await jobs().drain();
    }
    expect((await messageRow(messageId)).deliveryStatus).toBe('delivered'); // a late "sent" changes nothing
    expect(await attemptsOf(messageId)).toMatchObject([
      { attempt: 1, status: 'delivered', providerStatus: 'delivered', providerMessageId: sent.sid },
    ]);
  });

  it('a 429 is retried no sooner than Retry-After, and every attempt is logged', async () => {
    twilio.failNext(429, { retryAfterSeconds: 120 });
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: await conversationId(),
      body: 'After the rate limit',
      senderType: 'ai',
    });
    await jobs().drain();
    expect((await messageRow(messageId)).deliveryStatus).toBe('queued');
    expect(await scheduledRetryWaitSeconds(api.db)).toBeGreaterThanOrEqual(119);
    await makeRetriesDue(api.db);
    await jobs().drain();
    expect((await messageRow(messageId)).deliveryStatus).toBe('sent');
    expect((await attemptsOf(messageId)).map((a) => [a.attempt, a.status, a.errorCode])).toEqual([
      [1, 'failed', '429'],
      [2, 'sent', null],
    ]);
  });

  it('a refusal (4xx) fails the message without retrying', async () => {
    twilio.failNext(400, { body: { code: 21211, message: 'invalid To' } });
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: await conversationId(),
      body: 'x',
      senderType: 'agent',
    });
    await jobs().drain();
    expect((await messageRow(messageId)).deliveryStatus).toBe('failed');
    expect(await attemptsOf(messageId)).toMatchObject([{ status: 'failed', errorCode: '400' }]);
  });

  it('when the answer is lost after Twilio accepted, the next run finds the message by a status check and does not resend', async () => {
    twilio.dropNextAnswer();
    const copies = () => twilio.sent.filter((s) => s.body === 'Sent exactly once').length;
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: await conversationId(),
      body: 'Sent exactly once',
      senderType: 'agent',
    });
    await jobs().drain();
    expect(copies()).toBe(1);
    expect(await attemptsOf(messageId)).toMatchObject([{ status: 'queued', errorCode: 'network' }]);
    await makeRetriesDue(api.db);
    await jobs().drain();
    expect(copies()).toBe(1);
    const sid = twilio.sent.find((s) => s.body === 'Sent exactly once')!.sid;
    expect(await messageRow(messageId)).toMatchObject({ deliveryStatus: 'sent', externalMessageId: sid });
    expect(await attemptsOf(messageId)).toMatchObject([
      { attempt: 1, status: 'sent', providerMessageId: sid },
    ]);
  });

  it('with outbound "log" (the offline default) nothing is sent and the message counts as sent', async () => {
    config.outbound = 'log';
    try {
      const before = twilio.sent.length;
      const { messageId } = await sendMessage(api.app.platform, tenant, {
        conversationId: await conversationId(),
        body: 'offline',
        senderType: 'agent',
      });
      await jobs().drain();
      expect(twilio.sent.length).toBe(before);
      expect(await messageRow(messageId)).toMatchObject({
        deliveryStatus: 'sent',
        externalMessageId: `log:${messageId}`,
      });
    } finally {
      config.outbound = 'live';
    }
  });

  it('the channel secrets never leave through the API', async () => {
    const { makeTenant } = await import('../../../../test/helpers/api.js');
    const other = await makeTenant(api.db);
    await addChannel(api.db, other.id, 'sms', '+15550100077', {
      accountSid: 'ACx',
      authToken: 'very-secret-token',
    });
    const response = await api.fetch('/v1/channels', { token: other.keys.owner });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('+15550100077');
    expect(text).not.toContain('very-secret-token');
  });
});
