/**
 * The WhatsApp Cloud API channel the inbound benches and traces send to: a tenant with one
 * WhatsApp channel, and signed notifications of one text message each.
 */
import { createHmac } from 'node:crypto';
import { createApp } from '../../src/app.js';
import { channels } from '../../src/domains/channels/tables.js';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';
import { tenants } from '../../src/schema/tenants.js';
import { listen } from '../../src/server.js';
import { freshDatabase } from './engines.js';
import { recordStatements } from './statements.js';

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

/**
 * What a trace script (bench/trace-*.ts) runs on: a fresh database on the engine named on the
 * command line, its statements recorded, the WhatsApp tenant, and the app serving on loopback
 * (its jobs not started). `close()` stops the server and the jobs and drops the database.
 */
export async function traceServer(slug: string) {
  const engine = (process.argv[2] ?? 'postgres') as 'pglite' | 'postgres';
  const target = await freshDatabase(engine, 'postgres://postgres@127.0.0.1:5432/postgres', { poolSize: 10 });
  const db = target.db;
  const statements = recordStatements(db);
  await whatsappTenant(db, slug);
  const app = createApp({ db, logger: createLogger('silent') });
  const server = await listen(app, '127.0.0.1', 0);
  const close = async () => {
    await server.close();
    await app.platform.jobs.stop();
    await target.drop();
  };
  return { engine, db, statements, app, server, close };
}
