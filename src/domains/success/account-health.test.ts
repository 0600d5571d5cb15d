/**
 * Seed 002's customer_health_view and update_health_score(), done right: the `account_health`
 * view is security_invoker (a tenant sees only its accounts) and has one row per account with
 * exact counts (no join fan-out); `account_health_score(account_id)` follows the seed's formula
 * on the current tenant's rows only, stores the score, and refuses to run outside a tenant.
 *
 * Account ids are unique per tenant, not globally (primary key (tenant_id, id)), so tenant B
 * here owns an account with the same id as A's, full of activity that must not leak into A's
 * figures.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  expectPgError,
  insertIn,
  insertRows,
  queryIn,
  SQLSTATE as S,
  tenantWith,
} from '../../../test/helpers/rules.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import { conversations, messages } from '../conversations/tables.js';
import { accounts, contacts } from '../crm/tables.js';
import { insights, meetings, trainingModules, trainingProgress } from './tables.js';

const t = useTestDatabase();
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms);
let A: string;
let B: string;
const X = randomUUID(); // A's busy account, and (same id) one of B's
const Y = randomUUID(); // A's empty account
const lastMeeting = new Date('2025-02-20T15:30:00Z');
const lastMessage = ago(3_600_000);

/** Gives `account` in `tenant` contacts, meetings, insights, conversations and messages. */
async function activity(
  tenant: string,
  account: string,
  n: { contacts: number; meetings: Date[]; messages: Date[] },
) {
  await withTenant(t.db, tenant, async (tx) => {
    await insertRows(
      tx,
      tenant,
      contacts,
      Array.from({ length: n.contacts }, (_, i) => ({ accountId: account, name: `c${i}` })),
    );
    await insertRows(
      tx,
      tenant,
      meetings,
      n.meetings.map((scheduledAt) => ({ accountId: account, title: 'Sync', scheduledAt })),
    );
    const convs = await insertRows(tx, tenant, conversations, [
      { accountId: account },
      { accountId: account },
    ]);
    await insertRows(
      tx,
      tenant,
      messages,
      n.messages.map((createdAt, i) => ({
        conversationId: convs[i % 2]!.id,
        role: 'user' as const,
        content: 'hi',
        createdAt,
      })),
    );
  });
}

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  await insertIn(t.db, A, accounts, { id: X, name: 'Acme' });
  await insertIn(t.db, A, accounts, { id: Y, name: 'Quiet Co' });
  await activity(A, X, {
    contacts: 3,
    meetings: [new Date('2025-01-10T10:00:00Z'), lastMeeting],
    messages: [ago(3 * DAY), ago(2 * DAY), ago(DAY), lastMessage],
  });
  await withTenant(t.db, A, (tx) =>
    insertRows(tx, A, insights, [
      { accountId: X, source: 'meeting', type: 'concern', content: 'Onboarding is slow' },
      { accountId: X, source: 'email', type: 'concern', content: 'Pricing' },
      { accountId: X, source: 'meeting', type: 'decision', content: 'Expand to EU' },
    ]),
  );
  // B: an account with the same id as A's X, busier and more recent in every respect.
  await insertIn(t.db, B, accounts, { id: X, name: 'Globex' });
  await activity(B, X, {
    contacts: 5,
    meetings: [ago(-DAY)],
    messages: Array.from({ length: 10 }, () => ago(60_000)),
  });
});

type HealthRow = {
  id: string;
  stakeholders: number;
  meetings: number;
  concerns: number;
  last_meeting: number | null;
  last_interaction: number | null;
};
const health = (tenant: string) =>
  queryIn<HealthRow>(
    t.db,
    tenant,
    sql`SELECT id::text AS id, stakeholder_count::int AS stakeholders, meeting_count::int AS meetings,
               concern_count::int AS concerns,
               (extract(epoch FROM last_meeting) * 1000)::float8 AS last_meeting,
               (extract(epoch FROM last_interaction) * 1000)::float8 AS last_interaction
        FROM account_health ORDER BY name`,
  );

describe('account_health view', () => {
  it('is a security_invoker view', async () => {
    const [row] = await t.db.query<{ options: string[] }>(
      `SELECT reloptions AS options FROM pg_class WHERE oid = 'public.account_health'::regclass`,
    );
    expect(row!.options).toContain('security_invoker=true');
  });

  it("in tenant A's context shows only A's accounts, one row each", async () => {
    const rows = await health(A);
    expect(rows.map((r) => r.id)).toEqual([X, Y]);
    const tenantsSeen = await queryIn<{ tenant: string }>(
      t.db,
      A,
      sql`SELECT DISTINCT tenant_id::text AS tenant FROM account_health`,
    );
    expect(tenantsSeen).toEqual([{ tenant: A }]);
    expect((await health(B)).map((r) => r.id)).toEqual([X]);
  });

  it('counts exactly, with no join fan-out: 3 contacts, 2 meetings, 2 concerns; latest meeting and message', async () => {
    const [x, y] = await health(A);
    expect(x).toEqual({
      id: X,
      stakeholders: 3,
      meetings: 2,
      concerns: 2,
      last_meeting: lastMeeting.getTime(),
      last_interaction: lastMessage.getTime(),
    });
    expect(y).toEqual({
      id: Y,
      stakeholders: 0,
      meetings: 0,
      concerns: 0,
      last_meeting: null,
      last_interaction: null,
    });
    const [b] = await health(B);
    expect(b).toMatchObject({ stakeholders: 5, meetings: 1, concerns: 0 });
  });

  it('shows nothing outside a tenant context', async () => {
    const rows = await t.db.transaction(async (conn) => {
      await conn.exec('SET LOCAL ROLE frontdesk_app');
      return conn.query('SELECT * FROM account_health');
    });
    expect(rows).toEqual([]);
  });
});

describe('account_health_score(account_id)', () => {
  const score = (tenant: string, account: string) =>
    queryIn<{ score: number }>(
      t.db,
      tenant,
      sql`SELECT account_health_score(${account}::uuid) AS score`,
    ).then((r) => r[0]!.score);
  const stored = async (tenant: string, account: string) =>
    (await withTenant(t.db, tenant, (tx) => tx.select().from(accounts).where(eq(accounts.id, account))))[0]!
      .healthScore;

  it('is (engagement + adoption) / 2: 4 recent messages (40) and progress 50, 75 (62.5 → 63) give 51', async () => {
    const P = randomUUID();
    await insertIn(t.db, A, accounts, { id: P, name: 'Scored' });
    await activity(A, P, {
      contacts: 0,
      meetings: [],
      messages: [ago(DAY), ago(2 * DAY), ago(10 * DAY), ago(29 * DAY), ago(40 * DAY)],
    });
    await withTenant(t.db, A, async (tx) => {
      const mods = await insertRows(tx, A, trainingModules, [{ title: 'One' }, { title: 'Two' }]);
      await insertRows(tx, A, trainingProgress, [
        { accountId: P, moduleId: mods[0]!.id, progress: 50 },
        { accountId: P, moduleId: mods[1]!.id, progress: 75 },
      ]);
    });
    expect(await stored(A, P)).toBeNull();
    expect(await score(A, P)).toBe(51);
    expect(await stored(A, P)).toBe(51);
  });

  it('caps engagement at 100 and counts adoption 0 without training: 11 messages give 50; nothing gives 0', async () => {
    const Q = randomUUID();
    await insertIn(t.db, A, accounts, { id: Q, name: 'Chatty' });
    await activity(A, Q, { contacts: 0, meetings: [], messages: Array.from({ length: 11 }, () => ago(DAY)) });
    expect(await score(A, Q)).toBe(50);
    expect(await score(A, Y)).toBe(0);
    expect(await stored(A, Y)).toBe(0);
  });

  it("counts only the current tenant's rows, and updates only the current tenant's account", async () => {
    // A's X: 4 messages in 30 days, no training → 40 / 2 = 20. B's X: 10 messages → 100 / 2 = 50.
    expect(await score(A, X)).toBe(20);
    expect(await score(B, X)).toBe(50);
    expect(await stored(A, X)).toBe(20);
    expect(await stored(B, X)).toBe(50);
  });

  it("refuses another tenant's account as not found", async () => {
    const onlyB = randomUUID();
    await insertIn(t.db, B, accounts, { id: onlyB, name: 'B only' });
    await expectPgError(score(A, onlyB), 'P0002');
    expect(await stored(B, onlyB)).toBeNull();
  });

  it('raises outside a tenant context: request role without a tenant, owner, platform path', async () => {
    const call = `SELECT account_health_score('${X}'::uuid)`;
    await expectPgError(
      t.db.transaction(async (conn) => {
        await conn.exec('SET LOCAL ROLE frontdesk_app');
        return conn.query(call);
      }),
      S.insufficientPrivilege,
    );
    await expectPgError(t.db.query(call), S.insufficientPrivilege);
    await expectPgError(
      withPlatform(t.db, (tx) => tx.execute(sql.raw(call))),
      S.insufficientPrivilege,
    );
    expect(await stored(A, X)).toBe(20);
  });
});
