/**
 * A local Twilio: the Messages API (create with Basic AccountSid:AuthToken and a form body; list
 * with To/From filters, for status checks) and the webhook side, signing forms the way Twilio
 * does (written from Twilio's documentation, not from Frontdesk's code).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { basicAuth, HttpFake } from './http-fake.js';

export interface TwilioSent {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
}

export class FakeTwilio extends HttpFake {
  readonly sent: TwilioSent[] = [];

  constructor(
    readonly accountSid = `AC${randomBytes(16).toString('hex')}`,
    readonly authToken = randomBytes(16).toString('hex'),
  ) {
    super((req) => {
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.path);
      if (!m) return { status: 404, body: { code: 20404, message: 'not found' } };
      const auth = basicAuth(req.headers.authorization);
      if (m[1] !== this.accountSid || auth?.user !== this.accountSid || auth.password !== this.authToken) {
        return { status: 401, body: { code: 20003, message: 'Authenticate' } };
      }
      if (req.method === 'GET') {
        const to = req.query.get('To');
        const from = req.query.get('From');
        const messages = this.sent.filter((s) => (!to || s.to === to) && (!from || s.from === from));
        return { status: 200, body: { messages } };
      }
      if (!/application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
        return { status: 400, body: { code: 21620, message: 'form body expected' } };
      }
      const form = new URLSearchParams(req.body);
      const [to, from, body] = [form.get('To'), form.get('From'), form.get('Body')];
      if (!to || !from || !body)
        return { status: 400, body: { code: 21604, message: 'To, From and Body are required' } };
      const message = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        to,
        from,
        body,
        statusCallback: form.get('StatusCallback'),
      };
      this.sent.push(message);
      return { status: 201, body: { ...message, status: 'queued', account_sid: this.accountSid } };
    });
  }

  /** X-Twilio-Signature for a POST of `params` to `url`. */
  sign(url: string, params: Record<string, string>): string {
    const data = Object.keys(params)
      .sort()
      .reduce((acc, key) => acc + key + params[key], url);
    return createHmac('sha1', this.authToken).update(data).digest('base64');
  }

  /** An incoming SMS as Twilio posts it to our webhook. */
  incoming(url: string, params: { From: string; To: string; Body: string; MessageSid?: string }) {
    const form: Record<string, string> = {
      MessageSid: params.MessageSid ?? `SM${randomBytes(16).toString('hex')}`,
      AccountSid: this.accountSid,
      From: params.From,
      To: params.To,
      Body: params.Body,
      NumMedia: '0',
      SmsStatus: 'received',
    };
    return this.request(url, form);
  }

  /** A message status callback. */
  statusCallback(url: string, message: TwilioSent, status: string) {
    return this.request(url, {
      MessageSid: message.sid,
      AccountSid: this.accountSid,
      From: message.from,
      To: message.to,
      MessageStatus: status,
    });
  }

  private request(url: string, form: Record<string, string>) {
    return {
      form,
      init: {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': this.sign(url, form),
        },
        body: new URLSearchParams(form).toString(),
      },
    };
  }
}
