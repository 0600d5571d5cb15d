/**
 * Email. Inbound: an inbound-parse webhook in Mailgun's shape (`POST /v1/inbound/email`, a form
 * with recipient, sender, subject, body-plain, stripped-text, Message-Id, and the signature
 * fields timestamp, token, signature = hex HMAC-SHA256 of timestamp+token keyed with the signing
 * key, timestamp within 5 minutes). The recipient address routes to the channel
 * (channels.external_account_id, lower case). Secrets: `signingKey`; optionally `smtpUrl`.
 *
 * Outbound: SMTP through nodemailer (the channel's `smtpUrl` secret, else FRONTDESK_SMTP_URL),
 * from the channel's address, threaded with In-Reply-To/References. The Message-ID is derived from
 * our message id, so a resent attempt carries the same Message-ID and receiving systems that
 * dedupe by it show one message (SMTP itself has no idempotency or status lookup).
 */
import { AppError } from '../../../platform/errors.js';
import { hmac, parseForm, requireFresh, requireSecret, sameSignature, unauthorized } from './http.js';
import { type InboundAdapter, type Transport, TransportError } from './types.js';

export const mailgunSignature = (signingKey: string, timestamp: string, token: string): string =>
  hmac('sha256', signingKey, timestamp + token).toString('hex');

export const emailMessageId = (messageId: string): string => `<${messageId}@frontdesk.local>`;

/** The attachments a multipart email carried (names, types, sizes; see operations/inbound-webhooks.ts). */
function attachmentsOf(form: URLSearchParams): { attachments?: unknown[] } {
  try {
    const list = JSON.parse(form.get('x-frontdesk-attachments') ?? 'null') as unknown;
    return Array.isArray(list) ? { attachments: list.slice(0, 100) } : {};
  } catch {
    return {};
  }
}

export const emailInbound: InboundAdapter = {
  provider: 'email',
  kind: 'email',
  account(req) {
    const recipient = parseForm(req.rawBody).get('recipient')?.trim().toLowerCase();
    if (!recipient) throw new AppError('bad_request', 'the inbound email has no recipient');
    return recipient;
  },
  verify(req, secrets) {
    const form = parseForm(req.rawBody);
    const timestamp = form.get('timestamp');
    requireFresh(timestamp, req.now);
    const expected = mailgunSignature(
      requireSecret(secrets, 'signingKey'),
      timestamp!,
      form.get('token') ?? '',
    );
    if (!form.get('token') || !sameSignature(form.get('signature'), expected))
      throw unauthorized('invalid signature');
  },
  nonce: (req) => parseForm(req.rawBody).get('token') ?? undefined,
  parse(req) {
    const form = parseForm(req.rawBody);
    const sender = form.get('sender')?.trim();
    const id = form.get('Message-Id')?.trim();
    if (!sender || !id) throw new AppError('bad_request', 'the inbound email needs sender and Message-Id');
    const fromName = /^\s*"?([^"<]+?)"?\s*</.exec(form.get('from') ?? '')?.[1];
    const subject = form.get('subject') ?? '';
    return {
      events: [
        {
          type: 'message.received',
          eventId: id,
          identity: { kind: 'email', value: sender, ...(fromName ? { displayName: fromName } : {}) },
          text: form.get('stripped-text') ?? form.get('body-plain') ?? '',
          externalMessageId: id,
          metadata: { subject, emailMessageId: id, ...attachmentsOf(form) },
        },
      ],
    };
  },
};

export const emailTransport: Transport = {
  idempotent: true,
  async send(ctx, message) {
    const url = ctx.secrets.smtpUrl ?? ctx.config.providers.smtp;
    if (!url)
      throw new TransportError('no SMTP server is configured (FRONTDESK_SMTP_URL)', false, 'not_configured');
    // Loaded on the first email sent, not at start (some 60 modules; docs/operations.md).
    const { default: nodemailer } = await import('nodemailer');
    const transport = nodemailer.createTransport(url);
    try {
      const info = await transport.sendMail({
        from: ctx.account,
        to: message.to,
        subject: message.subject ?? 'Your conversation',
        text: message.text,
        messageId: emailMessageId(message.messageId),
        ...(message.threadId ? { inReplyTo: message.threadId, references: [message.threadId] } : {}),
      });
      return { providerMessageId: info.messageId };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 4xx SMTP replies and connection failures are temporary; 5xx replies are final.
      const retryable = code === undefined || code < 500;
      throw new TransportError(
        `SMTP: ${(error as Error).message}`,
        retryable,
        code ? String(code) : 'network',
        undefined,
        code === undefined,
      );
    } finally {
      transport.close();
    }
  },
};
