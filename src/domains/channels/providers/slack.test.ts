/**
 * Slack Events API against a local Slack: v0 signatures with the 5-minute window, url_verification,
 * seed 000's Slack user → client contact mapping, replies in the thread through chat.postMessage,
 * and a status check (conversations.replies + message metadata) after a lost answer.
 */

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../../../test/fakes/slack.js';
import {
  addChannel,
  expectRefused,
  inboundOn,
  makeRetriesDue,
  storedCounts,
  useChannelsApi,
} from '../../../../test/helpers/channels.js';
import { insertIn, tenantWith } from '../../../../test/helpers/rules.js';
import { withTenant } from '../../../platform/db/tenant.js';
import { commsEvents, conversations, messages } from '../../conversations/threads.js';
import { accounts, contactIdentities, contacts } from '../../crm/tables.js';
import { INBOUND_JOB } from '../inbound.js';
import { sendMessage } from '../outbound.js';
import { type Channel, channels } from '../tables.js';

const { api, config } = useChannelsApi();
const slack = new FakeSlack();
let tenant: string;
let channel: Channel;
let dana: string;
let account: string;
const path = () => `/v1/inbound/slack/${slack.teamId}`;
const jobs = () => api.app.platform.jobs;
const post = (init: RequestInit) => fetch(`${api.url}${path()}`, init);

beforeAll(async () => {
  await slack.start();
  config.providers.slack = slack.url;
  tenant = await tenantWith(api.db);
  channel = await addChannel(api.db, tenant, 'slack', slack.teamId, {
    signingSecret: slack.signingSecret,
    botToken: slack.botToken,
  });
  account = (await insertIn(api.db, tenant, accounts, { name: 'Acme Corp' })).id;
  dana = (await insertIn(api.db, tenant, contacts, { name: 'Dana', accountId: account })).id;
  await insertIn(api.db, tenant, contactIdentities, {
    contactId: dana,
    channelId: channel.id,
    externalUserId: 'U0DANA',
  });
});
afterAll(() => slack.close());

describe('Slack inbound', () => {
  it('answers url_verification with its challenge once the signature checks out', async () => {
    const response = await post(slack.signed({ token: 't', challenge: 'c-123', type: 'url_verification' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'c-123' });
    await expectRefused(
      api,
      path(),
      slack.signed({ type: 'url_verification', challenge: 'c' }, { secret: 'wrong' }),
      401,
    );
  });

  it("a workspace user's message joins their client contact and account (seed 000); the app_mention twin is stored once", async () => {
    const event = slack.messageEvent('U0DANA', 'C0GENERAL', '<@UBOT> the launch slipped again');
    expect((await post(slack.signed(event))).status).toBe(200);
    const twin = { ...event, event_id: `${event.event_id}M`, event: { ...event.event, type: 'app_mention' } };
    expect((await post(slack.signed(twin))).status).toBe(200);
    expect(await jobs().drain({ names: [INBOUND_JOB] })).toBe(2);
    const stored = await inboundOn(api.db, tenant, channel.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      authorContactId: dana,
      externalMessageId: `C0GENERAL:${event.event.ts}`,
    });
    const [conv] = await withTenant(api.db, tenant, (tx) =>
      tx.select().from(conversations).where(eq(conversations.id, stored[0]!.conversationId)),
    );
    expect(conv).toMatchObject({ contactId: dana, accountId: account, externalThreadId: event.event.ts });
  });

  it('refuses a stale timestamp, a bad signature (401), a malformed body (400), an unknown workspace (401, like a bad signature)', async () => {
    const event = slack.messageEvent('U0DANA', 'C0GENERAL', 'late');
    await expectRefused(
      api,
      path(),
      slack.signed(event, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }),
      401,
    );
    const good = slack.signed(event);
    await expectRefused(
      api,
      path(),
      { ...good, headers: { ...good.headers, 'x-slack-signature': 'v0=00' } },
      401,
    );
    await expectRefused(api, path(), { ...good, body: good.body.replace('late', 'LATE') }, 401);
    const { 'x-slack-request-timestamp': _ts, ...noTimestamp } = good.headers;
    await expectRefused(api, path(), { ...good, headers: noTimestamp }, 401);
    await expectRefused(api, path(), slack.signed({ type: 'event_callback' }), 400);
    await expectRefused(api, path(), slack.signedRaw('{not json'), 400);
    await expectRefused(api, path(), slack.signed({ ...event, team_id: 'TOTHER' }), 400);
    await expectRefused(api, '/v1/inbound/slack/TUNKNOWN', good, 401);
  });

  it('bot messages (our own replies included) are acknowledged and not stored', async () => {
    const before = await storedCounts(api.db);
    const event = slack.messageEvent('U0BOT', 'C0GENERAL', 'I am the bot');
    expect((await post(slack.signed({ ...event, event: { ...event.event, bot_id: 'B1' } }))).status).toBe(
      200,
    );
    expect(await storedCounts(api.db)).toEqual(before);
  });
});

describe('Slack outbound', () => {
  it('replies in the thread with the bot token; after a lost answer a status check finds the post and nothing is resent', async () => {
    const [first] = await inboundOn(api.db, tenant, channel.id);
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'On it — I have told the team.',
      senderType: 'ai',
    });
    await jobs().drain();
    const thread = first!.externalMessageId!.split(':')[1];
    expect(slack.sent.at(-1)).toMatchObject({
      channel: 'C0GENERAL',
      thread_ts: thread,
      text: 'On it — I have told the team.',
    });

    slack.dropNextAnswer();
    const lost = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'Exactly once',
      senderType: 'ai',
    });
    await jobs().drain();
    await makeRetriesDue(api.db);
    await jobs().drain();
    expect(slack.sent.filter((s) => s.text === 'Exactly once')).toHaveLength(1);
    const attempts = await withTenant(api.db, tenant, (tx) =>
      tx.select().from(commsEvents).where(eq(commsEvents.messageId, lost.messageId)),
    );
    expect(attempts).toMatchObject([{ attempt: 1, status: 'sent' }]);
    expect(messageId).not.toBe(lost.messageId);
  });

  it('a refusal (ok: false, e.g. a revoked token) fails the message without retrying', async () => {
    const [first] = await inboundOn(api.db, tenant, channel.id);
    await withTenant(api.db, tenant, (tx) =>
      tx
        .update(channels)
        .set({ secrets: { ...channel.secrets, botToken: 'xoxb-revoked' } })
        .where(eq(channels.id, channel.id)),
    );
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'nope',
      senderType: 'ai',
    });
    await jobs().drain();
    const attempts = await withTenant(api.db, tenant, (tx) =>
      tx.select().from(commsEvents).where(eq(commsEvents.messageId, messageId)),
    );
    expect(attempts).toMatchObject([{ status: 'failed', errorCode: 'invalid_auth' }]);
    const [row] = await withTenant(api.db, tenant, (tx) =>
      tx.select().from(messages).where(eq(messages.id, messageId)),
    );
    expect(row!.deliveryStatus).toBe('failed');
  });
});
