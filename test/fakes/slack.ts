/**
 * A local Slack Web API (chat.postMessage, conversations.history/replies with message metadata,
 * Bearer bot token) and the Events API side: event envelopes signed `v0=` HMAC-SHA256 over
 * `v0:{timestamp}:{body}` with the signing secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { bearer, HttpFake } from './http-fake.js';

export interface SlackPosted {
  channel: string;
  text: string;
  ts: string;
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export class FakeSlack extends HttpFake {
  readonly sent: SlackPosted[] = [];
  private clock = 1_700_000_000;
  readonly teamId = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  readonly botToken = `xoxb-${randomBytes(12).toString('hex')}`;
  readonly signingSecret = randomBytes(16).toString('hex');

  constructor() {
    super((req) => {
      if (bearer(req.headers.authorization) !== this.botToken)
        return { status: 200, body: { ok: false, error: 'invalid_auth' } };
      if (req.path === '/chat.postMessage' && req.method === 'POST') {
        let body: Partial<SlackPosted>;
        try {
          body = JSON.parse(req.body);
        } catch {
          return { status: 200, body: { ok: false, error: 'invalid_json' } };
        }
        if (!body.channel) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        if (!body.text) return { status: 200, body: { ok: false, error: 'no_text' } };
        const posted: SlackPosted = {
          channel: body.channel,
          text: body.text,
          ts: `${this.clock++}.000100`,
          ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
          ...(body.metadata ? { metadata: body.metadata } : {}),
        };
        this.sent.push(posted);
        return { status: 200, body: { ok: true, channel: posted.channel, ts: posted.ts, message: posted } };
      }
      if (
        (req.path === '/conversations.history' || req.path === '/conversations.replies') &&
        req.method === 'GET'
      ) {
        const channel = req.query.get('channel');
        const all = req.query.get('include_all_metadata') === 'true';
        const thread = req.query.get('ts');
        const messages = this.sent
          .filter((m) => m.channel === channel && (!thread || m.thread_ts === thread || m.ts === thread))
          .map(({ metadata, ...m }) => (all && metadata ? { ...m, metadata } : m));
        return { status: 200, body: { ok: true, messages } };
      }
      return { status: 404, body: { ok: false, error: 'unknown_method' } };
    });
  }

  /** A signed Events API request; `timestamp` defaults to now (seconds). */
  signed(payload: unknown, options: { timestamp?: number; secret?: string } = {}) {
    return this.signedRaw(JSON.stringify(payload), options);
  }

  /** A signed request with an arbitrary body (malformed ones included). */
  signedRaw(raw: string, options: { timestamp?: number; secret?: string } = {}) {
    const ts = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', options.secret ?? this.signingSecret)
      .update(`v0:${ts}:${raw}`)
      .digest('hex')}`;
    return {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signature,
      },
      body: raw,
    };
  }

  messageEvent(
    user: string,
    channel: string,
    text: string,
    options: { eventId?: string; ts?: string; type?: string } = {},
  ) {
    const ts = options.ts ?? `${this.clock++}.000200`;
    return {
      token: 'legacy',
      team_id: this.teamId,
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: options.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: 1700000000,
      event: { type: options.type ?? 'message', user, text, ts, channel, channel_type: 'channel' },
    };
  }
}
