/**
 * WhatsApp Cloud API against a local Graph API: the hub.challenge handshake, signed
 * notifications in (X-Hub-Signature-256), replies out with a Bearer token, statuses applied.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_HEADERS } from '../../../../test/fakes/http-fake.js';
import { FakeWhatsApp } from '../../../../test/fakes/whatsapp.js';
import {
  addChannel,
  expectRefused,
  inboundOn,
  makeRetriesDue,
  useChannelsApi,
} from '../../../../test/helpers/channels.js';
import { tenantWith } from '../../../../test/helpers/rules.js';
import { withTenant } from '../../../platform/db/tenant.js';
import { commsEvents, messages } from '../../conversations/threads.js';
import { contacts } from '../../crm/tables.js';
import { sendMessage } from '../outbound.js';
import type { Channel } from '../tables.js';

const { api, config } = useChannelsApi();
const wa = new FakeWhatsApp();
let tenant: string;
let channel: Channel;
const path = () => `/v1/inbound/whatsapp/${wa.phoneNumberId}`;
const jobs = () => api.app.platform.jobs;

beforeAll(async () => {
  await wa.start();
  config.providers.whatsapp = wa.url;
  tenant = await tenantWith(api.db);
  channel = await addChannel(api.db, tenant, 'whatsapp', wa.phoneNumberId, {
    appSecret: wa.appSecret,
    accessToken: wa.accessToken,
    verifyToken: 'verify-me',
  });
});
afterAll(() => wa.close());

const messageRow = async (id: string) =>
  (await withTenant(api.db, tenant, (tx) => tx.select().from(messages).where(eq(messages.id, id))))[0]!;

describe('WhatsApp webhook verification', () => {
  it('echoes hub.challenge when the verify token matches; 403 otherwise, and for an unknown number', async () => {
    const q = (token: string) => `?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await fetch(`${api.url}${path()}${q('verify-me')}`, { headers: WEBHOOK_HEADERS });
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    expect((await fetch(`${api.url}${path()}${q('wrong')}`, { headers: WEBHOOK_HEADERS })).status).toBe(403);
    expect(
      (await fetch(`${api.url}/v1/inbound/whatsapp/999${q('verify-me')}`, { headers: WEBHOOK_HEADERS }))
        .status,
    ).toBe(403);
  });
});

describe('WhatsApp inbound', () => {
  it('a signed text message is stored for a contact named from the profile', async () => {
    expect(
      (
        await fetch(
          `${api.url}${path()}`,
          wa.incoming('15550123456', 'Hola, is breakfast included?', { name: 'Marta' }),
        )
      ).status,
    ).toBe(200);
    await jobs().drain();
    const [stored] = await inboundOn(api.db, tenant, channel.id);
    expect(stored).toMatchObject({ role: 'user', content: 'Hola, is breakfast included?' });
    const [contact] = await withTenant(api.db, tenant, (tx) =>
      tx.select().from(contacts).where(eq(contacts.id, stored!.authorContactId!)),
    );
    expect(contact).toMatchObject({ name: 'Marta', phone: '+15550123456' });
  });

  it('refuses a wrong signature (401), a malformed body (400) and an unknown number (401, like a bad signature), storing nothing', async () => {
    await expectRefused(api, path(), wa.incoming('15550123456', 'x', { secret: 'not-the-app-secret' }), 401);
    const good = wa.incoming('15550123456', 'x');
    await expectRefused(api, path(), { ...good, body: good.body.replace('"x"', '"y"') }, 401);
    const garbage = '{"object": "whatsapp_business_account", "entry": ';
    await expectRefused(
      api,
      path(),
      {
        ...good,
        body: garbage,
        headers: {
          ...good.headers,
          'x-hub-signature-256': `sha256=${(await import('node:crypto')).createHmac('sha256', wa.appSecret).update(garbage).digest('hex')}`,
        },
      },
      400,
    );
    await expectRefused(api, '/v1/inbound/whatsapp/123456', good, 401);
  });
});

describe('WhatsApp outbound', () => {
  it('a reply goes to /{phone_number_id}/messages with the Bearer token, statuses move it to read', async () => {
    const [first] = await inboundOn(api.db, tenant, channel.id);
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'Yes, 7 to 10am.',
      senderType: 'ai',
    });
    await jobs().drain();
    const sent = wa.sent.at(-1)!;
    expect(sent).toMatchObject({ to: '15550123456', text: 'Yes, 7 to 10am.', callbackData: messageId });
    for (const status of ['delivered', 'read'] as const) {
      expect((await fetch(`${api.url}${path()}`, wa.status(sent, status))).status).toBe(200);
      await jobs().drain();
    }
    expect(await messageRow(messageId)).toMatchObject({ deliveryStatus: 'read', externalMessageId: sent.id });
    const log = await withTenant(api.db, tenant, (tx) =>
      tx.select().from(commsEvents).where(eq(commsEvents.messageId, messageId)),
    );
    expect(log).toMatchObject([{ direction: 'outbound', status: 'read', toAddr: '+15550123456' }]);
  });

  it('a 500 is retried and the second attempt delivers', async () => {
    wa.failNext(500);
    const [first] = await inboundOn(api.db, tenant, channel.id);
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'retry me',
      senderType: 'agent',
    });
    await jobs().drain();
    expect((await messageRow(messageId)).deliveryStatus).toBe('queued');
    await makeRetriesDue(api.db);
    await jobs().drain();
    expect((await messageRow(messageId)).deliveryStatus).toBe('sent');
    expect(wa.sent.filter((s) => s.text === 'retry me')).toHaveLength(1);
  });
});
