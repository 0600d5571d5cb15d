/**
 * Seed rules of the customer-success module (seed 002), tried through the request role:
 * contracts and entitlements, meetings and transcripts, insights, training modules and progress.
 * The account_health view and account_health_score() are in account-health.test.ts.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  insertIn,
  type RowOf,
  SQLSTATE as S,
  type TenantOwned,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import { accounts } from '../crm/tables.js';
import {
  CONTRACT_STATUSES,
  contracts,
  entitlements,
  IMPORTANCE_LEVELS,
  INSIGHT_SOURCES,
  INSIGHT_STATUSES,
  INSIGHT_TYPES,
  insights,
  MEETING_STATUSES,
  meetings,
  TRAINING_LEVELS,
  TRAINING_STATUSES,
  trainingModules,
  trainingProgress,
  transcripts,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let accountA: string;
let accountB: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  accountA = (await insertIn(t.db, A, accounts, { name: 'Acme' })).id;
  accountB = (await insertIn(t.db, B, accounts, { name: 'Globex' })).id;
});

const reject = <T extends TenantOwned>(table: T, values: RowOf<T>, code: string, constraint?: string) =>
  expectInsertRejected(t.db, A, table, values, code, constraint);

describe('contracts and entitlements', () => {
  it("contract status is a closed list with default 'active'; the end is not before the start", async () => {
    expect((await insertIn(t.db, A, contracts, { accountId: accountA })).status).toBe('active');
    await expectEnum(t.db, A, {
      table: contracts,
      column: 'status',
      values: CONTRACT_STATUSES,
      row: (v) => ({ accountId: accountA, status: v as never }),
      constraint: 'contracts_status_check',
    });
    await reject(
      contracts,
      { startDate: '2025-01-01', endDate: '2024-12-31' },
      S.checkViolation,
      'contracts_dates_check',
    );
    await reject(contracts, { arrCents: -1 }, S.checkViolation, 'contracts_arr_check');
    await reject(contracts, { accountId: accountB }, S.foreignKeyViolation, 'contracts_account_fk');
  });

  it('entitlements have non-negative quantity and price, a name, and a contract of the same tenant', async () => {
    const contractId = (await insertIn(t.db, A, contracts, { accountId: accountA })).id;
    const contractB = (await insertIn(t.db, B, contracts, { accountId: accountB })).id;
    const item = (extra: Partial<typeof entitlements.$inferInsert> = {}) => ({
      contractId,
      name: 'Seats',
      ...extra,
    });
    await insertIn(t.db, A, entitlements, item({ quantity: 0, priceCents: 0 }));
    await reject(entitlements, item({ quantity: -1 }), S.checkViolation, 'entitlements_quantity_check');
    await reject(entitlements, item({ priceCents: -1 }), S.checkViolation, 'entitlements_price_check');
    await reject(entitlements, item({ priceCents: 9.99 }), S.invalidTextRepresentation);
    await reject(
      entitlements,
      item({ contractId: contractB }),
      S.foreignKeyViolation,
      'entitlements_contract_fk',
    );
    await expectNotNull(t.db, A, entitlements, () => item(), ['contractId', 'name']);
  });

  it('contracts and their entitlements go with their account', async () => {
    const account = (await insertIn(t.db, A, accounts, { name: uniq('gone') })).id;
    const contractId = (await insertIn(t.db, A, contracts, { accountId: account })).id;
    await insertIn(t.db, A, entitlements, { contractId, name: 'Support' });
    await withTenant(t.db, A, (tx) => tx.delete(accounts).where(eq(accounts.id, account)));
    expect(
      await withTenant(t.db, A, (tx) =>
        tx.select().from(entitlements).where(eq(entitlements.contractId, contractId)),
      ),
    ).toEqual([]);
  });
});

describe('meetings and transcripts', () => {
  const meeting = (extra: Partial<typeof meetings.$inferInsert> = {}) => ({
    accountId: accountA,
    title: 'QBR',
    ...extra,
  });

  it("meeting status is a closed list with default 'scheduled'; duration is non-negative", async () => {
    expect((await insertIn(t.db, A, meetings, meeting())).status).toBe('scheduled');
    await expectEnum(t.db, A, {
      table: meetings,
      column: 'status',
      values: MEETING_STATUSES,
      row: (v) => meeting({ status: v as never }),
      constraint: 'meetings_status_check',
    });
    await reject(meetings, meeting({ durationMinutes: -1 }), S.checkViolation, 'meetings_duration_check');
    await expectNotNull(t.db, A, meetings, () => meeting(), ['title']);
  });

  it('a calendar event id is unique per tenant when set; the account is of the same tenant', async () => {
    await insertIn(t.db, A, meetings, meeting({ calendarEventId: 'gcal-1' }));
    await reject(
      meetings,
      meeting({ calendarEventId: 'gcal-1' }),
      S.uniqueViolation,
      'meetings_tenant_calendar_event_key',
    );
    await insertIn(t.db, B, meetings, meeting({ accountId: accountB, calendarEventId: 'gcal-1' }));
    await reject(meetings, meeting({ accountId: accountB }), S.foreignKeyViolation, 'meetings_account_fk');
  });

  it("transcripts default to English, have non-negative figures and belong to the tenant's meeting", async () => {
    const meetingId = (await insertIn(t.db, A, meetings, meeting())).id;
    const meetingB = (await insertIn(t.db, B, meetings, meeting({ accountId: accountB }))).id;
    const transcript = (extra: Partial<typeof transcripts.$inferInsert> = {}) => ({
      meetingId,
      content: 'Hello.',
      ...extra,
    });
    expect((await insertIn(t.db, A, transcripts, transcript())).language).toBe('en');
    await reject(
      transcripts,
      transcript({ durationSeconds: -1 }),
      S.checkViolation,
      'transcripts_duration_check',
    );
    await reject(
      transcripts,
      transcript({ wordCount: -1 }),
      S.checkViolation,
      'transcripts_word_count_check',
    );
    await reject(
      transcripts,
      transcript({ meetingId: meetingB }),
      S.foreignKeyViolation,
      'transcripts_meeting_fk',
    );
    await expectNotNull(t.db, A, transcripts, () => transcript(), ['meetingId', 'content', 'language']);
  });
});

describe('insights', () => {
  const insight = (extra: Partial<typeof insights.$inferInsert> = {}) => ({
    accountId: accountA,
    source: 'meeting' as const,
    type: 'concern' as const,
    content: 'Worried about onboarding speed',
    ...extra,
  });

  it("source, type, importance and status are closed lists; importance defaults to 'medium', status to 'open'", async () => {
    expect(await insertIn(t.db, A, insights, insight())).toMatchObject({
      importance: 'medium',
      status: 'open',
    });
    for (const [column, values, key] of [
      ['source', INSIGHT_SOURCES, 'source'],
      ['type', INSIGHT_TYPES, 'type'],
      ['importance', IMPORTANCE_LEVELS, 'importance'],
      ['status', INSIGHT_STATUSES, 'status'],
    ] as const) {
      await expectEnum(t.db, A, {
        table: insights,
        column,
        values,
        row: (v) => insight({ [key]: v }),
        constraint: `insights_${column}_check`,
      });
    }
    await expectNotNull(t.db, A, insights, () => insight(), ['source', 'type', 'content']);
    await reject(insights, insight({ accountId: accountB }), S.foreignKeyViolation, 'insights_account_fk');
  });
});

describe('training', () => {
  let moduleA: string;
  beforeAll(async () => {
    moduleA = (await insertIn(t.db, A, trainingModules, { title: 'Getting started' })).id;
  });
  const progress = (extra: Partial<typeof trainingProgress.$inferInsert> = {}) => ({
    accountId: accountA,
    moduleId: moduleA,
    ...extra,
  });

  it("module level is beginner / intermediate / advanced, default 'beginner'", async () => {
    expect((await insertIn(t.db, A, trainingModules, { title: 'x' })).level).toBe('beginner');
    await expectEnum(t.db, A, {
      table: trainingModules,
      column: 'level',
      values: TRAINING_LEVELS,
      row: (v) => ({ title: uniq('m'), level: v as never }),
      constraint: 'training_modules_level_check',
    });
    await reject(
      trainingModules,
      { title: 'x', durationMinutes: -1 },
      S.checkViolation,
      'training_modules_duration_check',
    );
  });

  it('progress is a percentage, 0–100, starting at 0 and not_started', async () => {
    const T = await tenantWith(t.db);
    const account = (await insertIn(t.db, T, accounts, { name: 'T' })).id;
    const mod = async () => (await insertIn(t.db, T, trainingModules, { title: uniq('m') })).id;
    const row = await insertIn(t.db, T, trainingProgress, { accountId: account, moduleId: await mod() });
    expect(row).toMatchObject({ progress: 0, status: 'not_started' });
    await insertIn(t.db, T, trainingProgress, { accountId: account, moduleId: await mod(), progress: 100 });
    for (const p of [-1, 101]) {
      await expectInsertRejected(
        t.db,
        T,
        trainingProgress,
        { accountId: account, moduleId: await mod(), progress: p },
        S.checkViolation,
        'training_progress_progress_check',
      );
    }
  });

  it('one row per account, contact and module, the account-level row (no contact) included', async () => {
    await insertIn(t.db, A, trainingProgress, progress());
    await reject(
      trainingProgress,
      progress(),
      S.uniqueViolation,
      'training_progress_account_contact_module_key',
    );
  });

  it('status is a closed list; completed needs completed_at; the account is of the same tenant', async () => {
    const mods: string[] = [];
    for (const _ of [...TRAINING_STATUSES, 'unknown']) {
      mods.push((await insertIn(t.db, A, trainingModules, { title: uniq('m') })).id);
    }
    await expectEnum(t.db, A, {
      table: trainingProgress,
      column: 'status',
      values: TRAINING_STATUSES,
      row: (v, i) => progress({ moduleId: mods[i]!, status: v as never, completedAt: new Date() }),
      constraint: 'training_progress_status_check',
    });
    const fresh = (await insertIn(t.db, A, trainingModules, { title: uniq('m') })).id;
    await reject(
      trainingProgress,
      progress({ moduleId: fresh, status: 'completed' }),
      S.checkViolation,
      'training_progress_completed_check',
    );
    await reject(
      trainingProgress,
      progress({ moduleId: fresh, score: -1 }),
      S.checkViolation,
      'training_progress_score_check',
    );
    await reject(
      trainingProgress,
      progress({ moduleId: fresh, accountId: accountB }),
      S.foreignKeyViolation,
      'training_progress_account_fk',
    );
  });
});
