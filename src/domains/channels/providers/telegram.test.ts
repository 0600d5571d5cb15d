/**
 * Telegram Bot API against a local Bot API: updates in with the secret-token header, replies out
 * through sendMessage, Telegram's 429 (retry_after) honoured.
 */

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../../../test/fakes/telegram.js';
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
import { messages } from '../../conversations/threads.js';
import { INBOUND_JOB } from '../inbound.js';
import { sendMessage } from '../outbound.js';
import type { Channel } from '../tables.js';

const { api, config } = useChannelsApi();
const tg = new FakeTelegram();
let tenant: string;
let channel: Channel;
const path = () => `/v1/inbound/telegram/${tg.botId}`;
const jobs = () => api.app.platform.jobs;

beforeAll(async () => {
  await tg.start();
  config.providers.telegram = tg.url;
  tenant = await tenantWith(api.db);
  channel = await addChannel(api.db, tenant, 'telegram', tg.botId, {
    botToken: tg.botToken,
    webhookSecret: tg.webhookSecret,
  });
});
afterAll(() => tg.close());

describe('Telegram inbound', () => {
  it('an update with the secret token is stored once, even when Telegram redelivers it', async () => {
    const { init } = tg.incoming(4242, 'What time is check-in?');
    for (let i = 0; i < 3; i++) expect((await fetch(`${api.url}${path()}`, init)).status).toBe(200);
    expect(await jobs().drain({ names: [INBOUND_JOB] })).toBe(1);
    const stored = await inboundOn(api.db, tenant, channel.id);
    expect(stored.map((m) => m.content)).toEqual(['What time is check-in?']);
    expect(stored[0]!.metadata).toMatchObject({ replyTo: '4242' });
  });

  it('refuses a wrong or missing secret token (401), a body that is no update (400), an unknown bot (401, like a bad signature)', async () => {
    await expectRefused(api, path(), tg.incoming(1, 'x', { secret: 'nope' }).init, 401);
    const { init } = tg.incoming(1, 'x');
    const { 'x-telegram-bot-api-secret-token': _drop, ...noSecret } = init.headers;
    await expectRefused(api, path(), { ...init, headers: noSecret }, 401);
    await expectRefused(api, path(), { ...init, body: '{"message": {}}' }, 400);
    await expectRefused(api, path(), { ...init, body: 'not json' }, 400);
    await expectRefused(api, '/v1/inbound/telegram/12345', init, 401);
  });

  it("bots' messages are acknowledged and not stored", async () => {
    const before = await storedCounts(api.db);
    const { update, init } = tg.incoming(99, 'I am a bot');
    update.message.from.is_bot = true;
    expect((await fetch(`${api.url}${path()}`, { ...init, body: JSON.stringify(update) })).status).toBe(200);
    expect(await storedCounts(api.db)).toEqual(before);
  });
});

describe('Telegram outbound', () => {
  it('replies through sendMessage to the chat; a 429 waits for retry_after, then delivers once', async () => {
    const [first] = await inboundOn(api.db, tenant, channel.id);
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'From 3pm.',
      senderType: 'ai',
    });
    await jobs().drain();
    expect(tg.sent.at(-1)).toMatchObject({ chatId: '4242', text: 'From 3pm.' });

    tg.rateLimitNext(30);
    const second = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'Anything else?',
      senderType: 'ai',
    });
    await jobs().drain();
    expect(await scheduledRetryWaitSeconds(api.db)).toBeGreaterThanOrEqual(29);
    await makeRetriesDue(api.db);
    await jobs().drain();
    expect(tg.sent.filter((s) => s.text === 'Anything else?')).toHaveLength(1);
    const rows = await withTenant(api.db, tenant, (tx) =>
      tx.select().from(messages).where(eq(messages.id, second.messageId)),
    );
    expect(rows[0]!.deliveryStatus).toBe('sent');
    expect(messageId).not.toBe(second.messageId);
  });
});
