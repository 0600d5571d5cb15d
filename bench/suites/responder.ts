/**
 * `responder`: end-to-end inbound → reply with the offline responder. One tenant with a 60-entry
 * FAQ and an SMS channel; each operation is one guest message stored through intake and answered
 * (classification, keyword retrieval, offline answer, sendMessage, usage event, decision note):
 *
 * - `direct`: the `responder.reply` handler called in-process (the responder's own cost);
 * - `viaQueue`: sent as the `responder.reply` job and run by draining the real queue (what a
 *   worker does, pg-boss fetch/complete included).
 *
 * Questions cycle through FAQ questions, an emergency and an unanswerable one, so answers,
 * escalations and hand-offs are all in the mix.
 *
 * Then throughput with every core busy: a backlog of stored messages answered by one loop per
 * core calling the handler (`inProcess`), against the same backlog queued as `responder.reply`
 * jobs in one commit and answered by the running workers (`workers`: NOTIFY wake-up, pg-boss
 * fetch and complete, the responder's worker count), each timed from start to the last reply,
 * in three alternated rounds (the rate of each is over its three backlogs).
 * Like for like, only the reply workers run while that is timed (the in-process loop does not
 * run the replies' follow-ups either: outbound deliveries and webhook events stay queued); then
 * once more with every queue's workers running, the follow-ups beside the replies, as on a
 * server (`withFollowUps`).
 */
import { availableParallelism, loadavg } from 'node:os';

import { responderDeps } from '../../src/domains/ai/responder/deps.js';
import { replyToMessage } from '../../src/domains/ai/responder/reply.js';
import { recordInboundMessage } from '../../src/domains/conversations/intake.js';
import { createJobs } from '../../src/jobs.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { enqueueManyIn, JOBS_SCHEMA, type Jobs } from '../../src/platform/jobs.js';
import { createLogger } from '../../src/platform/logger.js';
import { compare } from '../lib/stats.js';

const FAQ = 60;
const QUESTIONS = [
  'What time is check-in for topic 7?',
  'Where can I park near topic 23?',
  'Is the pool open for topic 41?',
  'There is water leaking from the ceiling!',
  'Can you recommend a dentist nearby?',
];

async function load(db: Database): Promise<{ tenantId: string; channelId: string }> {
  const [row] = await db.query<{ tenant_id: string; channel_id: string }>(`
    WITH t AS (INSERT INTO tenants (id, slug, name) VALUES (gen_random_uuid(), 'bench-responder', 'Bench') RETURNING id),
    a AS (INSERT INTO agents (tenant_id, id, name, status, confidence_threshold, escalation_categories)
          SELECT id, gen_random_uuid(), 'Concierge', 'active', 0.6, ARRAY['emergency','refund'] FROM t RETURNING tenant_id, id),
    c AS (INSERT INTO faq_categories (tenant_id, id, name, slug) SELECT tenant_id, gen_random_uuid(), 'General', 'general' FROM a RETURNING tenant_id, id),
    f AS (INSERT INTO faq_items (tenant_id, id, category_id, question, answer)
          SELECT c.tenant_id, gen_random_uuid(), c.id,
                 (ARRAY['What time is check-in for topic ','Where can I park near topic ','Is the pool open for topic '])[1 + g % 3] || g || '?',
                 'Answer ' || g || ': details about topic ' || g || ', from 3pm, garage space ' || g || ', pool 8am to 9pm.'
            FROM c, generate_series(1, ${FAQ}) g RETURNING tenant_id)
    INSERT INTO channels (tenant_id, id, kind, name, external_account_id, agent_id)
      SELECT tenant_id, gen_random_uuid(), 'sms', 'SMS', '+15550000001', id FROM a
      RETURNING tenant_id::text AS tenant_id, id::text AS channel_id`);
  return { tenantId: row!.tenant_id, channelId: row!.channel_id };
}

const BACKLOG = 200;

/** Rounds of each of the in-process and worker backlogs, alternated (the machine's speed drifts). */
const ROUNDS = 3;

/** Milliseconds `cores` loops calling `answer` take over `ids`. */
async function inProcessMs(ids: string[], cores: number, answer: (id: string) => Promise<unknown>) {
  const queue = [...ids];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: cores }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) await answer(id);
    }),
  );
  return performance.now() - t0;
}

const perSec = (messages: number, ms: number) => Math.round((messages / ms) * 1000);

/** Waits until no job is due (what earlier phases queued has been worked off). */
async function idle(db: Database) {
  const pending = () =>
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job
        WHERE state IN ('created', 'retry', 'active') AND start_after <= now()`,
    );
  while ((await pending())[0]!.n > 0) await new Promise((r) => setTimeout(r, 200));
}

/** Milliseconds the running workers take to answer a backlog queued in one commit. */
async function workerMs(db: Database, jobs: Jobs, tenantId: string, queued: string[]) {
  const doneBefore = (await jobs.counts('responder.reply')).completed ?? 0;
  const t0 = performance.now();
  await withTenant(db, tenantId, (tx) =>
    enqueueManyIn(
      tx,
      queued.map((messageId) => ({ name: 'responder.reply', data: { tenantId, messageId } })),
    ),
  );
  while (((await jobs.counts('responder.reply')).completed ?? 0) - doneBefore < queued.length)
    await new Promise((r) => setTimeout(r, 50));
  return performance.now() - t0;
}

export async function responderSuite(db: Database) {
  const loadAverageAtStart = loadavg()[0]!;
  const { tenantId, channelId } = await load(db);
  const config = loadConfig({});
  const base = { db, logger: createLogger('silent'), clock: systemClock, config };
  const jobs = createJobs(base);
  await jobs.start();
  const platform = { ...base, jobs };
  const deps = responderDeps(config);
  let n = 0;
  /** A new guest (so each message opens its own conversation) asking the next question. */
  const inbound = () => {
    const i = n++;
    return withTenant(db, tenantId, (tx) =>
      recordInboundMessage(tx, tenantId, {
        channelId,
        identity: { kind: 'phone', value: `+1555${String(1_000_000 + i)}` },
        text: QUESTIONS[i % QUESTIONS.length]!,
        receivedAt: new Date(),
      }),
    );
  };
  try {
    const results = await compare(
      {
        direct: async () => {
          const { messageId } = await inbound();
          await replyToMessage(platform, deps, tenantId, messageId);
        },
        viaQueue: async () => {
          const { messageId } = await inbound();
          await jobs.send('responder.reply', { tenantId, messageId });
          await jobs.drain({ names: ['responder.reply'] });
        },
      },
      { rounds: 6, perRound: 50, warmup: 20 },
    );

    // Throughput with every core busy, on backlogs of the same mix.
    const cores = availableParallelism();
    const backlog = async () => {
      const ids: string[] = [];
      for (let i = 0; i < BACKLOG; i++) ids.push((await inbound()).messageId);
      return ids;
    };
    // Like for like: the reply workers alone (idle while the in-process loop runs: nothing is
    // queued for them). The in-process loop leaves the replies' follow-ups (outbound deliveries,
    // webhook events) queued, and so do the workers while they are timed; they are worked off
    // between rounds, untimed. Alternated rounds, so that a drift of the machine's speed falls on
    // both sides.
    await jobs.start({ work: true, queues: ['responder.reply'] });
    const rounds: Array<{ inProcessPerSec: number; workersPerSec: number }> = [];
    let inProcessTotalMs = 0;
    let workersTotalMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const inMs = await inProcessMs(await backlog(), cores, (id) =>
        replyToMessage(platform, deps, tenantId, id),
      );
      await jobs.drain();
      const workMs = await workerMs(db, jobs, tenantId, await backlog());
      await jobs.drain();
      rounds.push({ inProcessPerSec: perSec(BACKLOG, inMs), workersPerSec: perSec(BACKLOG, workMs) });
      inProcessTotalMs += inMs;
      workersTotalMs += workMs;
    }
    const inProcess = perSec(ROUNDS * BACKLOG, inProcessTotalMs);
    const workers = perSec(ROUNDS * BACKLOG, workersTotalMs);
    // As on a server: every queue's workers, the replies' follow-ups running beside them.
    await jobs.start({ work: true });
    await idle(db);
    const withFollowUps = perSec(BACKLOG, await workerMs(db, jobs, tenantId, await backlog()));
    return {
      faqEntries: FAQ,
      questions: QUESTIONS,
      results,
      allCoresBusy: {
        cores,
        messages: BACKLOG,
        rounds,
        inProcessPerSec: inProcess,
        workersPerSec: workers,
        ratio: +(workers / inProcess).toFixed(3),
        withFollowUps: { workersPerSec: withFollowUps, ratio: +(withFollowUps / inProcess).toFixed(3) },
      },
      loadAverage: { start: +loadAverageAtStart.toFixed(1), end: +loadavg()[0]!.toFixed(1) },
    };
  } finally {
    await jobs.stop();
  }
}
