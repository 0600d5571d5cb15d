/**
 * POST /inbound/<provider>: the public webhook endpoints the providers call, one operation per
 * provider from the table below (no Frontdesk credentials: each request proves itself with the
 * provider's signature, checked against the receiving channel's secrets).
 * Answers: 200 acknowledged (also for a duplicate), 400 malformed, 401 bad signature, stale
 * timestamp, replay or unknown account (one answer); nothing is stored unless the answer is 200.
 */
import type { Context } from 'hono';
import { AppError } from '../../../platform/errors.js';
import type { AppEnv } from '../../../platform/http/context.js';
import { type AnyOperation, operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { acceptInbound } from '../inbound.js';
import { INBOUND_ADAPTERS } from '../providers/index.js';
import type { InboundAdapter } from '../providers/types.js';

/** The URL as the provider called it (Twilio signs it): the public URL when configured. */
function calledUrl(c: Context<AppEnv>, publicUrl: string | undefined): string {
  if (!publicUrl) return c.req.url;
  const u = new URL(c.req.url);
  return `${publicUrl.replace(/\/$/, '')}${u.pathname}${u.search}`;
}

/**
 * The body as the adapters read it. A multipart form (inbound email with attachments, as
 * providers post it) becomes the url-encoded form of its text fields, plus
 * `x-frontdesk-attachments`: the attachments' names, types and sizes as JSON (their bytes are not
 * kept). Mailgun's signature covers timestamp and token only, so nothing signed is altered.
 */
async function formBody(c: Context<AppEnv>): Promise<string> {
  if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) return c.req.text();
  let data: FormData;
  try {
    data = await c.req.formData();
  } catch {
    throw new AppError('bad_request', 'the multipart body cannot be read');
  }
  const fields = new URLSearchParams();
  const attachments: { name: string; contentType: string; size: number }[] = [];
  for (const [name, value] of data.entries()) {
    if (typeof value === 'string') fields.append(name, value);
    else attachments.push({ name: value.name || name, contentType: value.type, size: value.size });
  }
  fields.delete('x-frontdesk-attachments');
  if (attachments.length) fields.set('x-frontdesk-attachments', JSON.stringify(attachments));
  return fields.toString();
}

const form = { 'application/x-www-form-urlencoded': { schema: z.object({}).catchall(z.string()) } };
const emailForm = {
  ...form,
  'multipart/form-data': {
    schema: z.object({}).catchall(z.union([z.string(), z.string().openapi({ format: 'binary' })])),
  },
};
const json = { 'application/json': { schema: z.object({}).catchall(z.unknown()) } };
const acknowledged = {
  200: { description: 'Acknowledged (a redelivered event is acknowledged and ignored)' },
};

const INBOUND = [
  {
    provider: 'twilio',
    path: '/inbound/twilio',
    content: form,
    summary: 'Twilio SMS webhook: incoming messages and status callbacks (X-Twilio-Signature)',
  },
  {
    provider: 'whatsapp',
    path: '/inbound/whatsapp/:phoneNumberId',
    content: json,
    summary: 'WhatsApp Cloud API notifications: messages and statuses (X-Hub-Signature-256)',
  },
  {
    provider: 'telegram',
    path: '/inbound/telegram/:botId',
    content: json,
    summary: 'Telegram Bot API webhook (X-Telegram-Bot-Api-Secret-Token)',
  },
  {
    provider: 'slack',
    path: '/inbound/slack/:teamId',
    content: json,
    summary: 'Slack Events API request URL, url_verification included (v0 signature, 5-minute window)',
  },
  {
    provider: 'email',
    path: '/inbound/email',
    content: emailForm,
    summary:
      'Inbound email, Mailgun-style parse webhook (timestamp/token/signature), url-encoded or multipart with attachments',
  },
] as const;

const pathParams = (path: string) => {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return names.length ? { params: z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) } : {};
};

/** The webhook operation of one provider: its signature checked, then the event accepted. */
function inboundOperation(entry: (typeof INBOUND)[number]): AnyOperation {
  const adapter: InboundAdapter = INBOUND_ADAPTERS[entry.provider];
  return operation({
    method: 'post',
    path: entry.path,
    scope: 'public',
    tag: 'Inbound webhooks',
    operationId: `inbound${entry.provider[0]!.toUpperCase()}${entry.provider.slice(1)}`,
    summary: entry.summary,
    // The body is read raw (the signature covers its bytes): documented, not parsed here.
    request: { ...pathParams(entry.path), rawBody: { content: entry.content } },
    responses: acknowledged,
    handler: async ({ c, platform, clock }) => {
      const reply = await acceptInbound(platform, adapter, {
        method: c.req.method,
        url: calledUrl(c, platform.config.publicUrl),
        headers: c.req.raw.headers,
        rawBody: await formBody(c),
        params: c.req.param() as Record<string, string>,
        now: clock.now(),
      });
      return reply ? c.body(reply.body, 200, { 'content-type': reply.contentType }) : c.text('ok');
    },
  });
}

export const inboundWebhookOperations: AnyOperation[] = INBOUND.map(inboundOperation);
