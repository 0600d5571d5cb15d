/**
 * Subscription statuses take effect on every way in. `suspended`, `canceled` (and `paused`) stop
 * API keys, sessions and the widget with /problems/tenant-suspended; inbound provider webhooks are
 * still answered 200 and recorded, but settled as ignored and never processed; reactivation
 * resumes at once. `trialing`, `active` and `past_due` serve. Changes by the platform admin are
 * audited.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { INBOUND_JOB, processInboundEvent } from '../../src/domains/channels/inbound.js';
import { messages } from '../../src/domains/conversations/threads.js';
import { inboundEvents } from '../../src/domains/ops/tables.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { auditLog } from '../../src/platform/http/tables.js';
import { FakeMailgun } from '../fakes/email.js';
import { FakeSlack } from '../fakes/slack.js';
import { FakeTelegram } from '../fakes/telegram.js';
import { FakeTwilio } from '../fakes/twilio.js';
import { FakeWhatsApp } from '../fakes/whatsapp.js';
import { makeTenant, type TestTenant } from '../helpers/api.js';
import { addChannel, storedCounts, useChannelsApi } from '../helpers/channels.js';
import { addFaq, inbound, makeAgent, openConversation } from '../helpers/responder.js';
import { loggedIn } from './people.js';

const { api } = useChannelsApi();
const twilio = new FakeTwilio();
const wa = new FakeWhatsApp();
const tg = new FakeTelegram();
const slack = new FakeSlack();
const mailgun = new FakeMailgun();
const SMS_NUMBER = '+15550107777';
const MAILBOX = 'help@suspended.example';

let tenant: TestTenant;
let session: string;
let admin: string;
let widgetKey: string;

beforeAll(async () => {
  tenant = await makeTenant(api.db);
  session = (await loggedIn(api, { tenantId: tenant.id, role: 'admin' })).token;
  admin = (await loggedIn(api, { platformAdmin: true })).token;
  await addChannel(api.db, tenant.id, 'sms', SMS_NUMBER, {
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
  });
  await addChannel(api.db, tenant.id, 'whatsapp', wa.phoneNumberId, {
    appSecret: wa.appSecret,
    accessToken: wa.accessToken,
  });
  await addChannel(api.db, tenant.id, 'telegram', tg.botId, {
    botToken: tg.botToken,
    webhookSecret: tg.webhookSecret,
  });
  await addChannel(api.db, tenant.id, 'slack', slack.teamId, {
    signingSecret: slack.signingSecret,
    botToken: slack.botToken,
  });
  await addChannel(api.db, tenant.id, 'email', MAILBOX, { signingKey: mailgun.signingKey });
  const res = await api.fetch('/v1/channels', {
    method: 'POST',
    token: tenant.keys.admin,
    body: JSON.stringify({ kind: 'widget', name: 'Help widget' }),
  });
  expect(res.status).toBe(201);
  widgetKey = ((await res.json()) as { widgetKey: string }).widgetKey;
});

const setStatus = async (subscriptionStatus: string) => {
  const res = await api.fetch(`/v1/platform/tenants/${tenant.id}`, {
    method: 'PATCH',
    token: admin,
    body: JSON.stringify({ subscriptionStatus }),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { subscriptionStatus: string }).subscriptionStatus).toBe(subscriptionStatus);
};

const viaKey = () => api.fetch('/v1/tenant', { token: tenant.keys.viewer });
const viaSession = () => api.fetch('/v1/tenant', { token: session });
const viaWidget = () => fetch(`${api.url}/v1/widget/${widgetKey}/sessions`, { method: 'POST' });

/** One signed inbound message per provider, each with a fresh event id. */
const INBOUND: Record<string, () => { path: string; init: RequestInit }> = {
  twilio: () => {
    const url = `${api.url}/v1/inbound/twilio`;
    return {
      path: url,
      init: twilio.incoming(url, { From: '+15550190000', To: SMS_NUMBER, Body: 'hi' }).init,
    };
  },
  whatsapp: () => ({
    path: `${api.url}/v1/inbound/whatsapp/${wa.phoneNumberId}`,
    init: wa.incoming('15550190001', 'hi'),
  }),
  telegram: () => ({
    path: `${api.url}/v1/inbound/telegram/${tg.botId}`,
    init: tg.incoming(4242, 'hi').init,
  }),
  slack: () => ({
    path: `${api.url}/v1/inbound/slack/${slack.teamId}`,
    init: slack.signed(slack.messageEvent('U1', 'C1', 'hi')),
  }),
  email: () => ({
    path: `${api.url}/v1/inbound/email`,
    init: mailgun.incoming({ recipient: MAILBOX, sender: 'guest@example.com', subject: 'Hi', text: 'hi' })
      .init,
  }),
};

const queuedInbound = async () =>
  Object.values(await api.app.platform.jobs.counts(INBOUND_JOB)).reduce((a, b) => a + b, 0);
const eventsOfTenant = () =>
  withPlatform(api.db, (tx) =>
    tx
      .select()
      .from(inboundEvents)
      .where(eq(inboundEvents.routedTenantId, tenant.id))
      .orderBy(inboundEvents.receivedAt),
  );

async function expectStopped(res: Response, status: string) {
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body)).toBe(403);
  expect(body).toMatchObject({ type: '/problems/tenant-suspended', subscriptionStatus: status });
}

describe('serving statuses', () => {
  for (const status of ['trialing', 'active', 'past_due']) {
    it(`${status}: key, session and widget work`, async () => {
      await setStatus(status);
      expect((await viaKey()).status).toBe(200);
      expect((await viaSession()).status).toBe(200);
      expect((await viaWidget()).status).toBe(201);
    });
  }
});

describe('stopping statuses', () => {
  for (const status of ['suspended', 'canceled', 'paused']) {
    it(`${status}: key, session and widget are refused with tenant-suspended`, async () => {
      await setStatus(status);
      await expectStopped(await viaKey(), status);
      await expectStopped(await viaSession(), status);
      await expectStopped(await viaWidget(), status);
    });

    it(`${status}: each inbound provider is answered 200, the event recorded as ignored, nothing processed`, async () => {
      await setStatus(status);
      for (const [provider, make] of Object.entries(INBOUND)) {
        const before = await storedCounts(api.db);
        const queued = await queuedInbound();
        const { path, init } = make();
        const res = await fetch(path, init);
        expect(res.status, `${provider}: ${await res.clone().text()}`).toBe(200);
        const after = await storedCounts(api.db);
        expect(after, provider).toEqual({ events: before.events + 1, messages: before.messages });
        expect(await queuedInbound(), provider).toBe(queued);
        const last = (await eventsOfTenant()).filter((e) => e.provider === provider).at(-1)!;
        expect(last, provider).toMatchObject({
          status: 'ignored',
          error: `tenant ${status}: recorded, not processed`,
        });
        expect(last.processedAt, provider).not.toBeNull();
      }
    });
  }

  it('an event accepted before the suspension and processed after it is ignored too', async () => {
    await setStatus('active');
    const { path, init } = INBOUND.telegram!();
    expect((await fetch(path, init)).status).toBe(200);
    const pending = (await eventsOfTenant()).filter((e) => e.status === 'received').at(-1)!;
    await setStatus('suspended');
    const before = await storedCounts(api.db);
    await processInboundEvent(api.app.platform, pending.id);
    const [row] = await withPlatform(api.db, (tx) =>
      tx.select().from(inboundEvents).where(eq(inboundEvents.id, pending.id)),
    );
    expect(row).toMatchObject({ status: 'ignored', error: 'tenant suspended: recorded, not processed' });
    expect((await storedCounts(api.db)).messages).toBe(before.messages);
  });

  it('reactivation resumes every way in at once', async () => {
    await setStatus('suspended');
    await expectStopped(await viaKey(), 'suspended');
    await setStatus('active');
    expect((await viaKey()).status).toBe(200);
    expect((await viaSession()).status).toBe(200);
    expect((await viaWidget()).status).toBe(201);
    const queued = await queuedInbound();
    for (const make of Object.values(INBOUND)) {
      const { path, init } = make();
      expect((await fetch(path, init)).status).toBe(200);
    }
    expect(await queuedInbound()).toBe(queued + Object.keys(INBOUND).length);
  });
});

describe('work already inside a stopped tenant', () => {
  it('the responder answers nothing: a message accepted before the suspension is cancelled', async () => {
    await setStatus('active');
    const { channelId } = await makeAgent(api.db, tenant.id, {}, { channelKind: 'widget' });
    await addFaq(api.db, tenant.id, [['Where can I park?', 'In the garage.']]);
    const conversationId = await openConversation(api.db, tenant.id, channelId);
    const messageId = await inbound(api.db, tenant.id, conversationId, 'Where can I park?', new Date());
    await setStatus('suspended');
    await api.app.platform.jobs.send('responder.reply', { tenantId: tenant.id, messageId });
    await api.app.platform.jobs.drain();
    const thread = await withTenant(api.db, tenant.id, (tx) =>
      tx.select().from(messages).where(eq(messages.conversationId, conversationId)),
    );
    expect(thread.filter((m) => m.role === 'assistant')).toEqual([]);
    expect(thread.find((m) => m.id === messageId)!.metadata.responder).toMatchObject({
      kind: 'cancelled',
      reason: 'tenant_suspended',
    });
    await setStatus('active');
  });
});

describe('changing a subscription (platform admin)', () => {
  it('is audited in the tenant’s log with the admin as actor', async () => {
    await setStatus('suspended');
    await setStatus('active');
    const entries = await withTenant(api.db, tenant.id, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'tenant.status')).orderBy(auditLog.createdAt),
    );
    const last = entries.at(-1)!;
    expect(last).toMatchObject({
      actorType: 'user',
      resourceType: 'tenants',
      resourceId: tenant.id,
      oldValues: { subscriptionStatus: 'suspended' },
      newValues: { subscriptionStatus: 'active', via: 'api' },
    });
    expect(last.actorId).not.toBeNull();
  });

  it('refuses tenants’ own credentials, an unknown plan, status or tenant, and changes nothing', async () => {
    const patch = (token: string, id: string, body: unknown) =>
      api.fetch(`/v1/platform/tenants/${id}`, { method: 'PATCH', token, body: JSON.stringify(body) });
    expect((await patch(tenant.keys.owner, tenant.id, { subscriptionStatus: 'active' })).status).toBe(401);
    expect((await patch(session, tenant.id, { subscriptionStatus: 'canceled' })).status).toBe(403);
    expect((await patch(admin, tenant.id, { plan: 'no-such-plan' })).status).toBe(422);
    expect((await patch(admin, tenant.id, { subscriptionStatus: 'frozen' })).status).toBe(422);
    expect((await patch(admin, tenant.id, { color: 'red' })).status).toBe(422);
    expect((await patch(admin, 'no-such-tenant', { subscriptionStatus: 'active' })).status).toBe(404);
    expect((await viaKey()).status).toBe(200);
  });
});
