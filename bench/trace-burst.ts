/**
 * What a burst of inbound events costs with every worker running, as on a server: 100 WhatsApp
 * events from 50 senders first (their contacts and conversations), then `N` more as fast as four
 * loops send them; the statements sent from the first of those to the last message stored,
 * tallied by kind (the trace's own polling count left out). With `PROFILE=1`, a CPU profile of
 * the burst instead, written to /tmp/burst-<engine>.cpuprofile.
 *
 *   N=800 npx tsx bench/trace-burst.ts postgres
 *   PROFILE=1 N=800 npx tsx bench/trace-burst.ts postgres
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tally } from './lib/statements.js';
import { notification, sendNotifications, traceServer, WHATSAPP_PATH } from './lib/whatsapp.js';

const N = Number(process.env.N ?? 800);
const POLL = 'SELECT count(*)::int AS n FROM messages';
const { engine, db, statements, app, server, close } = await traceServer('trace-burst');
await app.platform.jobs.start({ work: true });
const stored = async () => (await db.query<{ n: number }>(`${POLL} WHERE role = 'user'`))[0]!.n;
const until = async (n: number) => {
  while ((await stored()) < n) await new Promise((r) => setTimeout(r, 5));
};
await sendNotifications(server.url, 100);
await until(100);
await app.platform.jobs.drain();

const profiler = process.env.PROFILE ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
let sentMs = 0;
let storedMs = 0;
const sent = await statements.during(async () => {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < N) {
        const n = next++;
        const from = `1555${String(n % 50).padStart(7, '0')}`;
        const res = await fetch(`${server.url}${WHATSAPP_PATH}`, {
          method: 'POST',
          ...notification(`wamid.burst.${n}`, from),
        });
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      }
    }),
  );
  sentMs = performance.now() - t0;
  await until(100 + N);
  storedMs = performance.now() - t0;
});
const rate = (ms: number) => Math.round((N / ms) * 1000);
console.log(`${engine}: ${N} events acknowledged at ${rate(sentMs)}/s, all stored at ${rate(storedMs)}/s`);
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(`/tmp/burst-${engine}.cpuprofile`, JSON.stringify(profile));
  console.log(`CPU profile: /tmp/burst-${engine}.cpuprofile`);
} else {
  const counted = tally(sent.filter((s) => !s.startsWith(POLL)));
  console.log(`${counted.reduce((a, [, n]) => a + n, 0)} statements for ${N} events:`);
  for (const [text, n] of counted.slice(0, 30)) console.log(String(n).padStart(6), text);
}
await close();
process.exit(0);
