/**
 * Email: Mailgun-style inbound parse webhooks (timestamp/token/signature, 5-minute window) in,
 * replies out through a local SMTP server with AUTH, threaded on the guest's message.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMailgun, FakeSmtp } from '../../../../test/fakes/email.js';
import {
  addChannel,
  expectRefused,
  inboundOn,
  makeRetriesDue,
  useChannelsApi,
} from '../../../../test/helpers/channels.js';
import { insertIn, tenantWith } from '../../../../test/helpers/rules.js';
import { withTenant } from '../../../platform/db/tenant.js';
import { commsEvents, messages } from '../../conversations/threads.js';
import { contacts } from '../../crm/tables.js';
import { sendMessage } from '../outbound.js';
import type { Channel } from '../tables.js';

const { api, config } = useChannelsApi();
const smtp = new FakeSmtp();
const mailgun = new FakeMailgun();
const ADDRESS = 'stay@paradise.example';
let tenant: string;
let channel: Channel;
let guest: string;
const path = '/v1/inbound/email';
const jobs = () => api.app.platform.jobs;

beforeAll(async () => {
  await smtp.start();
  config.providers.smtp = smtp.url;
  tenant = await tenantWith(api.db);
  channel = await addChannel(api.db, tenant, 'email', ADDRESS, { signingKey: mailgun.signingKey });
  // A guest already known by email (e.g. from a reservation) before ever writing.
  guest = (await insertIn(api.db, tenant, contacts, { name: 'Ines', email: 'Ines@Guest.example' })).id;
});
afterAll(() => smtp.close());

const messageRow = async (id: string) =>
  (await withTenant(api.db, tenant, (tx) => tx.select().from(messages).where(eq(messages.id, id))))[0]!;
const attempts = (id: string) =>
  withTenant(api.db, tenant, (tx) =>
    tx.select().from(commsEvents).where(eq(commsEvents.messageId, id)).orderBy(commsEvents.attempt),
  );

describe('inbound email', () => {
  it('a signed parse webhook is stored for the contact known by that address', async () => {
    const { init } = mailgun.incoming({
      recipient: ADDRESS,
      sender: 'ines@guest.example',
      subject: 'Airport pickup',
      text: 'Can you pick us up at 6?',
      messageId: '<m1@guest.example>',
    });
    expect((await fetch(`${api.url}${path}`, init)).status).toBe(200);
    await jobs().drain();
    const [stored] = await inboundOn(api.db, tenant, channel.id);
    expect(stored).toMatchObject({
      authorContactId: guest,
      content: 'Can you pick us up at 6?',
      externalMessageId: '<m1@guest.example>',
    });
  });

  it('refuses a stale timestamp, a wrong signature (401), a form without sender (400), an unknown recipient (401, like a bad signature)', async () => {
    const mail = { recipient: ADDRESS, sender: 'x@guest.example', subject: 's', text: 't' };
    await expectRefused(
      api,
      path,
      mailgun.incoming(mail, { timestamp: Math.floor(Date.now() / 1000) - 3600 }).init,
      401,
    );
    await expectRefused(api, path, mailgun.incoming(mail, { key: 'key-wrong' }).init, 401);
    const { form, init } = mailgun.incoming(mail);
    const { sender: _s, ...noSender } = form;
    await expectRefused(api, path, { ...init, body: new URLSearchParams(noSender).toString() }, 400);
    await expectRefused(api, path, mailgun.incoming({ ...mail, recipient: 'nobody@else.example' }).init, 401);
    await expectRefused(api, path, { ...init, body: 'garbage' }, 400);
  });
});

describe('outbound email over SMTP', () => {
  it('a reply is sent with AUTH from the channel address, threaded on the guest message', async () => {
    const [first] = await inboundOn(api.db, tenant, channel.id);
    const { messageId } = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'Yes, our driver will be there.',
      senderType: 'agent',
    });
    await jobs().drain();
    const mail = smtp.received.at(-1)!;
    expect(mail.text?.trim()).toBe('Yes, our driver will be there.');
    expect(mail.from?.text).toBe(ADDRESS);
    expect(mail.subject).toBe('Re: Airport pickup');
    expect(mail.inReplyTo).toBe('<m1@guest.example>');
    expect(mail.messageId).toContain(messageId);
    expect(await messageRow(messageId)).toMatchObject({ deliveryStatus: 'sent' });
  });

  it('a temporary SMTP refusal (4xx) is retried; a permanent one (5xx) fails the message', async () => {
    const [first] = await inboundOn(api.db, tenant, channel.id);
    smtp.refuseNext(451);
    const retried = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'second try',
      senderType: 'agent',
    });
    await jobs().drain();
    await makeRetriesDue(api.db);
    await jobs().drain();
    expect((await attempts(retried.messageId)).map((a) => [a.status, a.errorCode])).toEqual([
      ['failed', '451'],
      ['sent', null],
    ]);
    smtp.refuseNext(550);
    const refused = await sendMessage(api.app.platform, tenant, {
      conversationId: first!.conversationId,
      body: 'never',
      senderType: 'agent',
    });
    await jobs().drain();
    expect((await messageRow(refused.messageId)).deliveryStatus).toBe('failed');
  });
});
