/**
 * Seed rules of the coaching module (seed 001), tried through the request role: campaigns
 * (assessment type, results disclosure) and participants with the coach's client_status
 * pipeline.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  expectPgError,
  insertIn,
  SQLSTATE as S,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import { contacts } from '../crm/tables.js';
import {
  CAMPAIGN_STATUSES,
  CLIENT_STATUSES,
  campaigns,
  participants,
  RESULTS_DISCLOSURES,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let campaignA: string;
let campaignB: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  campaignA = (await insertIn(t.db, A, campaigns, { name: 'Leadership 2025' })).id;
  campaignB = (await insertIn(t.db, B, campaigns, { name: 'Leadership 2025' })).id;
});

const campaign = (extra: Partial<typeof campaigns.$inferInsert> = {}) => ({
  name: uniq('campaign'),
  ...extra,
});
const participant = (extra: Partial<typeof participants.$inferInsert> = {}) => ({
  campaignId: campaignA,
  email: `${uniq('p')}@example.test`,
  ...extra,
});

describe('campaigns (seed 001)', () => {
  it("results_disclosure defaults to 'full' and assessment_type to 'industry4'", async () => {
    const row = await insertIn(t.db, A, campaigns, campaign());
    expect(row).toMatchObject({ resultsDisclosure: 'full', assessmentType: 'industry4', status: 'draft' });
  });

  it('results_disclosure is full / summary / none', async () => {
    await expectEnum(t.db, A, {
      table: campaigns,
      column: 'results_disclosure',
      values: RESULTS_DISCLOSURES,
      row: (v) => campaign({ resultsDisclosure: v as never }),
      constraint: 'campaigns_results_disclosure_check',
    });
  });

  it('status is a closed list; a campaign cannot end before it starts; name is required', async () => {
    await expectEnum(t.db, A, {
      table: campaigns,
      column: 'status',
      values: CAMPAIGN_STATUSES,
      row: (v) => campaign({ status: v as never }),
      constraint: 'campaigns_status_check',
    });
    await expectInsertRejected(
      t.db,
      A,
      campaigns,
      campaign({ startsAt: new Date('2025-02-01'), endsAt: new Date('2025-01-31') }),
      S.checkViolation,
      'campaigns_dates_check',
    );
    await expectNotNull(t.db, A, campaigns, () => campaign(), [
      'name',
      'assessmentType',
      'resultsDisclosure',
    ]);
  });
});

describe('participants (seed 001 participant_sessions)', () => {
  it("client_status starts at 'registered'", async () => {
    expect((await insertIn(t.db, A, participants, participant())).clientStatus).toBe('registered');
  });

  it('client_status takes every pipeline value and refuses an unknown one', async () => {
    expect(CLIENT_STATUSES).toEqual([
      'registered',
      'started',
      'completed',
      'contacted',
      'converted',
      'archived',
    ]);
    await expectEnum(t.db, A, {
      table: participants,
      column: 'client_status',
      values: CLIENT_STATUSES,
      row: (v) => participant({ clientStatus: v as never }),
      constraint: 'participants_client_status_check',
    });
  });

  it('moves along the pipeline by update, and an unknown status leaves the row unchanged', async () => {
    const row = await insertIn(t.db, A, participants, participant());
    const setStatus = (clientStatus: string) =>
      withTenant(t.db, A, (tx) =>
        tx
          .update(participants)
          .set({ clientStatus: clientStatus as never })
          .where(eq(participants.id, row.id))
          .returning({ clientStatus: participants.clientStatus }),
      );
    for (const status of ['started', 'completed', 'contacted', 'converted']) {
      expect(await setStatus(status)).toEqual([{ clientStatus: status }]);
    }
    await expectPgError(setStatus('hired'), S.checkViolation, 'participants_client_status_check');
    const [now] = await withTenant(t.db, A, (tx) =>
      tx.select().from(participants).where(eq(participants.id, row.id)),
    );
    expect(now!.clientStatus).toBe('converted');
  });

  it('registers once per campaign and email, case-insensitively; another campaign is fine', async () => {
    await insertIn(t.db, A, participants, participant({ email: 'Jo@Example.test' }));
    await expectInsertRejected(
      t.db,
      A,
      participants,
      participant({ email: 'jo@example.TEST' }),
      S.uniqueViolation,
      'participants_campaign_email_key',
    );
    const other = await insertIn(t.db, A, campaigns, campaign());
    await insertIn(t.db, A, participants, participant({ campaignId: other.id, email: 'jo@example.test' }));
  });

  it("cannot join another tenant's campaign or be another tenant's contact (composite foreign keys)", async () => {
    await expectInsertRejected(
      t.db,
      A,
      participants,
      participant({ campaignId: campaignB }),
      S.foreignKeyViolation,
      'participants_campaign_fk',
    );
    const contactB = await insertIn(t.db, B, contacts, {});
    await expectInsertRejected(
      t.db,
      A,
      participants,
      participant({ contactId: contactB.id }),
      S.foreignKeyViolation,
      'participants_contact_fk',
    );
  });

  it('campaign and email are required; completion cannot precede the start', async () => {
    await expectNotNull(t.db, A, participants, () => participant(), ['campaignId', 'email', 'clientStatus']);
    await expectInsertRejected(
      t.db,
      A,
      participants,
      participant({ startedAt: new Date('2025-02-01'), completedAt: new Date('2025-01-01') }),
      S.checkViolation,
      'participants_dates_check',
    );
  });

  it('are deleted with their campaign', async () => {
    const c = await insertIn(t.db, A, campaigns, campaign());
    await insertIn(t.db, A, participants, participant({ campaignId: c.id }));
    await withTenant(t.db, A, (tx) => tx.delete(campaigns).where(eq(campaigns.id, c.id)));
    expect(
      await withTenant(t.db, A, (tx) =>
        tx.select().from(participants).where(eq(participants.campaignId, c.id)),
      ),
    ).toEqual([]);
  });
});
