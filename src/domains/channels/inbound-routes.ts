/**
 * Public webhook endpoints the providers call (no Frontdesk credentials: each request proves
 * itself with the provider's signature, checked against the receiving channel's secrets).
 * Answers: 200 acknowledged (also for a duplicate), 400 malformed, 401 bad signature, stale
 * timestamp, replay or unknown account (one answer); nothing is stored unless the answer is 200.
 */
import type { Context } from 'hono';
import { AppError } from '../../platform/errors.js';
import type { AppEnv } from '../../platform/http/context.js';
import { type ApiContext, route } from '../../platform/http/route.js';
import { z } from '../../platform/zod.js';
import { acceptInbound, routeChannel } from './inbound.js';
import { INBOUND_ADAPTERS } from './providers/index.js';
import type { InboundAdapter } from './providers/types.js';
import { whatsappHandshake } from './providers/whatsapp.js';

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

export function registerInboundRoutes(api: ApiContext): void {
  for (const entry of INBOUND) {
    const adapter: InboundAdapter = INBOUND_ADAPTERS[entry.provider];
    route(api, {
      method: 'post',
      path: entry.path,
      role: 'public',
      tag: 'Inbound webhooks',
      operationId: `inbound${entry.provider[0]!.toUpperCase()}${entry.provider.slice(1)}`,
      summary: entry.summary,
      request: { ...pathParams(entry.path), body: { content: entry.content } },
      responses: acknowledged,
      handler: async (c) => {
        const reply = await acceptInbound(api.platform, adapter, {
          method: c.req.method,
          url: calledUrl(c, api.platform.config.publicUrl),
          headers: c.req.raw.headers,
          rawBody: await formBody(c),
          params: c.req.param() as Record<string, string>,
          now: api.platform.clock.now(),
        });
        return reply ? c.body(reply.body, 200, { 'content-type': reply.contentType }) : c.text('ok');
      },
    });
  }
  route(api, {
    method: 'get',
    path: '/inbound/whatsapp/:phoneNumberId',
    role: 'public',
    tag: 'Inbound webhooks',
    operationId: 'inboundWhatsappVerify',
    summary: 'WhatsApp webhook verification: echoes hub.challenge when hub.verify_token matches',
    request: {
      params: z.object({ phoneNumberId: z.string() }),
      query: z.object({
        'hub.mode': z.string(),
        'hub.verify_token': z.string(),
        'hub.challenge': z.string(),
      }),
    },
    responses: { 200: { description: 'The challenge, as text' } },
    handler: async (c) => {
      // An unknown number answers like a wrong token (403): the handshake tells nobody which numbers exist.
      const channel = await routeChannel(api.platform, 'whatsapp', c.req.param('phoneNumberId') ?? '').catch(
        () => ({ secrets: {} }),
      );
      const query = new URL(c.req.url).searchParams;
      return c.text(whatsappHandshake(query, channel.secrets));
    },
  });
}
