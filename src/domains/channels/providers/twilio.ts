/**
 * Twilio Programmable Messaging (SMS). One webhook URL takes both incoming messages and message
 * status callbacks (Twilio posts a form either way; a status callback carries MessageStatus).
 *
 * - Signature: `X-Twilio-Signature` = base64 HMAC of the full URL Twilio called followed by every
 *   form parameter (sorted by name) as name+value. Without `X-Twilio-Webhooks-Signature-Settings`
 *   it is HMAC-SHA1 keyed with the auth token; with that header (`key=<SharedKey sid>,
 *   algorithm=HMAC_SHA256`) Twilio signed with a SharedKey: keyed with the SharedKey's secret, the
 *   algorithm the header names (HMAC_SHA1 when it names none). The choice follows the twilio SDK's
 *   `webhook()` and `getSignatureAlgorithm`; an algorithm it does not know is refused.
 * - Routing: an incoming message's `To` (our number), a status callback's `From` (our number) =
 *   channels.external_account_id. Secrets: `accountSid`, `authToken`, optional `sharedKeySecret`.
 * - Sending: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, Basic AccountSid:AuthToken.
 *   No idempotency key exists; an attempt of unknown outcome is checked by listing the messages
 *   sent to the recipient since the attempt and matching the body.
 */
import { AppError } from '../../../platform/errors.js';
import { callProvider, hmac, parseForm, requireSecret, sameSignature, unauthorized } from './http.js';
import type { DeliveryState, InboundAdapter, InboundRequest, Transport, TransportContext } from './types.js';

export const SIGNATURE_SETTINGS_HEADER = 'x-twilio-webhooks-signature-settings';

/**
 * The algorithm named in X-Twilio-Webhooks-Signature-Settings, exactly as the SDK's
 * `getSignatureAlgorithm` reads it: the first non-empty `algorithm=` part, else HMAC_SHA1.
 */
export function signatureAlgorithm(settings: string | null | undefined): string {
  for (const part of (settings ?? '').split(',')) {
    const separator = part.indexOf('=');
    if (separator !== -1 && part.slice(0, separator).trim() === 'algorithm') {
      const algorithm = part.slice(separator + 1).trim();
      if (algorithm) return algorithm;
    }
  }
  return 'HMAC_SHA1';
}

/** The hash of a Twilio algorithm name (case-insensitive, as the SDK), or undefined if unknown. */
export function twilioHash(algorithm: string): 'sha1' | 'sha256' | undefined {
  const name = algorithm.toUpperCase();
  return name === 'HMAC_SHA1' ? 'sha1' : name === 'HMAC_SHA256' ? 'sha256' : undefined;
}

/**
 * The string Twilio signs: URL, then each parameter name and value, sorted by name; a repeated
 * parameter's distinct values sorted (as the twilio SDK's `getExpectedTwilioSignature`).
 */
export function twilioSignature(
  key: string,
  url: string,
  params: URLSearchParams,
  hash: 'sha1' | 'sha256' = 'sha1',
): string {
  const keys = [...new Set(params.keys())].sort();
  const data =
    url +
    keys
      .map((k) =>
        [...new Set(params.getAll(k))]
          .sort()
          .map((v) => k + v)
          .join(''),
      )
      .join('');
  return hmac(hash, key, data).toString('base64');
}

/** The URL as called, with the scheme's default port spelt out, and without it. */
export function urlSpellings(url: string): string[] {
  const parsed = new URL(url);
  const port = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
  // URL drops a default port from `host`, so splice it into the original text instead.
  const authority = /^(\w+:\/\/[^/?#]*?)(:\d+)?([/?#]|$)/.exec(url);
  if (!authority || !port) return [url];
  const rest = url.slice(authority[1]!.length + (authority[2]?.length ?? 0));
  const without = authority[1]! + rest;
  const withPort = `${authority[1]}:${port}${rest}`;
  if (authority[2] && authority[2] !== `:${port}`) return [url];
  return [...new Set([url, without, withPort])];
}

const STATUS: Record<string, DeliveryState> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
};

const isStatusCallback = (form: URLSearchParams) => form.has('MessageStatus') && !form.has('Body');

function required(form: URLSearchParams, name: string): string {
  const v = form.get(name)?.trim();
  if (!v) throw new AppError('bad_request', `the Twilio form has no ${name}`);
  return v;
}

export const twilioInbound: InboundAdapter = {
  provider: 'twilio',
  kind: 'sms',
  account(req) {
    const form = parseForm(req.rawBody);
    return required(form, isStatusCallback(form) ? 'From' : 'To');
  },
  verify(req: InboundRequest, secrets) {
    // A settings header (non-empty) means a SharedKey signed it, with the algorithm it names; none
    // means the legacy scheme: HMAC-SHA1 with the auth token (the SDK's webhook() decides so too).
    const settings = req.headers.get(SIGNATURE_SETTINGS_HEADER);
    const algorithm = signatureAlgorithm(settings);
    const hash = twilioHash(algorithm);
    if (!hash)
      throw unauthorized(`unsupported Twilio signature algorithm ${JSON.stringify(algorithm.slice(0, 40))}`);
    const key = requireSecret(secrets, settings ? 'sharedKeySecret' : 'authToken');
    const form = parseForm(req.rawBody);
    const presented = req.headers.get('x-twilio-signature');
    // Twilio may sign the URL with or without the scheme's default port; its own validateRequest takes both.
    if (!urlSpellings(req.url).some((url) => sameSignature(presented, twilioSignature(key, url, form, hash))))
      throw unauthorized(`invalid X-Twilio-Signature (${algorithm})`);
  },
  parse(req) {
    const form = parseForm(req.rawBody);
    const sid = required(form, 'MessageSid');
    const reply = {
      body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
      contentType: 'text/xml',
    };
    if (isStatusCallback(form)) {
      const providerStatus = required(form, 'MessageStatus');
      const status = STATUS[providerStatus];
      // queued/sending/accepted say nothing new: acknowledged, not recorded.
      if (!status) return { events: [], reply };
      const errorCode = form.get('ErrorCode') ?? undefined;
      return {
        reply,
        events: [
          {
            type: 'message.status',
            eventId: `${sid}:${providerStatus}`,
            providerMessageId: sid,
            status,
            providerStatus,
            ...(errorCode ? { errorCode } : {}),
          },
        ],
      };
    }
    return {
      reply,
      events: [
        {
          type: 'message.received',
          eventId: sid,
          identity: { kind: 'phone', value: required(form, 'From') },
          text: form.get('Body') ?? '',
          externalMessageId: sid,
        },
      ],
    };
  },
};

const auth = (ctx: TransportContext) => {
  const sid = requireSecret(ctx.secrets, 'accountSid');
  return {
    sid,
    header: `Basic ${Buffer.from(`${sid}:${requireSecret(ctx.secrets, 'authToken')}`).toString('base64')}`,
  };
};

export const twilioTransport: Transport = {
  async send(ctx, message) {
    const { sid, header } = auth(ctx);
    const body = new URLSearchParams({ To: message.to, From: ctx.account, Body: message.text });
    if (ctx.config.publicUrl)
      body.set('StatusCallback', new URL('/v1/inbound/twilio', ctx.config.publicUrl).toString());
    const answer = await callProvider(
      `${ctx.config.providers.twilio}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`,
      {
        headers: { authorization: header, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      },
      ctx.now,
    );
    return { providerMessageId: String(answer.sid) };
  },
  async lookup(ctx, message, since) {
    const { sid, header } = auth(ctx);
    const query = new URLSearchParams({
      To: message.to,
      From: ctx.account,
      'DateSent>': since.toISOString().slice(0, 10),
    });
    const answer = await callProvider(
      `${ctx.config.providers.twilio}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json?${query}`,
      { method: 'GET', headers: { authorization: header } },
      ctx.now,
    );
    const sent = (answer.messages as { sid: string; body: string }[] | undefined) ?? [];
    return sent.find((m) => m.body === message.text)?.sid;
  },
};
