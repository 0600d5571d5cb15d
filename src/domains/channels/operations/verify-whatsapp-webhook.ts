/** GET /inbound/whatsapp/:phoneNumberId: WhatsApp's webhook verification handshake. */
import { operation } from '../../../platform/http/operation.js';
import { z } from '../../../platform/zod.js';
import { routeChannel } from '../inbound.js';
import { whatsappHandshake } from '../providers/whatsapp.js';

export const verifyWhatsappWebhookOperation = operation({
  method: 'get',
  path: '/inbound/whatsapp/:phoneNumberId',
  scope: 'public',
  tag: 'Inbound webhooks',
  operationId: 'inboundWhatsappVerify',
  summary: 'WhatsApp webhook verification: echoes hub.challenge when hub.verify_token matches',
  // Documentation only: the handshake answers a missing or wrong parameter itself (403), as Meta expects.
  openapiRequest: {
    params: z.object({ phoneNumberId: z.string() }),
    query: z.object({
      'hub.mode': z.string(),
      'hub.verify_token': z.string(),
      'hub.challenge': z.string(),
    }),
  },
  responses: { 200: { description: 'The challenge, as text' } },
  handler: async ({ c, platform }) => {
    // An unknown number answers like a wrong token (403): the handshake tells nobody which numbers exist.
    const channel = await routeChannel(platform, 'whatsapp', c.req.param('phoneNumberId') ?? '').catch(
      () => ({
        secrets: {},
      }),
    );
    return c.text(whatsappHandshake(new URL(c.req.url).searchParams, channel.secrets));
  },
});
