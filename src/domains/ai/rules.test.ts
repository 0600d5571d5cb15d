/**
 * Seed rules of the AI domain, tried through the request role: seed 003's AI behaviour settings
 * (confidence threshold, quiet hours, response delay) and versioned prompts with publishing,
 * seed 000's brand voices, seed 004's agents and agent packages.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  columnType,
  expectEnum,
  expectNotNull,
  expectRejected,
  insertIn,
  SQLSTATE as S,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withPlatform, withTenant } from '../../platform/db/tenant.js';
import {
  AGENT_STATUSES,
  AGENT_TYPES,
  agents,
  agentTemplates,
  BRAND_VOICE_SCOPES,
  brandVoices,
  promptVersions,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let agentA: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  agentA = (await insertIn(t.db, A, agents, { name: 'Concierge' })).id;
});

const agent = (extra: Partial<typeof agents.$inferInsert> = {}) => ({ name: uniq('agent'), ...extra });

describe('agents: AI behaviour (seed 003 company_ai_config)', () => {
  it('confidence threshold lies in 0–1: 0 and 1 are accepted, -0.01 and 1.01 refused', async () => {
    for (const v of [0, 1, 0.7]) {
      const row = await insertIn(t.db, A, agents, agent({ confidenceThreshold: v }));
      expect(row.confidenceThreshold).toBe(v);
    }
    for (const v of [-0.01, 1.01]) {
      await expectRejected(
        t.db,
        agents,
        () => insertIn(t.db, A, agents, agent({ confidenceThreshold: v })),
        S.checkViolation,
        'agents_confidence_threshold_check',
      );
    }
  });

  it('confidence threshold is NUMERIC(3,2) with the seed default 0.70', async () => {
    expect(await columnType(t.db, 'agents', 'confidence_threshold')).toBe('numeric(3,2)');
    expect((await insertIn(t.db, A, agents, agent())).confidenceThreshold).toBe(0.7);
  });

  it('quiet hours are TIME: 22:00–08:00 is accepted, a non-time string and 25:00 are refused', async () => {
    expect(await columnType(t.db, 'agents', 'quiet_hours_start')).toBe('time without time zone');
    expect(await columnType(t.db, 'agents', 'quiet_hours_end')).toBe('time without time zone');
    const row = await insertIn(t.db, A, agents, agent({ quietHoursStart: '22:00', quietHoursEnd: '08:00' }));
    expect([row.quietHoursStart, row.quietHoursEnd]).toEqual(['22:00:00', '08:00:00']);
    const bad = (start: string) => () =>
      insertIn(t.db, A, agents, agent({ quietHoursStart: start, quietHoursEnd: '08:00' }));
    await expectRejected(t.db, agents, bad('late evening'), S.invalidDatetimeFormat);
    await expectRejected(t.db, agents, bad('25:00'), S.datetimeFieldOverflow);
  });

  it('quiet hours are set together: a start without an end (or the reverse) is refused', async () => {
    for (const hours of [{ quietHoursStart: '22:00' }, { quietHoursEnd: '08:00' }]) {
      await expectRejected(
        t.db,
        agents,
        () => insertIn(t.db, A, agents, agent(hours)),
        S.checkViolation,
        'agents_quiet_hours_check',
      );
    }
    const none = await insertIn(t.db, A, agents, agent());
    expect([none.quietHoursStart, none.quietHoursEnd]).toEqual([null, null]);
  });

  it('response delay is ≥ 0', async () => {
    for (const v of [0, 180]) {
      expect((await insertIn(t.db, A, agents, agent({ responseDelaySeconds: v }))).responseDelaySeconds).toBe(
        v,
      );
    }
    await expectRejected(
      t.db,
      agents,
      () => insertIn(t.db, A, agents, agent({ responseDelaySeconds: -1 })),
      S.checkViolation,
      'agents_response_delay_check',
    );
  });

  it('type and status are closed lists (seed 004 agent_type, agent_status)', async () => {
    await expectEnum(t.db, A, {
      table: agents,
      column: 'type',
      values: AGENT_TYPES,
      row: (v) => agent({ type: v as never }),
      constraint: 'agents_type_check',
    });
    await expectEnum(t.db, A, {
      table: agents,
      column: 'status',
      values: AGENT_STATUSES,
      row: (v) => agent({ status: v as never }),
      constraint: 'agents_status_check',
    });
  });

  it("cannot write in another tenant's brand voice (composite foreign key)", async () => {
    const voiceB = await insertIn(t.db, B, brandVoices, { name: 'B voice', toneGuidelines: 'Warm.' });
    await expectRejected(
      t.db,
      agents,
      () => insertIn(t.db, A, agents, agent({ brandVoiceId: voiceB.id })),
      S.foreignKeyViolation,
      'agents_brand_voice_fk',
    );
    const voiceA = await insertIn(t.db, A, brandVoices, { name: 'A voice', toneGuidelines: 'Crisp.' });
    expect((await insertIn(t.db, A, agents, agent({ brandVoiceId: voiceA.id }))).brandVoiceId).toBe(
      voiceA.id,
    );
  });

  it('escalation categories are limited to the escalation types (escalations.type)', async () => {
    await expectRejected(
      t.db,
      agents,
      () => insertIn(t.db, A, agents, agent({ escalationCategories: ['refund', 'bogus'] })),
      S.checkViolation,
      'agents_escalation_categories_check',
    );
    const ok = await insertIn(
      t.db,
      A,
      agents,
      agent({ escalationCategories: ['refund', 'complaint', 'emergency'] }),
    );
    expect(ok.escalationCategories).toEqual(['refund', 'complaint', 'emergency']);
  });

  it('name is required', async () => {
    await expectNotNull(t.db, A, agents, () => agent(), ['name']);
  });
});

describe('prompt versions (seed 003 company_prompts)', () => {
  const version = (agentId: string, v: number, extra: Partial<typeof promptVersions.$inferInsert> = {}) => ({
    agentId,
    version: v,
    content: `You are a helpful concierge (v${v}).`,
    ...extra,
  });

  it('version is unique per agent and greater than 0', async () => {
    await insertIn(t.db, A, promptVersions, version(agentA, 1));
    await expectRejected(
      t.db,
      promptVersions,
      () => insertIn(t.db, A, promptVersions, version(agentA, 1)),
      S.uniqueViolation,
      'prompt_versions_agent_version_key',
    );
    for (const v of [0, -1]) {
      await expectRejected(
        t.db,
        promptVersions,
        () => insertIn(t.db, A, promptVersions, version(agentA, v)),
        S.checkViolation,
        'prompt_versions_version_check',
      );
    }
    const other = await insertIn(t.db, A, agents, agent());
    await insertIn(t.db, A, promptVersions, version(other.id, 1));
    await expectNotNull(t.db, A, promptVersions, () => version(other.id, 99), ['content', 'version']);
  });

  it('at most one version per agent is published; publishing after unpublishing the first is accepted', async () => {
    const a = (await insertIn(t.db, A, agents, agent())).id;
    const now = new Date();
    await insertIn(t.db, A, promptVersions, version(a, 1, { isPublished: true, publishedAt: now }));
    await expectRejected(
      t.db,
      promptVersions,
      () => insertIn(t.db, A, promptVersions, version(a, 2, { isPublished: true, publishedAt: now })),
      S.uniqueViolation,
      'prompt_versions_one_published_key',
    );
    await insertIn(t.db, A, promptVersions, version(a, 2));
    const publish = (v: number, on: boolean) =>
      withTenant(t.db, A, (tx) =>
        tx
          .update(promptVersions)
          .set({ isPublished: on, publishedAt: on ? new Date() : null })
          .where(and(eq(promptVersions.agentId, a), eq(promptVersions.version, v))),
      );
    await expectRejected(
      t.db,
      promptVersions,
      () => publish(2, true),
      S.uniqueViolation,
      'prompt_versions_one_published_key',
    );
    await publish(1, false);
    await publish(2, true);
    const published = await withTenant(t.db, A, (tx) =>
      tx
        .select({ version: promptVersions.version })
        .from(promptVersions)
        .where(and(eq(promptVersions.agentId, a), eq(promptVersions.isPublished, true))),
    );
    expect(published).toEqual([{ version: 2 }]);
    // Another agent publishes its own version independently.
    const b = (await insertIn(t.db, A, agents, agent())).id;
    await insertIn(t.db, A, promptVersions, version(b, 1, { isPublished: true, publishedAt: now }));
  });

  it('a published version needs published_at', async () => {
    await expectRejected(
      t.db,
      promptVersions,
      () => insertIn(t.db, A, promptVersions, version(agentA, 50, { isPublished: true })),
      S.checkViolation,
      'prompt_versions_published_at_check',
    );
  });

  it("cannot point at another tenant's agent (composite foreign key)", async () => {
    await expectRejected(
      t.db,
      promptVersions,
      () => insertIn(t.db, B, promptVersions, version(agentA, 1)),
      S.foreignKeyViolation,
      'prompt_versions_agent_fk',
    );
  });
});

describe('brand voices (seed 000 brandVoiceTemplates)', () => {
  const voice = (extra: Partial<typeof brandVoices.$inferInsert> = {}) => ({
    name: uniq('voice'),
    toneGuidelines: 'Friendly, concise.',
    ...extra,
  });

  it("applicable_to is all / client_conversations / internal_only, default 'all'", async () => {
    expect((await insertIn(t.db, A, brandVoices, voice())).applicableTo).toBe('all');
    await expectEnum(t.db, A, {
      table: brandVoices,
      column: 'applicable_to',
      values: BRAND_VOICE_SCOPES,
      row: (v) => voice({ applicableTo: v as never }),
      constraint: 'brand_voices_applicable_to_check',
    });
  });

  it('at most one default voice per tenant; another tenant has its own', async () => {
    const T = await tenantWith(t.db);
    await insertIn(t.db, T, brandVoices, voice({ isDefault: true }));
    await expectRejected(
      t.db,
      brandVoices,
      () => insertIn(t.db, T, brandVoices, voice({ isDefault: true })),
      S.uniqueViolation,
      'brand_voices_one_default_key',
    );
    await insertIn(t.db, T, brandVoices, voice({ isDefault: false }));
    await insertIn(t.db, T, brandVoices, voice({ isDefault: false }));
    await insertIn(t.db, await tenantWith(t.db), brandVoices, voice({ isDefault: true }));
  });

  it('name is unique per tenant; name and tone guidelines are required', async () => {
    await insertIn(t.db, A, brandVoices, voice({ name: 'Formal' }));
    await expectRejected(
      t.db,
      brandVoices,
      () => insertIn(t.db, A, brandVoices, voice({ name: 'Formal' })),
      S.uniqueViolation,
      'brand_voices_tenant_name_key',
    );
    await insertIn(t.db, B, brandVoices, voice({ name: 'Formal' }));
    await expectNotNull(t.db, A, brandVoices, () => voice(), ['name', 'toneGuidelines']);
  });
});

describe('agent templates (seed 004 agent_packages, global)', () => {
  it('the platform writes them with a unique slug; a tenant context may only read them', async () => {
    const slug = uniq('faq-bot');
    const row = { slug, name: 'FAQ bot', basePrompt: 'Answer from the FAQ.' };
    await withPlatform(t.db, (tx) => tx.insert(agentTemplates).values(row));
    await expectRejected(
      t.db,
      agentTemplates,
      () => withPlatform(t.db, (tx) => tx.insert(agentTemplates).values(row)),
      S.uniqueViolation,
      'agent_templates_slug_key',
    );
    await expectRejected(
      t.db,
      agentTemplates,
      () => withTenant(t.db, A, (tx) => tx.insert(agentTemplates).values({ ...row, slug: uniq('t') })),
      S.insufficientPrivilege,
    );
    const seen = await withTenant(t.db, A, (tx) =>
      tx.select({ slug: agentTemplates.slug }).from(agentTemplates).where(eq(agentTemplates.slug, slug)),
    );
    expect(seen).toEqual([{ slug }]);
    await expectRejected(
      t.db,
      agentTemplates,
      () =>
        withPlatform(t.db, (tx) =>
          tx.insert(agentTemplates).values({ ...row, slug: uniq('t'), agentType: 'robot' as never }),
        ),
      S.checkViolation,
      'agent_templates_agent_type_check',
    );
  });
});
