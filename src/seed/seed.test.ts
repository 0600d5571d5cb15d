import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, useTestDatabase, withOwner } from '../../test/helpers/db.js';
import { ESCALATION_TYPES } from '../domains/conversations/tables.js';
import { verifyPassword } from '../domains/identity/passwords.js';
import { INSIGHT_TYPES } from '../domains/success/tables.js';
import { tenantBySlug, tenantsOfUser } from '../domains/tenancy/lookup.js';
import { type Database, rows } from '../platform/db/database.js';
import { withPlatform, withTenant } from '../platform/db/tenant.js';
import { brandConfigSchema } from '../schema/tenant-brand.js';
import { localDate } from './clock.js';
import { ADMIN_EMAIL, DEMO_PASSWORD, DEMO_TENANTS, type SeedSummary, seedDemo } from './index.js';

const t = useTestDatabase();

type Fingerprint = Record<string, { n: number; md5: string }>;

/** Row count and a digest of every row of every table, read as the owner. */
async function fingerprint(db: Database, except: string[] = []): Promise<Fingerprint> {
  return withOwner(db, async (tx) => {
    const tables = await rows<{ name: string }>(
      tx,
      sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
    );
    const out: Fingerprint = {};
    for (const { name } of tables.filter((x) => !except.includes(x.name))) {
      const [r] = await rows<{ n: number; md5: string }>(
        tx,
        sql.raw(
          `select count(*)::int as n, md5(coalesce(string_agg(to_jsonb(t)::text, '' order by to_jsonb(t)::text), '')) as md5 from public."${name}" t`,
        ),
      );
      out[name] = r!;
    }
    return out;
  });
}

/** Runs one query inside a demo tenant's context (so RLS decides what it sees). */
async function inTenant<T>(slug: string, query: ReturnType<typeof sql>): Promise<T[]> {
  const tenant = await tenantBySlug(t.db, slug);
  return withTenant(t.db, tenant!.id, (tx) => rows<T>(tx, query));
}

let first: SeedSummary;
beforeAll(async () => {
  first = await seedDemo(t.db);
});

describe('frontdesk seed --demo', () => {
  it('creates the five demo tenants and the global catalogue', () => {
    expect(first.tenants.map((x) => [x.slug, x.status])).toEqual(
      DEMO_TENANTS.map((d) => [d.slug, 'created']),
    );
    expect(first.global).toEqual({ plans: 4, agentTemplates: 6, users: 1 + DEMO_TENANTS.length * 4 });
    for (const tenant of first.tenants) {
      expect(tenant.rows.memberships).toBe(4);
      expect(Object.values(tenant.rows).reduce((s, n) => s + n, 0)).toBeGreaterThan(250);
    }
  });

  it('changes nothing when run again: same row counts and the same content in every table', async () => {
    const before = await fingerprint(t.db);
    const again = await seedDemo(t.db);
    expect(again.global).toEqual({ plans: 0, agentTemplates: 0, users: 0 });
    expect(again.tenants.every((x) => x.status === 'skipped' && Object.keys(x.rows).length === 0)).toBe(true);
    expect(await fingerprint(t.db)).toEqual(before);
    expect(before.conversations!.n).toBeGreaterThan(200);
  });

  it('writes the same data on a fresh database (deterministic ids and timestamps)', async () => {
    let other: TestDatabase | undefined;
    try {
      other = await createTestDatabase();
      await seedDemo(other.db);
      // Password hashes are salted, and upcoming reservations follow today's date.
      // Quota counters are the quota trigger's lock rows (random ids, stamped by the database).
      const except = ['users', 'reservations', 'frontdesk_migrations', 'quota_counters'];
      expect(await fingerprint(other.db, except)).toEqual(await fingerprint(t.db, except));
    } finally {
      await other?.close();
    }
  });

  it('finds leadingwithmeaning by slug with its full brand config', async () => {
    const tenant = await tenantBySlug(t.db, 'leadingwithmeaning');
    expect(tenant).toMatchObject({
      name: 'Leading with Meaning',
      vertical: 'coaching',
      customDomain: 'assess.leadingwithmeaning.com',
    });
    const brand = brandConfigSchema.parse(tenant!.brandConfig);
    expect(brand.logo).toMatchObject({
      url: expect.stringMatching(/^https:\/\//),
      alt: 'Leading with Meaning',
    });
    expect(Object.keys(brand.colors ?? {}).sort()).toEqual(
      [
        'background',
        'backgroundSubtle',
        'border',
        'primary',
        'primaryHover',
        'secondary',
        'text',
        'textMuted',
      ].sort(),
    );
    expect(brand.fonts).toEqual({ heading: 'Playfair Display', body: 'Lato' });
    expect(tenant!.emailConfig.replyTo).toBe('hello@leadingwithmeaning.com');
    expect(tenant!.enabledAssessments.length).toBeGreaterThan(1);
  });

  it('gives every tenant with conversations hundreds of messages, seen through RLS', async () => {
    for (const { slug } of DEMO_TENANTS) {
      const [c] = await inTenant<{
        conversations: number;
        messages: number;
        metrics: number;
        tenants: number;
      }>(
        slug,
        sql`select (select count(*)::int from conversations) as conversations, (select count(*)::int from messages) as messages,
                   (select count(*)::int from conversation_metrics) as metrics, (select count(*)::int from tenants) as tenants`,
      );
      expect(c!.tenants).toBe(1);
      if (slug === 'leadingwithmeaning') continue; // the coaching practice works through assessments
      expect(c!.conversations, slug).toBeGreaterThanOrEqual(40);
      expect(c!.messages, slug).toBeGreaterThanOrEqual(150);
      expect(c!.metrics, slug).toBe(c!.conversations);
      expect(first.tenants.find((x) => x.slug === slug)!.rows.conversations).toBe(c!.conversations);
    }
    const pipeline = await inTenant<{ status: string; n: number }>(
      'leadingwithmeaning',
      sql`select client_status as status, count(*)::int as n from participants group by 1`,
    );
    expect(pipeline.map((p) => p.status).sort()).toEqual([
      'archived',
      'completed',
      'contacted',
      'converted',
      'registered',
      'started',
    ]);
  });

  it('stores argon2id password hashes that verify, and makes the platform admin', async () => {
    const users = await withPlatform(t.db, (tx) =>
      rows<{ email: string; hash: string; admin: boolean; id: string }>(
        tx,
        sql`select id, email, password_hash as hash, is_platform_admin as admin from users order by email`,
      ),
    );
    expect(users).toHaveLength(21);
    const admin = users.find((u) => u.email === ADMIN_EMAIL)!;
    expect(admin.admin).toBe(true);
    expect(users.filter((u) => u.admin)).toHaveLength(1);
    expect(admin.hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(admin.hash, DEMO_PASSWORD)).toBe(true);
    expect(await verifyPassword(admin.hash, 'wrong password')).toBe(false);
    const owner = users.find((u) => u.email === 'owner@leadingwithmeaning.demo')!;
    expect(await verifyPassword(owner.hash, DEMO_PASSWORD)).toBe(true);
    const memberships = await tenantsOfUser(t.db, owner.id);
    expect(memberships.map((m) => [m.tenant.slug, m.role])).toEqual([['leadingwithmeaning', 'owner']]);
  });

  it('has reservations arriving today, tomorrow and in 3 days in each property’s time zone, and a quiet-hours agent', async () => {
    const stays = await inTenant<{ check_in: string; timezone: string; status: string }>(
      'paradise-stays',
      sql`select r.check_in::text as check_in, p.timezone, r.status from reservations r join properties p on p.id = r.property_id`,
    );
    const offsets = stays
      .filter((s) => s.status === 'confirmed')
      .map((s) => (Date.parse(s.check_in) - Date.parse(localDate(s.timezone))) / 86_400_000);
    expect(offsets).toEqual(expect.arrayContaining([0, 1, 3]));
    expect(new Set(stays.map((s) => s.timezone)).size).toBeGreaterThan(1);
    const [agent] = await inTenant<Record<string, unknown>>(
      'paradise-stays',
      sql`select quiet_hours_start::text as qs, quiet_hours_end::text as qe, response_delay_seconds as delay,
                 confidence_threshold::float as threshold, escalation_categories as categories,
                 (select count(*)::int from prompt_versions where is_published) as published,
                 (select count(*)::int from prompt_versions where not is_published) as drafts
          from agents`,
    );
    expect(agent).toEqual({
      qs: '22:00:00',
      qe: '08:00:00',
      delay: 180,
      threshold: 0.7,
      categories: ['refund', 'complaint', 'emergency', 'booking_change'],
      published: 1,
      drafts: 3,
    });
    const triggers = await inTenant<{ channel: string; trigger: string }>(
      'paradise-stays',
      sql`select channel, trigger from message_templates`,
    );
    for (const channel of ['sms', 'email'])
      for (const trigger of ['T_MINUS_3', 'T_MINUS_1', 'DAY_OF'])
        expect(triggers).toContainEqual({ channel, trigger });
  });

  it('covers every escalation type in the agency and every insight type and approval outcome in customer success', async () => {
    const esc = await inTenant<{ type: string; severity: string; status: string; slack: string | null }>(
      'copperleaf',
      sql`select type, severity, status, external_message_ts as slack from escalations`,
    );
    expect(new Set(esc.map((e) => e.type))).toEqual(new Set(ESCALATION_TYPES));
    expect(new Set(esc.map((e) => e.severity)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(esc.map((e) => e.status))).toEqual(
      new Set(['open', 'acknowledged', 'resolved', 'false_positive']),
    );
    expect(esc.every((e) => e.slack && /^\d+\.\d{6}$/.test(e.slack))).toBe(true);
    const insights = await inTenant<{ type: string }>('helio', sql`select distinct type from insights`);
    expect(new Set(insights.map((i) => i.type))).toEqual(new Set(INSIGHT_TYPES));
    const approvals = await inTenant<{ status: string }>('helio', sql`select distinct status from approvals`);
    expect(approvals.map((a) => a.status)).toEqual(
      expect.arrayContaining(['pending', 'approved', 'rejected']),
    );
  });
});
