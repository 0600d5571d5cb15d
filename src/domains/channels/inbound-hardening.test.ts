/**
 * Inbound webhooks against what an attacker can do with them: a Twilio signature made by Twilio's
 * own SDK over either spelling of the URL (with or without the default port) is accepted, as
 * Twilio's `validateRequest` accepts it; a captured Mailgun signature cannot be replayed with
 * another body (the token is remembered), though the provider's retry of the same request passes;
 * and an unauthenticated caller gets one answer for an unknown channel, a channel without its
 * secret and a bad signature.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import twilioSdk from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeMailgun } from '../../../test/fakes/email.js';
import { WEBHOOK_HEADERS } from '../../../test/fakes/http-fake.js';
import { addChannel, expectRefused, storedCounts, useChannelsApi } from '../../../test/helpers/channels.js';
import { tenantWith } from '../../../test/helpers/rules.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { inboundEvents } from '../ops/tables.js';

const { api, config } = useChannelsApi();
const mailgun = new FakeMailgun();
const AUTH_TOKEN = randomBytes(16).toString('hex');
const NUMBER = '+15550100077';
const ADDRESS = 'desk@hardening.example';
beforeAll(async () => {
  const tenant = await tenantWith(api.db);
  await addChannel(api.db, tenant, 'sms', NUMBER, {
    accountSid: `AC${'0'.repeat(32)}`,
    authToken: AUTH_TOKEN,
  });
  await addChannel(api.db, tenant, 'email', ADDRESS, { signingKey: mailgun.signingKey });
  await addChannel(api.db, tenant, 'sms', '+15550100078', {});
});
afterEach(() => {
  config.publicUrl = undefined;
});

function twilioForm(to = NUMBER): Record<string, string> {
  return {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: '+15550199998',
    To: to,
    Body: 'Hello from the SDK',
  };
}
const postTwilio = (form: Record<string, string>, signature: string) =>
  fetch(`${api.url}/v1/inbound/twilio`, {
    method: 'POST',
    headers: {
      ...WEBHOOK_HEADERS,
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    },
    body: new URLSearchParams(form).toString(),
  });

describe('Twilio signatures made by the twilio SDK', () => {
  it.each([
    ['https://desk.example.com', 'https://desk.example.com:443'],
    ['https://desk.example.com', 'https://desk.example.com'],
    ['http://desk.example.com', 'http://desk.example.com:80'],
    ['https://desk.example.com:443', 'https://desk.example.com'],
  ])(
    'public URL %s, signed over %s: accepted, as validateRequest accepts it',
    async (publicUrl, signedBase) => {
      config.publicUrl = publicUrl;
      const form = twilioForm();
      const signedUrl = `${signedBase}/v1/inbound/twilio`;
      const signature = twilioSdk.getExpectedTwilioSignature(AUTH_TOKEN, signedUrl, form);
      expect(twilioSdk.validateRequest(AUTH_TOKEN, signature, `${publicUrl}/v1/inbound/twilio`, form)).toBe(
        true,
      );
      const res = await postTwilio(form, signature);
      expect(res.status).toBe(200);
    },
  );

  it('refuses a signature over another host or another port (401), storing nothing', async () => {
    config.publicUrl = 'https://desk.example.com';
    for (const base of [
      'https://desk.example.com:8443',
      'https://evil.example.com',
      'http://desk.example.com',
    ]) {
      const form = twilioForm();
      const signature = twilioSdk.getExpectedTwilioSignature(AUTH_TOKEN, `${base}/v1/inbound/twilio`, form);
      await expectRefused(
        api,
        '/v1/inbound/twilio',
        {
          method: 'POST',
          headers: {
            ...WEBHOOK_HEADERS,
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': signature,
          },
          body: new URLSearchParams(form).toString(),
        },
        401,
      );
    }
  });
});

describe('Mailgun token replay', () => {
  const mail = { recipient: ADDRESS, sender: 'guest@mail.example', subject: 'Hi', text: 'Original text' };

  it('refuses a captured token/timestamp/signature with another body (401), storing nothing', async () => {
    const first = mailgun.incoming(mail);
    expect((await fetch(`${api.url}/v1/inbound/email`, first.init)).status).toBe(200);
    const forged = new URLSearchParams({
      ...first.form,
      'stripped-text': 'Wire the money',
      'Message-Id': '<x@evil>',
    });
    await expectRefused(api, '/v1/inbound/email', { ...first.init, body: forged.toString() }, 401);
  });

  it("accepts the provider's retry of the very same request (stored once)", async () => {
    const first = mailgun.incoming(mail);
    expect((await fetch(`${api.url}/v1/inbound/email`, first.init)).status).toBe(200);
    const before = await storedCounts(api.db);
    expect((await fetch(`${api.url}/v1/inbound/email`, first.init)).status).toBe(200);
    expect((await storedCounts(api.db)).events).toBe(before.events);
  });
});

describe('multipart inbound email (what providers send with attachments)', () => {
  it('is accepted when signed, the text fields read as usual and the attachments described', async () => {
    const { form } = mailgun.incoming({
      recipient: ADDRESS,
      sender: 'guest@mail.example',
      subject: 'Photo of the damage',
      text: 'See attached',
    });
    const body = new FormData();
    for (const [k, v] of Object.entries(form)) body.set(k, v);
    body.set('attachment-count', '1');
    body.set(
      'attachment-1',
      new File([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2])], 'damage.png', { type: 'image/png' }),
    );
    const res = await fetch(`${api.url}/v1/inbound/email`, {
      method: 'POST',
      headers: WEBHOOK_HEADERS,
      body,
    });
    expect(res.status).toBe(200);
    const [event] = await withPlatform(api.db, (tx) =>
      tx.select().from(inboundEvents).where(eq(inboundEvents.eventId, form['Message-Id'])),
    );
    const stored = (event!.payload as { event: { text: string; metadata: Record<string, unknown> } }).event;
    expect(stored.text).toBe('See attached');
    expect(stored.metadata).toMatchObject({
      subject: 'Photo of the damage',
      attachments: [{ name: 'damage.png', contentType: 'image/png', size: 7 }],
    });
  });

  it('refuses a multipart email with a bad signature (401), storing nothing', async () => {
    const { form } = mailgun.incoming({
      recipient: ADDRESS,
      sender: 'g@mail.example',
      subject: 's',
      text: 't',
    });
    const body = new FormData();
    for (const [k, v] of Object.entries({ ...form, signature: '0'.repeat(64) })) body.set(k, v);
    await expectRefused(api, '/v1/inbound/email', { method: 'POST', headers: WEBHOOK_HEADERS, body }, 401);
  });
});

describe('no oracle for unauthenticated callers', () => {
  it('answers an unknown channel, a channel without its secret and a bad signature alike', async () => {
    const answers = [];
    for (const [to, signature] of [
      ['+15550100099', 'x'], // no such channel
      ['+15550100078', 'x'], // a channel without its auth token
      [NUMBER, 'x'], // a bad signature
    ] as const) {
      const res = await postTwilio(twilioForm(to), signature);
      const { instance: _i, request_id: _r, ...body } = (await res.json()) as Record<string, unknown>;
      answers.push({ status: res.status, body });
    }
    expect(answers[0]).toEqual({
      status: 401,
      body: expect.objectContaining({ detail: 'the webhook could not be verified' }),
    });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});
