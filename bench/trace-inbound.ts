/**
 * The statements one inbound webhook's acknowledgement sends (WhatsApp, as the inbound bench
 * sends it), printed in order:  npx tsx bench/trace-inbound.ts [postgres|pglite]
 */
import { createHmac } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { channels } from '../src/domains/channels/tables.js';
import { withPlatform, withTenant } from '../src/platform/db/tenant.js';
import { createLogger } from '../src/platform/logger.js';
import { tenants } from '../src/schema/tenants.js';
import { listen } from '../src/server.js';
import { freshDatabase } from './lib/engines.js';

const engine = (process.argv[2] ?? 'postgres') as 'pglite' | 'postgres';
const log: string[] = [];
let on = false;
const cq = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  if (on) log.push(typeof a[0] === 'string' ? a[0] : ((a[0] as { text?: string })?.text ?? String(a[0])));
  return (cq as (...x: unknown[]) => unknown).apply(this, a);
} as never;
const target = await freshDatabase(engine, 'postgres://postgres@127.0.0.1:5432/postgres');
const db = target.db;
const [tenant] = await withPlatform(db, (tx) =>
  tx.insert(tenants).values({ slug: 'trace', name: 'T' }).returning(),
);
await withTenant(db, tenant!.id, (tx) =>
  tx.insert(channels).values({
    tenantId: tenant!.id,
    kind: 'whatsapp',
    name: 'W',
    externalAccountId: '1098765432101',
    secrets: { appSecret: 's3cret' },
  }),
);
const app = createApp({ db, logger: createLogger('silent') });
await app.platform.jobs.start();
const server = await listen(app, '127.0.0.1', 0);
const send = (n: number) => {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'w',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: '1098765432101', display_phone_number: '1' },
              contacts: [{ wa_id: '15550001', profile: { name: 'G' } }],
              messages: [{ id: `wamid.${n}`, from: '15550001', type: 'text', text: { body: 'hi' } }],
            },
          },
        ],
      },
    ],
  });
  const sig = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
  return fetch(`${server.url}/v1/inbound/whatsapp/1098765432101`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig },
    body,
  });
};
for (let i = 0; i < 3; i++) await (await send(i)).text();
on = true;
const r = await send(99);
await r.text();
on = false;
console.log(`--- ${engine} inbound ${r.status}: ${log.length} calls`);
for (const l of log) console.log('  ', l.replace(/\s+/g, ' ').slice(0, Number(process.env.WIDTH ?? 200)));
await server.close();
await app.platform.jobs.stop();
await target.drop();
process.exit(0);
