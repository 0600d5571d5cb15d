/**
 * The statements one inbound webhook's acknowledgement sends (WhatsApp, as the inbound bench
 * sends it), printed in order:  npx tsx bench/trace-inbound.ts [postgres|pglite]
 */
import { createApp } from '../src/app.js';
import { createLogger } from '../src/platform/logger.js';
import { listen } from '../src/server.js';
import { freshDatabase } from './lib/engines.js';
import { recordStatements } from './lib/statements.js';
import { notification, WHATSAPP_PATH, whatsappTenant } from './lib/whatsapp.js';

const engine = (process.argv[2] ?? 'postgres') as 'pglite' | 'postgres';
const target = await freshDatabase(engine, 'postgres://postgres@127.0.0.1:5432/postgres');
const db = target.db;
const statements = recordStatements(db);
await whatsappTenant(db, 'trace');
const app = createApp({ db, logger: createLogger('silent') });
await app.platform.jobs.start();
const server = await listen(app, '127.0.0.1', 0);
const send = (n: number) =>
  fetch(`${server.url}${WHATSAPP_PATH}`, { method: 'POST', ...notification(`wamid.${n}`, '15550001') });
for (let i = 0; i < 3; i++) await (await send(i)).text();
const r = await statements.during(async () => (await send(99)).text());
console.log(`--- ${engine} inbound: ${r.length} calls`);
for (const l of r) console.log('  ', l.replace(/\s+/g, ' ').slice(0, Number(process.env.WIDTH ?? 200)));
await server.close();
await app.platform.jobs.stop();
await target.drop();
process.exit(0);
