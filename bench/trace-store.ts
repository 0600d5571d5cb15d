/**
 * What storing a backlog of inbound events costs, apart from acknowledging them: N WhatsApp
 * webhooks are acknowledged with no worker running (acks/s), then only the inbound workers start
 * and store them (stored/s), and the statements they sent are tallied by kind. On a 2-core box
 * the burst of the inbound bench runs both at once, so its stored ÷ acks ratio cannot exceed
 * about acks⁻¹ ÷ (acks⁻¹ + stored⁻¹ + replies⁻¹) of these separate rates (bench/trace-replies.ts
 * measures the replies):  N=400 npx tsx bench/trace-store.ts [postgres|pglite]
 */
import { tally } from './lib/statements.js';
import { sendNotifications, traceServer } from './lib/whatsapp.js';

const N = Number(process.env.N ?? 400);
const { engine, db, statements, app, server, close } = await traceServer('trace-store');
await app.platform.jobs.start();
const t0 = performance.now();
await sendNotifications(server.url, N);
const ackMs = performance.now() - t0;
const count = async () =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE role = 'user'`))[0]!.n;
let ms = 0;
const sent = await statements.during(async () => {
  const t1 = performance.now();
  await app.platform.jobs.start({ work: true, queues: ['channels.inbound'] });
  while ((await count()) < N) await new Promise((r) => setTimeout(r, 10));
  ms = performance.now() - t1;
});
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
console.log(`${engine}: ${N} acks in ${Math.round(ackMs)} ms = ${rate(N, ackMs)}/s (no workers running)`);
console.log(`stored by the inbound workers alone in ${Math.round(ms)} ms = ${rate(N, ms)}/s`);
console.log(`${sent.length} statements while storing (the polling count included):`);
for (const [text, n] of tally(sent).slice(0, 25)) console.log(String(n).padStart(6), text);
await close();
process.exit(0);
