/**
 * A local Telegram Bot API: POST /bot{token}/sendMessage, and the webhook side (updates carrying
 * the secret token in X-Telegram-Bot-Api-Secret-Token). A 429 answers like Telegram, with
 * retry_after in the body and the Retry-After header.
 */
import { randomBytes } from 'node:crypto';
import { HttpFake } from './http-fake.js';

export interface TelegramSent {
  chatId: string;
  text: string;
  messageId: number;
}

export class FakeTelegram extends HttpFake {
  readonly sent: TelegramSent[] = [];
  private nextId = 1;
  private nextUpdate = 1000;
  readonly botId = String(7_000_000_000 + Math.floor(Math.random() * 1e8));
  readonly botToken = `${this.botId}:AA${randomBytes(16).toString('hex')}`;
  readonly webhookSecret = randomBytes(12).toString('hex');

  constructor() {
    super((req) => {
      const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.path);
      if (!m || req.method !== 'POST')
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
      if (m[1] !== this.botToken)
        return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
      let body: { chat_id?: string | number; text?: string };
      try {
        body = JSON.parse(req.body);
      } catch {
        return {
          status: 400,
          body: { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' },
        };
      }
      if (body.chat_id === undefined || !body.text) {
        return {
          status: 400,
          body: { ok: false, error_code: 400, description: 'Bad Request: chat_id and text are required' },
        };
      }
      const sent = { chatId: String(body.chat_id), text: body.text, messageId: this.nextId++ };
      this.sent.push(sent);
      return {
        status: 200,
        body: {
          ok: true,
          result: { message_id: sent.messageId, chat: { id: Number(body.chat_id) }, text: sent.text },
        },
      };
    });
  }

  rateLimitNext(seconds: number): void {
    this.failNext(429, {
      retryAfterSeconds: seconds,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests',
        parameters: { retry_after: seconds },
      },
    });
  }

  incoming(fromId: number, text: string, options: { secret?: string; updateId?: number } = {}) {
    const update = {
      update_id: options.updateId ?? this.nextUpdate++,
      message: {
        message_id: this.nextId++,
        from: { id: fromId, is_bot: false, first_name: 'Ana' },
        chat: { id: fromId, type: 'private' },
        date: 1700000000,
        text,
      },
    };
    return {
      update,
      init: {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': options.secret ?? this.webhookSecret,
        },
        body: JSON.stringify(update),
      },
    };
  }
}
