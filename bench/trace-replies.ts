/**
 * What a backlog of reply decisions costs: N WhatsApp messages to a tenant without an AI agent
 * are stored (only the inbound workers run), then the reply workers start and decide them all
 * ("no agent answers this conversation"). Prints the time, the rate and the statements the
 * reply workers sent, by kind:  N=300 npx tsx bench/trace-replies.ts [postgres|pglite]
 */
import { sql } from 'drizzle-orm';
import { rows } from '../src/platform/db/database.js';
import { tally } from './lib/statements.js';
import { sendNotifications, traceServer } from './lib/whatsapp.js';

const N = Number(process.env.N ?? 300);
const { engine, db, statements, app, server, close } = await traceServer('trace-replies');
await app.platform.jobs.start({ work: true, queues: ['channels.inbound'] });
await sendNotifications(server.url, N);
const count = async (where: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE role = 'user' ${where}`))[0]!
    .n;
while ((await count('')) < N) await new Promise((r) => setTimeout(r, 20));
let ms = 0;
const sent = await statements.during(async () => {
  const t0 = performance.now();
  await app.platform.jobs.start({ work: true, queues: ['responder.reply'] });
  while ((await count(`AND metadata ? 'responder'`)) < N) await new Promise((r) => setTimeout(r, 10));
  ms = performance.now() - t0;
});
const [why] = await rows<{ reason: string }>(
  db.drizzle,
  sql`SELECT DISTINCT metadata->'responder'->>'reason' AS reason FROM messages WHERE role = 'user'`,
);
console.log(
  `${engine}: ${N} reply decisions ("${why?.reason}") in ${Math.round(ms)} ms = ${Math.round((N / ms) * 1000)}/s`,
);
console.log(`${sent.length} statements while deciding (the polling count included):`);
for (const [text, n] of tally(sent).slice(0, 12)) console.log(String(n).padStart(6), text);
await close();
process.exit(0);
