/**
 * Seed rules of the CRM domain, tried through the request role: accounts (seed 000's
 * clientProfiles, seed 002's customers), contacts (seed 002's stakeholders, seed 004's
 * customers) and contact identities (seed 000's clientContacts: one Slack user per workspace),
 * plus the money convention: every `*_cents` column in the schema is an integer type.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  expectEnum,
  expectNotNull,
  expectRejected,
  insertIn,
  SQLSTATE as S,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import { channels } from '../channels/tables.js';
import {
  ACCOUNT_STAGES,
  accounts,
  contactIdentities,
  contacts,
  RELATIONSHIP_STATUSES,
  SENTIMENTS,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let slackA: string;
let slackB: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  slackA = (await insertIn(t.db, A, channels, { kind: 'slack', name: 'Agency', externalAccountId: 'T0A' }))
    .id;
  slackB = (await insertIn(t.db, B, channels, { kind: 'slack', name: 'Other', externalAccountId: 'T0B' })).id;
});

const account = (extra: Partial<typeof accounts.$inferInsert> = {}) => ({ name: uniq('Acme'), ...extra });
const rejectAccount = (
  tenant: string,
  values: Partial<typeof accounts.$inferInsert>,
  code: string,
  constraint?: string,
) =>
  expectRejected(t.db, accounts, () => insertIn(t.db, tenant, accounts, account(values)), code, constraint);

describe('accounts (seed 000 clientProfiles, seed 002 customers)', () => {
  it("stage is a closed list with default 'prospect'", async () => {
    expect((await insertIn(t.db, A, accounts, account())).stage).toBe('prospect');
    await expectEnum(t.db, A, {
      table: accounts,
      column: 'stage',
      values: ACCOUNT_STAGES,
      row: (v) => account({ stage: v as never }),
      constraint: 'accounts_stage_check',
    });
  });

  it("relationship status is active / at_risk / churned with default 'active'", async () => {
    expect((await insertIn(t.db, A, accounts, account())).relationshipStatus).toBe('active');
    await expectEnum(t.db, A, {
      table: accounts,
      column: 'relationship_status',
      values: RELATIONSHIP_STATUSES,
      row: (v) => account({ relationshipStatus: v as never }),
      constraint: 'accounts_relationship_status_check',
    });
  });

  it('health score lies in 0–100', async () => {
    for (const healthScore of [0, 100, null]) {
      expect((await insertIn(t.db, A, accounts, account({ healthScore }))).healthScore).toBe(healthScore);
    }
    for (const healthScore of [-1, 101]) {
      await rejectAccount(A, { healthScore }, S.checkViolation, 'accounts_health_score_check');
    }
  });

  it('ARR and lifetime value are non-negative whole cents', async () => {
    const row = await insertIn(
      t.db,
      A,
      accounts,
      account({ arrCents: 12_000_000_00, lifetimeValueCents: 0 }),
    );
    expect([row.arrCents, row.lifetimeValueCents]).toEqual([12_000_000_00, 0]);
    await rejectAccount(A, { arrCents: -1 }, S.checkViolation, 'accounts_arr_check');
    await rejectAccount(A, { lifetimeValueCents: -1 }, S.checkViolation, 'accounts_lifetime_value_check');
    await rejectAccount(A, { arrCents: 1999.5 }, S.invalidTextRepresentation);
  });

  it('contract details hold at most 2000 characters (seed 000: "max 2000 chars")', async () => {
    await insertIn(t.db, A, accounts, account({ contractDetails: 'x'.repeat(2000) }));
    await rejectAccount(
      A,
      { contractDetails: 'x'.repeat(2001) },
      S.checkViolation,
      'accounts_contract_details_check',
    );
  });

  it('renewal date is not before the start date', async () => {
    await insertIn(t.db, A, accounts, account({ startDate: '2025-01-01', renewalDate: '2025-01-01' }));
    await rejectAccount(
      A,
      { startDate: '2025-06-01', renewalDate: '2025-05-31' },
      S.checkViolation,
      'accounts_dates_check',
    );
  });

  it('Salesforce and HubSpot ids are unique per tenant when set', async () => {
    await insertIn(t.db, A, accounts, account({ salesforceId: '001XYZ', hubspotId: '42' }));
    await rejectAccount(A, { salesforceId: '001XYZ' }, S.uniqueViolation, 'accounts_tenant_salesforce_key');
    await rejectAccount(A, { hubspotId: '42' }, S.uniqueViolation, 'accounts_tenant_hubspot_key');
    await insertIn(t.db, B, accounts, account({ salesforceId: '001XYZ', hubspotId: '42' }));
    await insertIn(t.db, A, accounts, account({ salesforceId: null }));
    await insertIn(t.db, A, accounts, account({ salesforceId: null }));
  });

  it('name is required', async () => {
    await expectNotNull(t.db, A, accounts, () => account(), ['name']);
  });
});

describe('money', () => {
  it('every *_cents column in the schema is integer or bigint, and every *_micros column bigint', async () => {
    const columns = await t.db.query<{ col: string; type: string }>(`
      SELECT c.relname || '.' || a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        AND (a.attname LIKE '%\\_cents' OR a.attname LIKE '%\\_micros') ORDER BY 1`);
    expect(columns.map((c) => c.col)).toEqual(
      expect.arrayContaining([
        'accounts.arr_cents',
        'accounts.lifetime_value_cents',
        'entitlements.price_cents',
      ]),
    );
    for (const { col, type } of columns) {
      const allowed = col.endsWith('_micros') ? ['bigint'] : ['integer', 'bigint'];
      expect({ col, type: allowed.includes(type) ? 'integer type' : type }).toEqual({
        col,
        type: 'integer type',
      });
    }
    expect(columns.filter((c) => /(arr|lifetime_value)_cents$/.test(c.col)).map((c) => c.type)).toEqual(
      Array(3).fill('bigint'),
    );
  });
});

describe('contacts (seed 002 stakeholders, seed 004 customers)', () => {
  it('sentiment is positive / neutral / negative / mixed, or unset', async () => {
    expect((await insertIn(t.db, A, contacts, {})).sentiment).toBeNull();
    await expectEnum(t.db, A, {
      table: contacts,
      column: 'sentiment',
      values: SENTIMENTS,
      row: (v) => ({ sentiment: v as never }),
      constraint: 'contacts_sentiment_check',
    });
  });

  it('external id is unique per tenant when set', async () => {
    await insertIn(t.db, A, contacts, { externalId: 'cust-1' });
    await expectRejected(
      t.db,
      contacts,
      () => insertIn(t.db, A, contacts, { externalId: 'cust-1' }),
      S.uniqueViolation,
      'contacts_tenant_external_key',
    );
    await insertIn(t.db, B, contacts, { externalId: 'cust-1' });
  });

  // Seed 002 cascades stakeholders with the customer; Frontdesk keeps the people (they have
  // conversations and channel identities of their own) and clears their link to the account.
  it('deleting an account unlinks its contacts and keeps them', async () => {
    const acct = await insertIn(t.db, A, accounts, account());
    const person = await insertIn(t.db, A, contacts, { accountId: acct.id, name: 'Stakeholder' });
    await withTenant(t.db, A, (tx) => tx.delete(accounts).where(eq(accounts.id, acct.id)));
    const [after] = await withTenant(t.db, A, (tx) =>
      tx.select().from(contacts).where(eq(contacts.id, person.id)),
    );
    expect(after).toMatchObject({ id: person.id, accountId: null, tenantId: A });
  });

  it("cannot belong to another tenant's account (composite foreign key)", async () => {
    const accountB = await insertIn(t.db, B, accounts, account());
    await expectRejected(
      t.db,
      contacts,
      () => insertIn(t.db, A, contacts, { accountId: accountB.id }),
      S.foreignKeyViolation,
      'contacts_account_fk',
    );
  });
});

describe('contact identities (seed 000 clientContacts)', () => {
  const identity = async (tenant: string, channelId: string, externalUserId: string) => {
    const contact = await insertIn(t.db, tenant, contacts, { name: externalUserId });
    return { contactId: contact.id, channelId, externalUserId };
  };

  it('a Slack user id is unique per workspace; the same id in another tenant or workspace is fine', async () => {
    await insertIn(t.db, A, contactIdentities, await identity(A, slackA, 'U123'));
    const again = await identity(A, slackA, 'U123');
    await expectRejected(
      t.db,
      contactIdentities,
      () => insertIn(t.db, A, contactIdentities, again),
      S.uniqueViolation,
      'contact_identities_channel_user_key',
    );
    await insertIn(t.db, B, contactIdentities, await identity(B, slackB, 'U123'));
    const slack2 = await insertIn(t.db, A, channels, {
      kind: 'slack',
      name: 'Second',
      externalAccountId: 'T0C',
    });
    await insertIn(t.db, A, contactIdentities, await identity(A, slack2.id, 'U123'));
  });

  it("cannot point at another tenant's contact or workspace (composite foreign keys)", async () => {
    const mine = await identity(A, slackA, uniq('U'));
    const theirs = await identity(B, slackB, uniq('U'));
    await expectRejected(
      t.db,
      contactIdentities,
      () => insertIn(t.db, A, contactIdentities, { ...mine, contactId: theirs.contactId }),
      S.foreignKeyViolation,
      'contact_identities_contact_fk',
    );
    await expectRejected(
      t.db,
      contactIdentities,
      () => insertIn(t.db, A, contactIdentities, { ...mine, channelId: slackB }),
      S.foreignKeyViolation,
      'contact_identities_channel_fk',
    );
  });

  it('contact, workspace and Slack user id are required', async () => {
    const base = await identity(A, slackA, uniq('U'));
    await expectNotNull(t.db, A, contactIdentities, () => ({ ...base, externalUserId: uniq('U') }), [
      'contactId',
      'channelId',
      'externalUserId',
    ]);
  });

  it('are deleted with their contact', async () => {
    const row = await insertIn(t.db, A, contactIdentities, await identity(A, slackA, uniq('U')));
    await withTenant(t.db, A, (tx) => tx.delete(contacts).where(eq(contacts.id, row.contactId)));
    const left = await withTenant(t.db, A, (tx) =>
      tx.select().from(contactIdentities).where(eq(contactIdentities.id, row.id)),
    );
    expect(left).toEqual([]);
  });
});
