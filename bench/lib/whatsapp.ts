/**
 * The WhatsApp Cloud API channel the inbound benches and traces send to: a tenant with one
 * WhatsApp channel, and signed notifications of one text message each.
 */
import { createHmac } from 'node:crypto';
import { channels } from '../../src/domains/channels/tables.js';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { tenants } from '../../src/schema/tenants.js';

export const PHONE_NUMBER_ID = '1098765432101';
const APP_SECRET = 'bench-app-secret';
/** Where a notification for the channel is posted, below the server's URL. */
export const WHATSAPP_PATH = `/v1/inbound/whatsapp/${PHONE_NUMBER_ID}`;

/** A tenant (no AI agent) with the WhatsApp channel. */
export async function whatsappTenant(db: Database, slug: string) {
  const [tenant] = await withPlatform(db, (tx) =>
    tx
      .insert(tenants)
      .values({ slug, name: `Bench ${slug}` })
      .returning(),
  );
  const tenantId = tenant!.id;
  const [channel] = await withTenant(db, tenantId, (tx) =>
    tx
      .insert(channels)
      .values({
        tenantId,
        kind: 'whatsapp',
        name: 'Bench WhatsApp',
        externalAccountId: PHONE_NUMBER_ID,
        secrets: { appSecret: APP_SECRET },
      })
      .returning(),
  );
  return { tenantId, channelId: channel!.id };
}

/** A WhatsApp Cloud API notification with one text message, and its signature. */
export function notification(messageId: string, from: string) {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'waba-bench',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: PHONE_NUMBER_ID, display_phone_number: '15550100100' },
              contacts: [{ wa_id: from, profile: { name: 'Bench Guest' } }],
              messages: [{ id: messageId, from, type: 'text', text: { body: `hello ${messageId}` } }],
            },
          },
        ],
      },
    ],
  });
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
}

/** Sends `count` WhatsApp notifications from 50 senders to `serverUrl`, four at a time; each must answer 200. */
export async function sendNotifications(serverUrl: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) {
        const n = next++;
        const res = await fetch(`${serverUrl}${WHATSAPP_PATH}`, {
          method: 'POST',
          ...notification(`wamid.${n}`, `1555${String(n % 50).padStart(7, '0')}`),
        });
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      }
    }),
  );
}
