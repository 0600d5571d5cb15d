/**
 * `inbound`: provider webhooks through the full acknowledgement path — HTTP, routing the account
 * to its channel, verifying the signature (WhatsApp's X-Hub-Signature-256 HMAC), recording the
 * event in inbound_events and enqueueing its job — against the floor: a bare handler on the same
 * HTTP server stack doing the same two inserts (inbound_events, pgboss.job) in raw SQL as the
 * owner. Same process, same loopback, same concurrency, alternating rounds.
 *
 * Then, with the workers running as on a server, the time from sending an event to its message
 * being stored (committed), measured with the message-stored notification the widget streams
 * use, for a burst of events at the same concurrency.
 */
import { loadavg } from 'node:os';
import { Hono } from 'hono';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { INBOUND_JOB } from '../../src/domains/channels/inbound.js';
import { MESSAGE_CHANNEL } from '../../src/domains/channels/widget-stream.js';
import type { Database } from '../../src/platform/db/database.js';
import { JOBS_SCHEMA } from '../../src/platform/jobs.js';
import { createLogger } from '../../src/platform/logger.js';
import { uuidv7 } from '../../src/schema/columns.js';
import { listen } from '../../src/server.js';
import { load, serveOnLoopback } from '../lib/http-load.js';
import { summarize } from '../lib/stats.js';
import { notification, WHATSAPP_PATH, whatsappTenant } from '../lib/whatsapp.js';

const CONCURRENCY = 4;
const PER_ROUND = 100;
const ROUNDS = 6;
const LOAD_EVENTS = 400;
const PACED_EVENTS = 100;
const PACED_PER_SECOND = 4;
/** The floor: the same two inserts in raw SQL, behind the same HTTP server stack. */
async function floorServer(db: Database, tenantId: string, channelId: string) {
  const app = new Hono();
  app.post('/inbound', async (c) => {
    const raw = await c.req.text();
    const message = (JSON.parse(raw) as { entry: { changes: { value: { messages: { id: string }[] } }[] }[] })
      .entry[0]!.changes[0]!.value.messages[0]!;
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO inbound_events (id, provider, event_id, event_type, routed_tenant_id, payload)
       VALUES ($1, 'whatsapp-floor', $2, 'message.received', $3, $4)
       ON CONFLICT DO NOTHING RETURNING id`,
      [uuidv7(), message.id, tenantId, JSON.stringify({ channelId, raw })],
    );
    if (row) {
      await db.query(`INSERT INTO ${JOBS_SCHEMA}.job (name, data) VALUES ($1, $2)`, [
        `${INBOUND_JOB}-floor`,
        JSON.stringify({ inboundEventId: row.id }),
      ]);
    }
    return c.text('ok');
  });
  return serveOnLoopback(app, '/inbound');
}

/** Runs `count` webhooks from CONCURRENCY loops (each must answer 200). */
const loadWebhooks = (make: (i: number) => Promise<Response>, count: number) =>
  load(
    // A keep-alive socket the server closed as it was reused: resend, as a provider would
    // (the event id is the same, so this is safe).
    (i) => make(i).catch(() => make(i)),
    count,
    { concurrency: CONCURRENCY, ok: (status) => status === 200 },
  );

/**
 * Calls `onStored(messageId)` for every message committed; returns the stop function. On a server
 * it listens on a connection of its own: the measuring instrument takes nothing from the pool the
 * workers and requests share.
 */
async function onMessageStored(db: Database, onStored: (messageId: string) => void) {
  const handle = (payload: string) => onStored((JSON.parse(payload) as { messageId: string }).messageId);
  if (db.pglite) return db.pglite.listen(MESSAGE_CHANNEL, handle);
  const client = new pg.Client({ connectionString: db.pool!.options.connectionString });
  await client.connect();
  client.on('notification', (n) => n.payload && handle(n.payload));
  await client.query(`LISTEN ${MESSAGE_CHANNEL}`);
  return () => client.end();
}

export async function inboundSuite(db: Database) {
  const loadAverageAtStart = loadavg()[0]!;
  const { tenantId, channelId } = await whatsappTenant(db, 'bench-inbound');
  const app = createApp({ db, logger: createLogger('silent') });
  await app.platform.jobs.start();
  // The floor's job rows go to a queue of their own, which nobody works.
  await app.platform.jobs.boss.createQueue(`${INBOUND_JOB}-floor`);
  const full = await listen(app, '127.0.0.1', 0);
  const floor = await floorServer(db, tenantId, channelId);
  const fullUrl = `${full.url}${WHATSAPP_PATH}`;
  /** Event n (a few hundred senders, so conversations are reused as in real traffic). */
  const send = (url: string, n: number) => {
    const { body, headers } = notification(`wamid.bench.${n}`, `1555${String(n % 300).padStart(7, '0')}`);
    return fetch(url, { method: 'POST', headers, body });
  };
  let base = 0;
  const batch = async (url: string, count: number) => {
    const from = base;
    base += count;
    return loadWebhooks((i) => send(url, from + i), count);
  };
  const variants = { fullPath: fullUrl, floor: floor.url };

  // Warm-up.
  await batch(fullUrl, 100);
  await batch(floor.url, 100);
  const acc: Record<keyof typeof variants, { samples: number[]; wallMs: number }> = {
    fullPath: { samples: [], wallMs: 0 },
    floor: { samples: [], wallMs: 0 },
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of (r % 2 ? ['floor', 'fullPath'] : ['fullPath', 'floor']) as (keyof typeof variants)[]) {
      const run = await batch(variants[name], PER_ROUND);
      acc[name].samples.push(...run.samples);
      acc[name].wallMs += run.wallMs;
    }
  }
  const stats = (x: { samples: number[]; wallMs: number }) => ({
    ...summarize(x.samples),
    acksPerSec: Math.round((x.samples.length / x.wallMs) * 1000),
  });
  const f = stats(acc.fullPath);
  const b = stats(acc.floor);

  // Inbound event → stored message, with workers running. Work off the backlog first: the
  // acknowledgement rounds' events and what they queued in turn (a reply decision per message),
  // so the paced events are timed on a quiet system, not behind 700 reply jobs.
  await app.platform.jobs.drain();
  const stored = new Map<string, number>();
  const stopListening = await onMessageStored(db, (id) => stored.set(id, performance.now()));
  await app.platform.jobs.start({ work: true });
  /** Sends `count` events (at most `perSecond` a second, or as fast as the concurrency allows) and times each to its stored message. */
  const endToEnd = async (count: number, perSecond?: number) => {
    const sentAt = new Map<string, number>();
    const first = base;
    base += count;
    const t0 = performance.now();
    await loadWebhooks(async (i) => {
      const n = first + i;
      if (perSecond) {
        const due = t0 + (i * 1000) / perSecond;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      }
      if (!sentAt.has(`wamid.bench.${n}`)) sentAt.set(`wamid.bench.${n}`, performance.now());
      return send(fullUrl, n);
    }, count);
    const sendMs = performance.now() - t0;
    const deadline = performance.now() + 180_000;
    const done = () => [...sentAt.keys()].length <= stored.size;
    while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const ids = await db.query<{ id: string; external_message_id: string }>(
      'SELECT id, external_message_id FROM messages WHERE external_message_id = ANY($1::text[])',
      [[...sentAt.keys()]],
    );
    const times = ids.filter((m) => stored.has(m.id)).map((m) => stored.get(m.id)!);
    const s = summarize(
      ids.filter((m) => stored.has(m.id)).map((m) => stored.get(m.id)! - sentAt.get(m.external_message_id)!),
    );
    return {
      events: count,
      stored: s.n,
      sendRatePerSec: Math.round((count / sendMs) * 1000),
      storedPerSec: Math.round((times.length / (Math.max(...times) - t0)) * 1000),
      p50: s.p50,
      p99: s.p99,
      mean: s.mean,
    };
  };
  // Paced below what the workers can process (no backlog), then a burst as fast as accepted.
  const paced = await endToEnd(PACED_EVENTS, PACED_PER_SECOND);
  stored.clear();
  const burst = await endToEnd(LOAD_EVENTS);
  await stopListening();

  await full.close();
  await floor.close();
  await app.platform.jobs.stop();
  return {
    concurrency: CONCURRENCY,
    requestsPerVariant: ROUNDS * PER_ROUND,
    acknowledge: {
      fullPath: f,
      floor: b,
      throughputRatio: +(f.acksPerSec / b.acksPerSec).toFixed(3),
      p99Ratio: +(f.p99 / b.p99).toFixed(3),
    },
    eventToStoredMessage: {
      wakeUp: 'NOTIFY on commit, polling every 2 s',
      paced,
      burst,
      // Against the acks measured alone, with the workers stopped (the figure), and against
      // the burst's own acks, sent while the workers store: whether storing keeps pace with
      // acknowledging when both share the machine.
      storedPerAck: +(burst.storedPerSec / f.acksPerSec).toFixed(3),
      storedPerBurstAck: +(burst.storedPerSec / burst.sendRatePerSec).toFixed(3),
    },
    loadAverage: { start: +loadAverageAtStart.toFixed(1), end: +loadavg()[0]!.toFixed(1) },
  };
}
