/**
 * Slack Events API (seed 000's agency bot). The app's Request URL is
 * `/v1/inbound/slack/{team_id}`: the workspace names the channel whose signing secret verifies.
 *
 * - Signature: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}">`
 *   keyed with the signing secret; the timestamp must be within 5 minutes.
 * - `url_verification` is answered with its challenge (after the signature check).
 * - Secrets: `signingSecret`, `botToken`. Event id: Slack's `event_id`; the message id is
 *   channel:ts, so a mention that arrives both as `message` and `app_mention` is stored once.
 * - Sending: chat.postMessage (Bearer bot token) in the thread, with our message id in the
 *   message metadata; an attempt of unknown outcome is checked with conversations.history.
 */
import { AppError } from '../../../platform/errors.js';
import {
  callProvider,
  hmac,
  parseJson,
  requireFresh,
  requireSecret,
  sameSignature,
  unauthorized,
} from './http.js';
import { type InboundAdapter, type Transport, type TransportContext, TransportError } from './types.js';

export const slackSignature = (signingSecret: string, timestamp: string, rawBody: string): string =>
  `v0=${hmac('sha256', signingSecret, `v0:${timestamp}:${rawBody}`).toString('hex')}`;

type Envelope = {
  type?: string;
  challenge?: string;
  team_id?: string;
  event_id?: string;
  event?: {
    type?: string;
    subtype?: string;
    bot_id?: string;
    user?: string;
    text?: string;
    ts?: string;
    thread_ts?: string;
    channel?: string;
  };
};

const METADATA_TYPE = 'frontdesk_message';

export const slackInbound: InboundAdapter = {
  provider: 'slack',
  kind: 'slack',
  account: (req) => req.params.teamId ?? '',
  verify(req, secrets) {
    const timestamp = req.headers.get('x-slack-request-timestamp');
    requireFresh(timestamp, req.now);
    const expected = slackSignature(requireSecret(secrets, 'signingSecret'), timestamp!, req.rawBody);
    if (!sameSignature(req.headers.get('x-slack-signature'), expected))
      throw unauthorized('invalid X-Slack-Signature');
  },
  parse(req) {
    const body = parseJson(req.rawBody) as Envelope;
    if (body?.type === 'url_verification') {
      if (typeof body.challenge !== 'string')
        throw new AppError('bad_request', 'url_verification without a challenge');
      return {
        events: [],
        reply: { body: JSON.stringify({ challenge: body.challenge }), contentType: 'application/json' },
      };
    }
    if (body?.type !== 'event_callback' || !body.event_id || !body.event) {
      throw new AppError('bad_request', 'not a Slack event_callback');
    }
    if (body.team_id !== req.params.teamId)
      throw new AppError('bad_request', 'the event is for another workspace');
    const e = body.event;
    const isUserMessage = (e.type === 'message' && !e.subtype) || e.type === 'app_mention';
    // Bots' messages (our own replies included), edits and joins are acknowledged and not stored.
    if (!isUserMessage || e.bot_id || !e.user || !e.ts || !e.channel) return { events: [] };
    return {
      events: [
        {
          type: 'message.received',
          eventId: body.event_id,
          identity: { kind: 'slack', value: e.user },
          text: e.text ?? '',
          externalMessageId: `${e.channel}:${e.ts}`,
          externalThreadId: e.thread_ts ?? e.ts,
          replyTo: e.channel,
        },
      ],
    };
  },
};

const bearer = (ctx: TransportContext) => `Bearer ${requireSecret(ctx.secrets, 'botToken')}`;

/** Slack answers 200 with `ok: false` for refusals; those are final. */
function okOrThrow(answer: Record<string, unknown>): Record<string, unknown> {
  if (answer.ok !== true)
    throw new TransportError(`Slack refused: ${String(answer.error)}`, false, String(answer.error));
  return answer;
}

export const slackTransport: Transport = {
  async send(ctx, message) {
    const answer = okOrThrow(
      await callProvider(
        `${ctx.config.providers.slack}/chat.postMessage`,
        {
          headers: { authorization: bearer(ctx), 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({
            channel: message.to,
            text: message.text,
            ...(message.threadId ? { thread_ts: message.threadId } : {}),
            metadata: { event_type: METADATA_TYPE, event_payload: { message_id: message.messageId } },
          }),
        },
        ctx.now,
      ),
    );
    return { providerMessageId: `${String(answer.channel)}:${String(answer.ts)}` };
  },
  async lookup(ctx, message, since) {
    const query = new URLSearchParams({
      channel: message.to,
      oldest: String(Math.floor(since.getTime() / 1000) - 60),
      include_all_metadata: 'true',
      limit: '200',
    });
    const answer = okOrThrow(
      await callProvider(
        `${ctx.config.providers.slack}/conversations.${message.threadId ? 'replies' : 'history'}?${query}${message.threadId ? `&ts=${encodeURIComponent(message.threadId)}` : ''}`,
        { method: 'GET', headers: { authorization: bearer(ctx) } },
        ctx.now,
      ),
    );
    type Posted = { ts: string; metadata?: { event_type?: string; event_payload?: { message_id?: string } } };
    const found = ((answer.messages as Posted[] | undefined) ?? []).find(
      (m) =>
        m.metadata?.event_type === METADATA_TYPE &&
        m.metadata.event_payload?.message_id === message.messageId,
    );
    return found ? `${message.to}:${found.ts}` : undefined;
  },
};
