/**
 * Telegram Bot API. Each bot's webhook (set with `setWebhook`, `secret_token`) is
 * `/v1/inbound/telegram/{bot_id}`, the bot id being the number before the colon of its token.
 *
 * - Verification: Telegram sends the `secret_token` back in `X-Telegram-Bot-Api-Secret-Token`
 *   (no signature, no timestamp: the secret is the credential, compared in constant time).
 * - Secrets: `botToken`, `webhookSecret`. Event id: the update_id, scoped by bot.
 * - Sending: POST /bot{token}/sendMessage. Telegram has no idempotency key and no way to look a
 *   sent message up, so an attempt of unknown outcome is resent (at least once).
 */
import { AppError } from '../../../platform/errors.js';
import { callProvider, parseJson, requireSecret, sameSignature, unauthorized } from './http.js';
import { type InboundAdapter, type Transport, TransportError } from './types.js';

type Update = {
  update_id?: number;
  message?: {
    message_id?: number;
    from?: { id?: number; is_bot?: boolean; first_name?: string; last_name?: string; username?: string };
    chat?: { id?: number };
    text?: string;
    caption?: string;
  };
};

export const telegramInbound: InboundAdapter = {
  provider: 'telegram',
  kind: 'telegram',
  account: (req) => req.params.botId ?? '',
  verify(req, secrets) {
    const expected = requireSecret(secrets, 'webhookSecret');
    if (!sameSignature(req.headers.get('x-telegram-bot-api-secret-token'), expected)) {
      throw unauthorized('invalid X-Telegram-Bot-Api-Secret-Token');
    }
  },
  parse(req) {
    const update = parseJson(req.rawBody) as Update;
    if (typeof update?.update_id !== 'number')
      throw new AppError('bad_request', 'not a Telegram update (no update_id)');
    const m = update.message;
    // Edits, channel posts, callbacks and bots' own messages are acknowledged and not stored.
    if (!m || typeof m.message_id !== 'number' || !m.from?.id || m.from.is_bot || m.chat?.id === undefined) {
      return { events: [] };
    }
    const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ') || m.from.username;
    return {
      events: [
        {
          type: 'message.received',
          eventId: `${req.params.botId}:${update.update_id}`,
          identity: { kind: 'telegram', value: String(m.from.id), ...(name ? { displayName: name } : {}) },
          text: m.text ?? m.caption ?? '',
          externalMessageId: `${m.chat.id}:${m.message_id}`,
          replyTo: String(m.chat.id),
        },
      ],
    };
  },
};

export const telegramTransport: Transport = {
  async send(ctx, message) {
    const token = requireSecret(ctx.secrets, 'botToken');
    const answer = await callProvider(
      `${ctx.config.providers.telegram}/bot${token}/sendMessage`,
      {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: message.to, text: message.text }),
      },
      ctx.now,
    );
    const result = answer.result as { message_id?: number; chat?: { id?: number } } | undefined;
    if (answer.ok !== true || result?.message_id === undefined) {
      throw new TransportError('Telegram answered without a message', false, 'bad_response');
    }
    return { providerMessageId: `${result.chat?.id ?? message.to}:${result.message_id}` };
  },
};
