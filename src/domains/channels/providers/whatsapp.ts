/**
 * WhatsApp Cloud API. The callback URL names the phone-number id
 * (`/v1/inbound/whatsapp/{phone_number_id}`), for Meta's GET verification handshake
 * (`hub.mode=subscribe`, `hub.verify_token`, answered with `hub.challenge`) and for the POSTed
 * notifications, which carry messages and message statuses (sent, delivered, read, failed).
 *
 * - Signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`.
 * - Secrets: `appSecret`, `verifyToken`, `accessToken`.
 * - Sending: POST /v21.0/{phone_number_id}/messages, Bearer access token. Meta offers neither an
 *   idempotency key nor a way to look a sent message up, so an attempt of unknown outcome is
 *   resent (at least once); `biz_opaque_callback_data` carries our message id into status callbacks.
 */
import { AppError } from '../../../platform/errors.js';
import { callProvider, hmac, parseJson, requireSecret, sameSignature, unauthorized } from './http.js';
import {
  type DeliveryState,
  type InboundAdapter,
  type NormalizedEvent,
  type Transport,
  TransportError,
} from './types.js';

export const GRAPH_VERSION = 'v21.0';

export const whatsappSignature = (appSecret: string, rawBody: string): string =>
  `sha256=${hmac('sha256', appSecret, rawBody).toString('hex')}`;

type Value = {
  metadata?: { phone_number_id?: string };
  contacts?: { wa_id?: string; profile?: { name?: string } }[];
  messages?: {
    id?: string;
    from?: string;
    type?: string;
    text?: { body?: string };
    context?: { id?: string };
  }[];
  statuses?: { id?: string; status?: string; errors?: { code?: number; title?: string }[] }[];
};
type Notification = { object?: string; entry?: { changes?: { field?: string; value?: Value }[] }[] };

const STATUS: Record<string, DeliveryState> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

function changesFor(body: Notification, phoneNumberId: string): Value[] {
  if (body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) {
    throw new AppError('bad_request', 'not a WhatsApp Business Account notification');
  }
  return body.entry
    .flatMap((e) => (Array.isArray(e.changes) ? e.changes : []))
    .filter((c) => c.field === 'messages' && c.value?.metadata?.phone_number_id === phoneNumberId)
    .map((c) => c.value as Value);
}

function eventsOf(value: Value): NormalizedEvent[] {
  const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
  const received: NormalizedEvent[] = (value.messages ?? [])
    .filter((m) => m.id && m.from)
    .map((m) => {
      const name = names.get(m.from);
      return {
        type: 'message.received',
        eventId: m.id!,
        identity: { kind: 'phone', value: m.from!, ...(name ? { displayName: name } : {}) },
        // Non-text messages (images, locations…) are kept as a placeholder with their type.
        text: m.type === 'text' ? (m.text?.body ?? '') : `[${m.type ?? 'unknown'} message]`,
        externalMessageId: m.id!,
        metadata: { whatsappType: m.type ?? 'unknown' },
      };
    });
  const statuses: NormalizedEvent[] = (value.statuses ?? [])
    .filter((s) => s.id && s.status && STATUS[s.status])
    .map((s) => {
      const error = s.errors?.[0];
      return {
        type: 'message.status',
        eventId: `${s.id}:${s.status}`,
        providerMessageId: s.id!,
        status: STATUS[s.status!]!,
        providerStatus: s.status!,
        ...(error ? { errorCode: String(error.code ?? ''), errorMessage: error.title ?? '' } : {}),
      };
    });
  return [...received, ...statuses];
}

export const whatsappInbound: InboundAdapter = {
  provider: 'whatsapp',
  kind: 'whatsapp',
  account: (req) => req.params.phoneNumberId ?? '',
  verify(req, secrets) {
    const expected = whatsappSignature(requireSecret(secrets, 'appSecret'), req.rawBody);
    if (!sameSignature(req.headers.get('x-hub-signature-256'), expected))
      throw unauthorized('invalid X-Hub-Signature-256');
  },
  parse(req) {
    const values = changesFor(parseJson(req.rawBody) as Notification, req.params.phoneNumberId ?? '');
    return { events: values.flatMap(eventsOf) };
  },
};

/** Meta's GET handshake: the challenge back when the verify token matches, else 403. */
export function whatsappHandshake(query: URLSearchParams, secrets: Record<string, string>): string {
  const token = secrets.verifyToken;
  if (
    query.get('hub.mode') !== 'subscribe' ||
    !token ||
    !sameSignature(query.get('hub.verify_token'), token)
  ) {
    throw new AppError('forbidden', 'the verify token does not match');
  }
  const challenge = query.get('hub.challenge');
  if (!challenge) throw new AppError('bad_request', 'hub.challenge is missing');
  return challenge;
}

export const whatsappTransport: Transport = {
  async send(ctx, message) {
    const answer = await callProvider(
      `${ctx.config.providers.whatsapp}/${GRAPH_VERSION}/${encodeURIComponent(ctx.account)}/messages`,
      {
        headers: {
          authorization: `Bearer ${requireSecret(ctx.secrets, 'accessToken')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: message.to.replace(/^\+/, ''),
          type: 'text',
          text: { body: message.text },
          biz_opaque_callback_data: message.messageId,
          ...(message.threadId ? { context: { message_id: message.threadId } } : {}),
        }),
      },
      ctx.now,
    );
    const id = (answer.messages as { id?: string }[] | undefined)?.[0]?.id;
    if (!id) throw new TransportError('WhatsApp answered without a message id', false, 'bad_response');
    return { providerMessageId: id };
  },
};
