/**
 * What the channel tests share: the real app on loopback with live outbound delivery pointed at
 * the provider fakes, channels with their secrets, and the "nothing stored" check every
 * rejected webhook must pass.
 */

import { count, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { DELIVER_JOB } from '../../src/domains/channels/deliver.js';
import { INBOUND_JOB } from '../../src/domains/channels/inbound.js';
import type { Channel, ChannelKind } from '../../src/domains/channels/tables.js';
import { channels } from '../../src/domains/channels/tables.js';
import { messages } from '../../src/domains/conversations/threads.js';
import { inboundEvents } from '../../src/domains/ops/tables.js';
import { type Config, loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { JOBS_SCHEMA } from '../../src/platform/jobs.js';
import { type TestApi, useTestApi } from './api.js';
import { withOwner } from './db.js';

/** The app with `outbound: live`; tests set `config.providers.*` to their fakes in beforeAll. */
export function useChannelsApi(): { api: TestApi; config: Config } {
  const base = loadConfig({});
  const config: Config = { ...base, outbound: 'live', providers: { ...base.providers } };
  return { api: useTestApi({ config }), config };
}

export async function addChannel(
  db: Database,
  tenantId: string,
  kind: ChannelKind,
  externalAccountId: string,
  secrets: Record<string, string>,
): Promise<Channel> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .insert(channels)
      .values({ tenantId, kind, name: `${kind} channel`, externalAccountId, secrets })
      .returning(),
  );
  return row!;
}

/** Total inbound events and messages (all tenants): what a rejected webhook must leave unchanged. */
export async function storedCounts(db: Database): Promise<{ events: number; messages: number }> {
  const [events] = await withOwner(db, (tx) => tx.select({ n: count() }).from(inboundEvents));
  const [msgs] = await withOwner(db, (tx) => tx.select({ n: count() }).from(messages));
  return { events: events!.n, messages: msgs!.n };
}

/** The problem `type` a webhook refusal carries, by status (400 malformed, 401 not verified). */
const REFUSAL_TYPES: Record<number, string> = { 400: '/problems/bad-request', 401: '/problems/unauthorized' };

/**
 * Posts `init` to `path`, expects a problem with `status` and its `type`, and that nothing was
 * stored or enqueued; returns the problem document.
 */
export async function expectRefused(
  api: TestApi,
  path: string,
  init: RequestInit,
  status: number,
  type: string | undefined = REFUSAL_TYPES[status],
): Promise<Record<string, unknown>> {
  const queued = async () =>
    Object.values(await api.app.platform.jobs.counts(INBOUND_JOB)).reduce((a, b) => a + b, 0);
  const before = await storedCounts(api.db);
  const jobsBefore = await queued();
  const response = await fetch(`${api.url}${path}`, init);
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as Record<string, unknown>;
  expect(type, `no problem type given for status ${status}`).toBeDefined();
  expect(problem.type).toBe(type);
  expect(await storedCounts(api.db)).toEqual(before);
  expect(await queued()).toBe(jobsBefore);
  return problem;
}

export async function messagesOf(db: Database, tenantId: string, conversationId: string) {
  return withTenant(db, tenantId, (tx) =>
    tx.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.createdAt),
  );
}

/** The inbound messages stored for a channel. */
export async function inboundOn(db: Database, tenantId: string, channelId: string) {
  return withTenant(db, tenantId, (tx) =>
    tx.select().from(messages).where(eq(messages.channelId, channelId)).orderBy(messages.createdAt),
  );
}

/** Makes delivery retries scheduled for later due now (the wait itself is asserted with `scheduledRetryWaitSeconds`). */
export async function makeRetriesDue(db: Database): Promise<void> {
  await db.query(`UPDATE ${JOBS_SCHEMA}.job SET start_after = now() WHERE name = $1 AND state = 'created'`, [
    DELIVER_JOB,
  ]);
}

/** How long after its creation the waiting delivery retry is scheduled to run, in seconds. */
export async function scheduledRetryWaitSeconds(db: Database): Promise<number> {
  const [row] = await db.query<{ wait: number }>(
    `SELECT extract(epoch FROM start_after - created_on)::float AS wait FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND state = 'created'`,
    [DELIVER_JOB],
  );
  return row!.wait;
}
