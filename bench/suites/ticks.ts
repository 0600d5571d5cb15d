/**
 * `ticks`: what the recurring jobs cost.
 *
 * - schedule: 20 tenants × 200 confirmed reservations (check-ins over the next five days, five
 *   properties in four time zones). `firstTick` claims, renders and sends every rule due at the
 *   chosen instant through sendMessage (messages/s); `idleTick` is the steady state every minute
 *   afterwards (nothing due: candidates read, every rule already settled).
 * - analytics: one tenant with 2,000 conversations × 6 messages. `metricsAll` recomputes every
 *   conversation's metrics (conversations/s), `metricsAgain` does it again (the idempotent rerun),
 *   `rollupDay` rolls up one local day.
 */

import { loadavg } from 'node:os';
import { refreshConversationMetrics } from '../../src/domains/analytics/metrics.js';
import { rollupDay } from '../../src/domains/analytics/rollup.js';
import { runScheduleTick } from '../../src/domains/hospitality/schedule.js';
import { createJobs } from '../../src/jobs.js';
import { ManualClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';
import { compare } from '../lib/stats.js';

const TENANTS = 20;
const RESERVATIONS_PER_TENANT = 200;
const CONVERSATIONS = 2_000;
/** Reservations come five per property-round (one per property); `scale` keeps at least that. */
const sized = (n: number, scale: number, step: number) =>
  Math.max(step, Math.round((n * scale) / step) * step);
/** 10:30 UTC on 1 June 2026: T-3/T-1 are due in Europe and UTC, day-of is held nowhere. */
const NOW = new Date('2026-06-01T10:30:00Z');

async function loadReservations(db: Database, perTenant: number): Promise<void> {
  await db.exec(`
    INSERT INTO tenants (id, slug, name, timezone)
      SELECT gen_random_uuid(), 'ticks-' || g, 'Ticks ' || g, 'America/New_York' FROM generate_series(1, ${TENANTS}) g;
    INSERT INTO agents (tenant_id, id, name, status, quiet_hours_start, quiet_hours_end)
      SELECT id, gen_random_uuid(), 'Concierge', 'active', '22:00', '08:00' FROM tenants;
    INSERT INTO channels (tenant_id, id, kind, name, external_account_id, agent_id)
      SELECT tenant_id, gen_random_uuid(), 'sms', 'SMS', '+1555' || left(tenant_id::text, 6), id FROM agents;
    INSERT INTO message_templates (tenant_id, id, channel, trigger, body)
      SELECT t.id, gen_random_uuid(), 'sms', r, 'Hi {{guest_first_name}}, ' || r || ' for {{property_name}}'
        FROM tenants t, unnest(ARRAY['T_MINUS_3', 'T_MINUS_1', 'DAY_OF']) r;
    INSERT INTO properties (tenant_id, id, name, timezone)
      SELECT t.id, gen_random_uuid(), 'Property ' || g,
             (ARRAY['America/New_York', 'Europe/Berlin', 'Pacific/Auckland', 'UTC', NULL])[g]
        FROM tenants t, generate_series(1, 5) g;
    INSERT INTO contacts (tenant_id, id, name, phone, created_at, updated_at)
      SELECT id, gen_random_uuid(), 'Guest', '+15557654321', now(), now() FROM tenants;
    INSERT INTO reservations (tenant_id, id, property_id, contact_id, guest_name, guest_phone, check_in, check_out)
      SELECT p.tenant_id, gen_random_uuid(), p.id, c.id, 'Ada Guest', '+15557654321',
             DATE '2026-06-01' + (g % 5), DATE '2026-06-03' + (g % 5)
        FROM properties p JOIN contacts c ON c.tenant_id = p.tenant_id,
             generate_series(1, ${perTenant / 5}) g;
    ANALYZE;`);
}

async function loadConversations(db: Database, count: number): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO tenants (id, slug, name) VALUES (gen_random_uuid(), 'ticks-analytics', 'Analytics')
     RETURNING id::text`,
  );
  await db.exec(`
    INSERT INTO conversations (tenant_id, id, status, started_at, resolved_at, created_at, updated_at)
      SELECT '${row!.id}', gen_random_uuid(), CASE WHEN g % 2 = 0 THEN 'resolved' ELSE 'active' END,
             TIMESTAMPTZ '2026-05-31 00:00Z' + g * interval '40 seconds',
             CASE WHEN g % 2 = 0 THEN TIMESTAMPTZ '2026-05-31 00:00Z' + g * interval '40 seconds' + interval '1 hour' END,
             now(), now()
        FROM generate_series(1, ${count}) g;
    INSERT INTO messages (tenant_id, id, conversation_id, role, content, created_at, updated_at)
      SELECT c.tenant_id, gen_random_uuid(), c.id, CASE WHEN k % 2 = 0 THEN 'user' ELSE 'assistant' END,
             'message ' || k, c.started_at + k * interval '30 seconds', now()
        FROM conversations c, generate_series(0, 5) k WHERE c.tenant_id = '${row!.id}';
    ANALYZE;`);
  return row!.id;
}

const since = (t0: number) => Math.round(performance.now() - t0);

export async function ticksSuite(db: Database, { scale = 1 }: { scale?: number } = {}) {
  const perTenant = sized(RESERVATIONS_PER_TENANT, scale, 5);
  const conversationCount = sized(CONVERSATIONS, scale, 10);
  const clock = new ManualClock(NOW);
  const base = { db, logger: createLogger('silent'), clock, config: loadConfig({}) };
  const jobs = createJobs(base);
  const platform = { ...base, jobs };
  const loadAtStart = loadavg()[0]!;
  try {
    await loadReservations(db, perTenant);
    let t0 = performance.now();
    const first = await runScheduleTick(platform);
    const firstTickMs = since(t0);
    const idleTick = await compare(
      { idle: () => runScheduleTick(platform) },
      { rounds: 2, perRound: 5, warmup: 1 },
    );

    const tenantId = await loadConversations(db, conversationCount);
    t0 = performance.now();
    const refreshed = await withTenant(db, tenantId, (tx) =>
      refreshConversationMetrics(tx, tenantId, { since: new Date(0) }),
    );
    const metricsAllMs = since(t0);
    t0 = performance.now();
    await withTenant(db, tenantId, (tx) => refreshConversationMetrics(tx, tenantId, { since: new Date(0) }));
    const metricsAgainMs = since(t0);
    const rollup = await compare(
      { rollupDay: () => withTenant(db, tenantId, (tx) => rollupDay(tx, tenantId, '2026-05-31', 'UTC')) },
      { rounds: 2, perRound: 10, warmup: 2 },
    );
    return {
      schedule: {
        tenants: TENANTS,
        reservations: TENANTS * perTenant,
        firstTick: {
          ...first,
          ms: firstTickMs,
          messagesPerSec: Math.round((first.sent / firstTickMs) * 1000),
        },
        idleTick: idleTick.idle,
      },
      analytics: {
        conversations: refreshed,
        metricsAll: { ms: metricsAllMs, conversationsPerSec: Math.round((refreshed / metricsAllMs) * 1000) },
        metricsAgain: { ms: metricsAgainMs },
        rollupDay: rollup.rollupDay,
      },
      loadAverage: { start: +loadAtStart.toFixed(1), end: +loadavg()[0]!.toFixed(1) },
    };
  } finally {
    await jobs.stop();
  }
}
