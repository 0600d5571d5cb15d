/**
 * Quotas where the resource is created: agents, seats (members + pending invitations), knowledge
 * sources, conversations per calendar month. At the limit the next creation is a
 * /problems/quota-exceeded naming the limit, the use and the plan, and changes nothing; a lower
 * plan keeps what exists and blocks new creation; two creations racing for the last place: one wins.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { agents } from '../../src/domains/ai/tables.js';
import { conversations } from '../../src/domains/conversations/threads.js';
import { changeSubscription } from '../../src/domains/plans/admin.js';
import { quotaCounters } from '../../src/domains/plans/tables.js';
import { rows } from '../../src/platform/db/database.js';
import { withTenant } from '../../src/platform/db/tenant.js';
import { quotaError } from '../../src/platform/http/db-errors.js';
import { useTestApi } from '../helpers/api.js';
import { onCitus, onServer } from '../helpers/db.js';
import { countRows } from '../helpers/rules.js';
import { signal } from '../helpers/signal.js';
import { expectQuotaProblem, makePlan, tenantOnPlan } from './helpers.js';

const api = useTestApi();
const post = (token: string, path: string, body: unknown) =>
  api.fetch(path, { method: 'POST', token, body: JSON.stringify(body) });
const count = async (tenantId: string, table: string) =>
  (
    await withTenant(api.db, tenantId, (tx) =>
      rows<{ n: number }>(tx, sql.raw(`SELECT count(*)::int AS n FROM ${table}`)),
    )
  )[0]!.n;

describe('quotas at their limit', () => {
  it('agents: the plan’s number, then quota-exceeded naming the limit, the use and the plan', async () => {
    const t = await tenantOnPlan(api.db, { agents: 2 });
    for (const name of ['One', 'Two'])
      expect((await post(t.keys.admin, '/v1/agents', { name })).status).toBe(201);
    await expectQuotaProblem(await post(t.keys.admin, '/v1/agents', { name: 'Three' }), {
      limit: 'agents',
      allowed: 2,
      used: 2,
      plan: t.plan,
    });
    expect(await count(t.id, 'agents')).toBe(2);
    // Deleting one frees its place.
    const list = (await (await api.fetch('/v1/agents', { token: t.keys.admin })).json()) as {
      data: Array<{ id: string }>;
    };
    expect(
      (await api.fetch(`/v1/agents/${list.data[0]!.id}`, { method: 'DELETE', token: t.keys.admin })).status,
    ).toBe(204);
    expect((await post(t.keys.admin, '/v1/agents', { name: 'Three' })).status).toBe(201);
  });

  it('seats: members and pending invitations count; accepting an invitation keeps the count', async () => {
    const t = await tenantOnPlan(api.db, { seats: 2 });
    const invite = (email: string) => post(t.keys.owner, '/v1/invitations', { email, role: 'agent' });
    const first = await invite('ana@example.com');
    expect(first.status).toBe(201);
    expect((await invite('ben@example.com')).status).toBe(201);
    await expectQuotaProblem(await invite('cy@example.com'), {
      limit: 'seats',
      allowed: 2,
      used: 2,
      plan: t.plan,
    });
    expect(await count(t.id, 'invitations')).toBe(2);
    // The pending seat becomes a member's: allowed at the limit.
    const { token } = (await first.json()) as { token: string };
    const accepted = await api.fetch('/v1/invitations/accept', {
      method: 'POST',
      body: JSON.stringify({ token, password: 'a long enough password', name: 'Ana' }),
    });
    expect(accepted.status).toBe(200);
    expect(await count(t.id, 'memberships')).toBe(1);
    await expectQuotaProblem(await invite('cy@example.com'), {
      limit: 'seats',
      allowed: 2,
      used: 2,
      plan: t.plan,
    });
  });

  it('knowledge sources: at the limit a new source is refused and nothing is queued', async () => {
    const t = await tenantOnPlan(api.db, { knowledgeSources: 2 });
    for (const n of [1, 2]) {
      const res = await post(t.keys.admin, '/v1/knowledge-sources', {
        kind: 'text',
        content: `Note ${n}`,
        title: `n${n}`,
      });
      expect(res.status).toBe(201);
    }
    const queued = await countRows(api.db, 'pgboss.job');
    await expectQuotaProblem(
      await post(t.keys.admin, '/v1/knowledge-sources', { kind: 'text', content: 'Note 3', title: 'n3' }),
      { limit: 'knowledgeSources', allowed: 2, used: 2, plan: t.plan },
    );
    expect(await count(t.id, 'knowledge_sources')).toBe(2);
    expect(await countRows(api.db, 'pgboss.job')).toBe(queued);
  });

  it('conversations: per calendar month in the tenant’s time zone; a deleted one stays counted', async () => {
    const t = await tenantOnPlan(api.db, { monthlyConversations: 2 }, { timezone: 'Pacific/Auckland' });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await post(t.keys.agent, '/v1/conversations', { subject: `c${i}` });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const body = await expectQuotaProblem(await post(t.keys.agent, '/v1/conversations', { subject: 'c3' }), {
      limit: 'monthlyConversations',
      allowed: 2,
      used: 2,
      plan: t.plan,
    });
    // The period is the month in Auckland, not in UTC.
    const [{ period }] = (await withTenant(api.db, t.id, (tx) =>
      rows<{ period: string }>(
        tx,
        sql`SELECT to_char(now() AT TIME ZONE 'Pacific/Auckland', 'YYYY-MM') AS period`,
      ),
    )) as [{ period: string }];
    expect(body.period).toBe(period);
    await withTenant(api.db, t.id, (tx) => tx.delete(conversations).where(eq(conversations.id, ids[0]!)));
    await expectQuotaProblem(await post(t.keys.agent, '/v1/conversations', { subject: 'c4' }), {
      limit: 'monthlyConversations',
      allowed: 2,
      used: 2,
      plan: t.plan,
    });
    // Last month's conversations count towards last month only.
    await withTenant(api.db, t.id, (tx) =>
      tx
        .update(quotaCounters)
        .set({ period: '2000-01' })
        .where(eq(quotaCounters.resource, 'monthlyConversations')),
    );
    expect((await post(t.keys.agent, '/v1/conversations', { subject: 'next month' })).status).toBe(201);
  });

  it('the problem type is documented at its URL', async () => {
    const res = await api.fetch('/problems/quota-exceeded');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 'quota_exceeded', status: 403, title: 'Plan limit reached' });
  });

  it('a plan without a limit (or no plan) limits nothing', async () => {
    const t = await tenantOnPlan(api.db, { requestsPerMinute: 1000 });
    for (let i = 0; i < 4; i++)
      expect((await post(t.keys.admin, '/v1/agents', { name: `A${i}` })).status).toBe(201);
  });
});

describe('downgrading below current use', () => {
  it('keeps every existing row and blocks new creation until use is under the new limit', async () => {
    const t = await tenantOnPlan(api.db, { agents: 3 });
    for (const name of ['A', 'B', 'C'])
      expect((await post(t.keys.admin, '/v1/agents', { name })).status).toBe(201);
    const small = await makePlan(api.db, { agents: 1 });
    await changeSubscription(api.db, t.slug, { plan: small }, { type: 'system', id: null, via: 'test' });
    expect(await count(t.id, 'agents')).toBe(3);
    const list = await api.fetch('/v1/agents', { token: t.keys.viewer });
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(3);
    // Still usable: an existing agent can be updated.
    const [a] = await withTenant(api.db, t.id, (tx) => tx.select().from(agents).limit(1));
    const patched = await api.fetch(`/v1/agents/${a!.id}`, {
      method: 'PATCH',
      token: t.keys.admin,
      body: JSON.stringify({ description: 'still here' }),
    });
    expect(patched.status).toBe(200);
    await expectQuotaProblem(await post(t.keys.admin, '/v1/agents', { name: 'D' }), {
      limit: 'agents',
      allowed: 1,
      used: 3,
      plan: small,
    });
  });
});

describe('two creations racing for the last place', () => {
  it('exactly one succeeds, the other waits for the lock and is refused', async () => {
    const t = await tenantOnPlan(api.db, { agents: 2 });
    // One agent already: the counter row exists and is committed, so only its lock stands between
    // the two transactions (a first-ever creation would also wait on the row's unique key).
    expect((await post(t.keys.admin, '/v1/agents', { name: 'First' })).status).toBe(201);
    const aInserted = signal();
    const aMayCommit = signal();
    // A takes the last place and holds its transaction open…
    const a = withTenant(api.db, t.id, async (tx) => {
      await tx.insert(agents).values({ tenantId: t.id, name: 'A' });
      aInserted.fire();
      await aMayCommit.done;
    });
    await aInserted.done;
    // …while B tries for it. On the server B blocks on A's counter row lock (checked in
    // pg_stat_activity; on Citus the wait is on the worker that holds the row, seen in
    // citus_lock_waits); PGlite runs transactions one at a time, so B simply queues behind A.
    const b = withTenant(api.db, t.id, (tx) => tx.insert(agents).values({ tenantId: t.id, name: 'B' })).then(
      () => null,
      (error: unknown) => error,
    );
    if (onServer()) {
      for (let i = 0; ; i++) {
        const [w] = await api.db.query<{ n: number }>(
          onCitus()
            ? 'SELECT count(*)::int AS n FROM citus_lock_waits'
            : `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (w!.n > 0) break;
        if (i > 500) throw new Error('B never waited for the lock');
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    aMayCommit.fire();
    await a;
    const refused = await b;
    expect(quotaError(refused)?.code).toBe('quota_exceeded');
    expect(await count(t.id, 'agents')).toBe(2);
  });

  it('of many concurrent API creations at the limit, exactly one is created', async () => {
    const t = await tenantOnPlan(api.db, { agents: 3 });
    for (const name of ['A', 'B'])
      expect((await post(t.keys.admin, '/v1/agents', { name })).status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(t.keys.admin, '/v1/agents', { name: `Racer ${i}` })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 403, 403, 403, 403, 403]);
    expect(await count(t.id, 'agents')).toBe(3);
  });
});
