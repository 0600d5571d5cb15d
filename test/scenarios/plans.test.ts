/**
 * A Free tenant grows into Starter: the platform opens a tenant on the Free plan, its owner fills
 * the plan (one agent, two seats, five knowledge sources) and is refused the next of each with
 * the limit, the use and the plan named; the platform moves it to Starter and creation resumes.
 * The usage endpoint's figures are checked at each step, and the export a billing system reads
 * carries the same figures. The plans are the demo catalogue's.
 *
 * The clock starts at the real time: conversations are stamped by the database's clock, and the
 * usage endpoint's current period follows the platform clock, so the two must agree on the month.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { withPlatform } from '../../src/platform/db/tenant.js';
import { plans } from '../../src/schema/tenants.js';
import { PLANS } from '../../src/seed/catalog.js';
import { expectQuotaProblem } from '../plans/helpers.js';
import { loggedIn } from '../plans/people.js';
import { call, get, settle, useScenario } from './scenario.js';

const { api } = useScenario(new Date().toISOString());
let platformAdmin = '';
let owner = '';
let tenantId = '';

type Usage = {
  plan: string;
  subscriptionStatus: string;
  period: { id: string; start: string; end: string; timezone: string; current: boolean };
  limits: Record<string, { limit: number | null; used: number | null }>;
  daily: Array<{ date: string; conversations: number }>;
};
const usage = async () => (await get(api, owner, '/v1/usage')) as unknown as Usage;
const figures = (u: Usage) =>
  Object.fromEntries(
    ['agents', 'seats', 'knowledgeSources', 'monthlyConversations', 'monthlyTokens'].map((k) => [
      k,
      [u.limits[k]!.used, u.limits[k]!.limit],
    ]),
  );
const post = (path: string, body: unknown) =>
  api.fetch(path, { method: 'POST', token: owner, body: JSON.stringify(body) });
const source = (n: number) =>
  post('/v1/knowledge-sources', { kind: 'text', title: `Doc ${n}`, content: `Answer ${n}.` });

beforeAll(async () => {
  await withPlatform(api.db, (tx) => tx.insert(plans).values(PLANS).onConflictDoNothing());
  platformAdmin = (await loggedIn(api, { platformAdmin: true })).token;
  const person = await loggedIn(api, {});
  owner = person.token;
  const created = await call(api, platformAdmin, 'POST', '/v1/platform/tenants', {
    slug: 'sprout',
    name: 'Sprout Support',
    plan: 'free',
    ownerEmail: person.email,
    timezone: 'America/New_York',
  });
  tenantId = created.id as string;
});

describe('a Free tenant grows into Starter', () => {
  it('starts on Free with its owner as the one seat used', async () => {
    const u = await usage();
    expect(u).toMatchObject({ plan: 'free', subscriptionStatus: 'trialing', period: { current: true } });
    expect(u.period.timezone).toBe('America/New_York');
    expect(new Date(u.period.start).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(u.period.end).getTime()).toBeGreaterThan(Date.now());
    expect(figures(u)).toEqual({
      agents: [0, 1],
      seats: [1, 2],
      knowledgeSources: [0, 5],
      monthlyConversations: [0, 100],
      monthlyTokens: [0, 200_000],
    });
  });

  it('fills the Free plan and is refused the next agent, seat and source, naming the plan', async () => {
    expect((await post('/v1/agents', { name: 'Helper' })).status).toBe(201);
    await expectQuotaProblem(await post('/v1/agents', { name: 'Second' }), {
      limit: 'agents',
      allowed: 1,
      used: 1,
      plan: 'free',
    });
    expect((await post('/v1/invitations', { email: 'kim@sprout.example', role: 'agent' })).status).toBe(201);
    await expectQuotaProblem(await post('/v1/invitations', { email: 'lee@sprout.example', role: 'agent' }), {
      limit: 'seats',
      allowed: 2,
      used: 2,
      plan: 'free',
    });
    for (let n = 1; n <= 5; n++) expect((await source(n)).status).toBe(201);
    await expectQuotaProblem(await source(6), {
      limit: 'knowledgeSources',
      allowed: 5,
      used: 5,
      plan: 'free',
    });
    for (let n = 1; n <= 3; n++)
      expect((await post('/v1/conversations', { subject: `Visitor ${n}` })).status).toBe(201);

    expect(figures(await usage())).toEqual({
      agents: [1, 1],
      seats: [2, 2],
      knowledgeSources: [5, 5],
      monthlyConversations: [3, 100],
      monthlyTokens: [0, 200_000],
    });
  });

  it('the daily usage comes from the rollups', async () => {
    await api.app.platform.jobs.send('analytics.tick', {});
    await settle(api);
    const { daily } = await usage();
    expect(daily.reduce((n, d) => n + d.conversations, 0)).toBe(3);
  });

  it('the platform moves it to Starter (audited): the limits grow, the use stays', async () => {
    const changed = await call(api, platformAdmin, 'PATCH', `/v1/platform/tenants/${tenantId}`, {
      plan: 'starter',
      subscriptionStatus: 'active',
    });
    expect(changed.subscriptionStatus).toBe('active');
    const u = await usage();
    expect(u).toMatchObject({ plan: 'starter', subscriptionStatus: 'active' });
    expect(figures(u)).toEqual({
      agents: [1, 3],
      seats: [2, 5],
      knowledgeSources: [5, 50],
      monthlyConversations: [3, 1_000],
      monthlyTokens: [0, 2_000_000],
    });
    const log = (await get(api, owner, '/v1/audit-log?limit=100')) as {
      data: Array<Record<string, unknown>>;
    };
    expect(log.data.find((e) => e.action === 'tenant.plan')).toMatchObject({
      actorType: 'user',
      oldValues: { plan: 'free' },
      newValues: { plan: 'starter', via: 'api' },
    });
  });

  it('creation resumes, and the usage and its export follow', async () => {
    expect((await post('/v1/agents', { name: 'Second' })).status).toBe(201);
    expect((await post('/v1/invitations', { email: 'lee@sprout.example', role: 'agent' })).status).toBe(201);
    expect((await source(6)).status).toBe(201);
    const u = await usage();
    expect(figures(u)).toEqual({
      agents: [2, 3],
      seats: [3, 5],
      knowledgeSources: [6, 50],
      monthlyConversations: [3, 1_000],
      monthlyTokens: [0, 2_000_000],
    });

    const csv = await api.fetch('/v1/usage/export?format=csv', { token: owner });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'tenantId,tenantSlug,plan,subscriptionStatus,period,periodStart,periodEnd,metric,limit,used',
    );
    expect(lines).toContain(
      `${tenantId},sprout,starter,active,${u.period.id},${u.period.start},${u.period.end},agents,3,2`,
    );
    expect(lines).toHaveLength(6);

    // The platform admin sees every tenant; this one's rows match the tenant's own.
    const all = (await get(api, platformAdmin, '/v1/platform/usage?format=json')) as {
      data: Array<Record<string, unknown>>;
      tenants: Usage[];
    };
    const mine = all.data.filter((r) => r.tenantId === tenantId);
    expect(Object.fromEntries(mine.map((r) => [r.metric, [r.used, r.limit]]))).toEqual(figures(u));
    // …and each tenant's whole usage document, as the tenant reads it.
    expect(all.tenants.find((x) => x.plan === 'starter')).toEqual(u);
    // A tenant's own credentials cannot read the platform view.
    expect((await api.fetch('/v1/platform/usage', { token: owner })).status).toBe(403);
  });
});
