/**
 * A local WhatsApp Cloud API: POST /{version}/{phone_number_id}/messages with a Bearer token, and
 * the webhook side (notifications signed with X-Hub-Signature-256 over the raw body).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { bearer, HttpFake } from './http-fake.js';

export interface WhatsAppSent {
  id: string;
  phoneNumberId: string;
  to: string;
  text: string;
  callbackData: string | undefined;
}

export class FakeWhatsApp extends HttpFake {
  readonly sent: WhatsAppSent[] = [];

  constructor(
    readonly phoneNumberId = String(100_000_000_000 + Math.floor(Math.random() * 1e9)),
    readonly accessToken = `EAA${randomBytes(12).toString('hex')}`,
    readonly appSecret = randomBytes(16).toString('hex'),
  ) {
    super((req) => {
      const m = /^\/v\d+\.\d+\/([^/]+)\/messages$/.exec(req.path);
      if (!m || req.method !== 'POST')
        return { status: 404, body: { error: { message: 'Unknown path', code: 100 } } };
      if (bearer(req.headers.authorization) !== this.accessToken) {
        return { status: 401, body: { error: { message: 'Invalid OAuth access token', code: 190 } } };
      }
      if (m[1] !== this.phoneNumberId)
        return { status: 400, body: { error: { message: 'Unknown phone number', code: 100 } } };
      let body: {
        messaging_product?: string;
        to?: string;
        type?: string;
        text?: { body?: string };
        biz_opaque_callback_data?: string;
      };
      try {
        body = JSON.parse(req.body);
      } catch {
        return { status: 400, body: { error: { message: 'Invalid JSON', code: 100 } } };
      }
      if (body.messaging_product !== 'whatsapp' || body.type !== 'text' || !body.to || !body.text?.body) {
        return { status: 400, body: { error: { message: 'Invalid parameter', code: 100 } } };
      }
      const sent = {
        id: `wamid.${randomBytes(12).toString('hex')}`,
        phoneNumberId: m[1]!,
        to: body.to,
        text: body.text.body,
        callbackData: body.biz_opaque_callback_data,
      };
      this.sent.push(sent);
      return {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: sent.id }],
        },
      };
    });
  }

  private notify(value: Record<string, unknown>, secret = this.appSecret) {
    const raw = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: this.phoneNumberId },
                ...value,
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body: raw,
    };
  }

  incoming(from: string, text: string, options: { id?: string; name?: string; secret?: string } = {}) {
    const id = options.id ?? `wamid.${randomBytes(12).toString('hex')}`;
    return this.notify(
      {
        contacts: [{ profile: { name: options.name ?? 'Guest' }, wa_id: from }],
        messages: [{ from, id, timestamp: '1700000000', type: 'text', text: { body: text } }],
      },
      options.secret,
    );
  }

  status(sent: WhatsAppSent, status: 'sent' | 'delivered' | 'read' | 'failed') {
    return this.notify({
      statuses: [{ id: sent.id, status, timestamp: '1700000001', recipient_id: sent.to }],
    });
  }
}
