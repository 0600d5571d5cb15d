/**
 * Inbound webhooks against what an attacker can do with them: a Twilio signature made by Twilio's
 * own SDK over either spelling of the URL (with or without the default port) is accepted, as
 * Twilio's `validateRequest` accepts it, under both of Twilio's schemes (HMAC-SHA1 with the auth
 * token; a SharedKey's HMAC-SHA256 named by X-Twilio-Webhooks-Signature-Settings); a captured Mailgun signature cannot be replayed with
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
import { makeTenant } from '../../../test/helpers/api.js';
import { addChannel, expectRefused, storedCounts, useChannelsApi } from '../../../test/helpers/channels.js';
import { tenantWith } from '../../../test/helpers/rules.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { parseKeyring, sealedWith } from '../../platform/secrets.js';
import { inboundEvents } from '../ops/tables.js';
import { channels } from './tables.js';

const { api, config } = useChannelsApi();
// Secrets are sealed at rest in this file: the SharedKey secret is stored through the API, sealed.
config.secrets = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
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
const twilioInit = (
  form: Record<string, string>,
  signature: string,
  settings?: string,
  body = new URLSearchParams(form).toString(),
): RequestInit => ({
  method: 'POST',
  headers: {
    ...WEBHOOK_HEADERS,
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': signature,
    ...(settings === undefined ? {} : { [twilioSdk.SIGNATURE_SETTINGS_HEADER]: settings }),
  },
  body,
});
const postTwilio = (form: Record<string, string>, signature: string, settings?: string) =>
  fetch(`${api.url}/v1/inbound/twilio`, twilioInit(form, signature, settings));

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

describe('Twilio SharedKey signatures (X-Twilio-Webhooks-Signature-Settings) made by the twilio SDK', () => {
  const SHARED_NUMBER = '+15550100079';
  const SHARED_KEY_SECRET = randomBytes(24).toString('base64');
  const SETTINGS = `key=webhooks_sharedkey_${randomBytes(16).toString('hex')},algorithm=HMAC_SHA256`;
  const PUBLIC = 'https://desk.example.com';
  const URL_ = `${PUBLIC}/v1/inbound/twilio`;
  const { HMAC_SHA1, HMAC_SHA256 } = twilioSdk;
  const sign = (key: string, url: string, form: Record<string, string>, algorithm: string) =>
    twilioSdk.getExpectedTwilioSignature(key, url, form, algorithm);
  const refused = async (init: RequestInit) => {
    const problem = await expectRefused(api, '/v1/inbound/twilio', init, 401);
    expect(problem).toMatchObject({
      type: '/problems/unauthorized',
      detail: 'the webhook could not be verified',
    });
  };

  beforeAll(async () => {
    // Through the API, as an admin configures it: the SharedKey secret is one more channel secret.
    const tenant = await makeTenant(api.db);
    const made = await api.fetch('/v1/channels', {
      method: 'POST',
      token: tenant.keys.admin,
      body: JSON.stringify({
        kind: 'sms',
        name: 'SMS signed with a SharedKey',
        externalAccountId: SHARED_NUMBER,
        secrets: {
          accountSid: `AC${'1'.repeat(32)}`,
          authToken: AUTH_TOKEN,
          sharedKeySecret: SHARED_KEY_SECRET,
        },
      }),
    });
    expect(made.status).toBe(201);
    expect(await made.text()).not.toContain(SHARED_KEY_SECRET);
  });

  it('stores the SharedKey secret sealed, like every channel secret', async () => {
    const [row] = await withPlatform(api.db, (tx) =>
      tx.select().from(channels).where(eq(channels.externalAccountId, SHARED_NUMBER)),
    );
    expect(sealedWith(row!.secrets.sharedKeySecret!)).toBe('k1');
    expect(JSON.stringify(row!.secrets)).not.toContain(SHARED_KEY_SECRET);
  });

  it.each([
    ['the public URL', PUBLIC, SETTINGS],
    ['the URL with :443', `${PUBLIC}:443`, SETTINGS],
    ['the public URL, algorithm in lower case', PUBLIC, 'key=webhooks_sharedkey_x, algorithm=hmac_sha256'],
  ])(
    'accepts HMAC-SHA256 with the SharedKey secret over %s, as validateRequest does',
    async (_n, base, settings) => {
      config.publicUrl = PUBLIC;
      const form = twilioForm(SHARED_NUMBER);
      const algorithm = twilioSdk.getSignatureAlgorithm(settings);
      const signature = sign(SHARED_KEY_SECRET, `${base}/v1/inbound/twilio`, form, algorithm);
      expect(signature).not.toBe(sign(SHARED_KEY_SECRET, `${base}/v1/inbound/twilio`, form, HMAC_SHA1));
      expect(twilioSdk.validateRequest(SHARED_KEY_SECRET, signature, URL_, form, algorithm)).toBe(true);
      const before = await storedCounts(api.db);
      expect((await postTwilio(form, signature, settings)).status).toBe(200);
      expect((await storedCounts(api.db)).events).toBe(before.events + 1);
    },
  );

  it('a repeated form parameter is signed as the SDK signs it (distinct values, sorted)', async () => {
    config.publicUrl = PUBLIC;
    const form = twilioForm(SHARED_NUMBER);
    const values = ['https://media.example/b', 'https://media.example/a', 'https://media.example/b'];
    const signature = twilioSdk.getExpectedTwilioSignature(
      SHARED_KEY_SECRET,
      URL_,
      { ...form, MediaUrl0: values },
      HMAC_SHA256,
    );
    const body = new URLSearchParams(form);
    for (const v of values) body.append('MediaUrl0', v);
    const res = await fetch(
      `${api.url}/v1/inbound/twilio`,
      twilioInit(form, signature, SETTINGS, body.toString()),
    );
    expect(res.status).toBe(200);
  });

  it('a settings header without an algorithm: HMAC-SHA1 with the SharedKey secret (the SDK default)', async () => {
    config.publicUrl = PUBLIC;
    const settings = 'key=webhooks_sharedkey_only';
    expect(twilioSdk.getSignatureAlgorithm(settings)).toBe(HMAC_SHA1);
    const form = twilioForm(SHARED_NUMBER);
    expect((await postTwilio(form, sign(SHARED_KEY_SECRET, URL_, form, HMAC_SHA1), settings)).status).toBe(
      200,
    );
    // ... and not the auth token: a settings header means a SharedKey signed it.
    const other = twilioForm(SHARED_NUMBER);
    await refused(twilioInit(other, sign(AUTH_TOKEN, URL_, other, HMAC_SHA1), settings));
  });

  it('no settings header, or an empty one: the legacy HMAC-SHA1 with the auth token', async () => {
    config.publicUrl = PUBLIC;
    for (const settings of [undefined, '']) {
      const form = twilioForm(SHARED_NUMBER);
      expect(twilioSdk.getSignatureAlgorithm(settings)).toBe(HMAC_SHA1);
      expect((await postTwilio(form, sign(AUTH_TOKEN, URL_, form, HMAC_SHA1), settings)).status).toBe(200);
      // The SharedKey's HMAC-SHA256 without its header is not Twilio's legacy scheme.
      const other = twilioForm(SHARED_NUMBER);
      await refused(twilioInit(other, sign(SHARED_KEY_SECRET, URL_, other, HMAC_SHA256), settings));
    }
  });

  it('refuses an HMAC-SHA1 signature sent with an HMAC_SHA256 settings header (401), storing nothing', async () => {
    config.publicUrl = PUBLIC;
    const form = twilioForm(SHARED_NUMBER);
    for (const key of [SHARED_KEY_SECRET, AUTH_TOKEN]) {
      const signature = sign(key, URL_, form, HMAC_SHA1);
      expect(twilioSdk.validateRequest(key, signature, URL_, form, HMAC_SHA256)).toBe(false);
      await refused(twilioInit(form, signature, SETTINGS));
    }
  });

  it('refuses HMAC-SHA256 keyed with the auth token instead of the SharedKey secret (401)', async () => {
    config.publicUrl = PUBLIC;
    const form = twilioForm(SHARED_NUMBER);
    await refused(twilioInit(form, sign(AUTH_TOKEN, URL_, form, HMAC_SHA256), SETTINGS));
  });

  it('refuses a valid HMAC-SHA256 signature over a tampered body (401), storing nothing', async () => {
    config.publicUrl = PUBLIC;
    const form = twilioForm(SHARED_NUMBER);
    const signature = sign(SHARED_KEY_SECRET, URL_, form, HMAC_SHA256);
    const tampered = new URLSearchParams({ ...form, Body: 'Wire the money' }).toString();
    await refused(twilioInit(form, signature, SETTINGS, tampered));
    // The very same request untampered passes: the refusal was the body.
    expect((await postTwilio(form, signature, SETTINGS)).status).toBe(200);
  });

  it('refuses an algorithm the SDK does not know (401, as validateRequest returns false), storing nothing', async () => {
    config.publicUrl = PUBLIC;
    const form = twilioForm(SHARED_NUMBER);
    // Whatever a lenient reader might fall back to, none of these signatures passes.
    const signatures = [SHARED_KEY_SECRET, AUTH_TOKEN].flatMap((key) =>
      [HMAC_SHA1, HMAC_SHA256].map((algorithm) => sign(key, URL_, form, algorithm)),
    );
    for (const algorithm of ['HMAC_SHA512', 'sha256', 'NONE']) {
      const settings = SETTINGS.replace('HMAC_SHA256', algorithm);
      expect(() => sign(SHARED_KEY_SECRET, URL_, form, twilioSdk.getSignatureAlgorithm(settings))).toThrow(
        /Unsupported/,
      );
      for (const signature of signatures) await refused(twilioInit(form, signature, settings));
    }
  });

  it('refuses a SharedKey-signed webhook to a channel that has no SharedKey secret (the same 401)', async () => {
    config.publicUrl = PUBLIC;
    const form = twilioForm(NUMBER);
    await refused(twilioInit(form, sign(SHARED_KEY_SECRET, URL_, form, HMAC_SHA256), SETTINGS));
  });

  it("a JSON body (the SDK's bodySHA256 variant) cannot be routed: 400, storing nothing", async () => {
    // Twilio posts SMS webhooks as forms; the account is read from the form's To/From, so a JSON
    // body is malformed here whatever its signature.
    config.publicUrl = PUBLIC;
    const body = JSON.stringify(twilioForm(SHARED_NUMBER));
    const url = `${URL_}?bodySHA256=${twilioSdk.getExpectedBodyHash(body)}`;
    const signature = sign(SHARED_KEY_SECRET, url, {}, HMAC_SHA256);
    expect(twilioSdk.validateRequestWithBody(SHARED_KEY_SECRET, signature, url, body, HMAC_SHA256)).toBe(
      true,
    );
    const problem = await expectRefused(
      api,
      `/v1/inbound/twilio?bodySHA256=${twilioSdk.getExpectedBodyHash(body)}`,
      {
        method: 'POST',
        headers: {
          ...WEBHOOK_HEADERS,
          'content-type': 'application/json',
          'x-twilio-signature': signature,
          [twilioSdk.SIGNATURE_SETTINGS_HEADER]: SETTINGS,
        },
        body,
      },
      400,
    );
    expect(problem.type).toBe('/problems/bad-request');
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
      const { instance: _i, requestId: _r, ...body } = (await res.json()) as Record<string, unknown>;
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
