/**
 * Seed rules of the channels domain, tried through the request role: channels (seed 004's
 * channel_type, seed 000's Slack workspaces, seed 003's SMS/email/Telegram), integrations
 * (seed 004) and widget settings (seed 004: one per company, here one per agent plus one
 * tenant default, NULLS NOT DISTINCT).
 */
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
import { agents } from '../ai/tables.js';
import {
  CHANNEL_KINDS,
  CHANNEL_STATUSES,
  channels,
  INTEGRATION_STATUSES,
  INTEGRATION_TYPES,
  integrations,
  widgetSettings,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let agentA: string;
let agentB: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  agentA = (await insertIn(t.db, A, agents, { name: 'Support' })).id;
  agentB = (await insertIn(t.db, B, agents, { name: 'Support' })).id;
});

const channel = (extra: Partial<typeof channels.$inferInsert> = {}) => ({
  kind: 'sms' as const,
  name: uniq('channel'),
  ...extra,
});

describe('channels', () => {
  it("kind is a closed list (seed 004 channel_type + sms, api); status defaults to 'active'", async () => {
    expect((await insertIn(t.db, A, channels, channel())).status).toBe('active');
    await expectEnum(t.db, A, {
      table: channels,
      column: 'kind',
      values: CHANNEL_KINDS,
      row: (v) => channel({ kind: v as never }),
      constraint: 'channels_kind_check',
    });
    await expectEnum(t.db, A, {
      table: channels,
      column: 'status',
      values: CHANNEL_STATUSES,
      row: (v) => channel({ status: v as never }),
      constraint: 'channels_status_check',
    });
  });

  it('a provider account routes to one channel of a kind per tenant', async () => {
    await insertIn(t.db, A, channels, channel({ externalAccountId: '+61400000001' }));
    await expectRejected(
      t.db,
      channels,
      () => insertIn(t.db, A, channels, channel({ externalAccountId: '+61400000001' })),
      S.uniqueViolation,
      'channels_tenant_kind_account_key',
    );
    await insertIn(t.db, A, channels, channel({ kind: 'whatsapp', externalAccountId: '+61400000001' }));
    await insertIn(t.db, A, channels, channel({ externalAccountId: null }));
    await insertIn(t.db, A, channels, channel({ externalAccountId: null }));
  });

  it('a widget key is unique per tenant', async () => {
    await insertIn(t.db, A, channels, channel({ kind: 'widget', widgetKey: 'wk_live_1' }));
    await expectRejected(
      t.db,
      channels,
      () => insertIn(t.db, A, channels, channel({ kind: 'widget', widgetKey: 'wk_live_1' })),
      S.uniqueViolation,
      'channels_tenant_widget_key_key',
    );
  });

  it("cannot be answered by another tenant's agent (composite foreign key)", async () => {
    await expectRejected(
      t.db,
      channels,
      () => insertIn(t.db, A, channels, channel({ agentId: agentB })),
      S.foreignKeyViolation,
      'channels_agent_fk',
    );
    expect((await insertIn(t.db, A, channels, channel({ agentId: agentA }))).agentId).toBe(agentA);
  });

  it('kind and name are required', async () => {
    await expectNotNull(t.db, A, channels, () => channel(), ['kind', 'name']);
  });
});

describe('integrations (seed 004)', () => {
  const integration = (extra: Partial<typeof integrations.$inferInsert> = {}) => ({
    type: 'hubspot' as const,
    name: uniq('crm'),
    ...extra,
  });

  it('type and status are closed lists', async () => {
    await expectEnum(t.db, A, {
      table: integrations,
      column: 'type',
      values: INTEGRATION_TYPES,
      row: (v) => integration({ type: v as never }),
      constraint: 'integrations_type_check',
    });
    await expectEnum(t.db, A, {
      table: integrations,
      column: 'status',
      values: INTEGRATION_STATUSES,
      row: (v) => integration({ status: v as never }),
      constraint: 'integrations_status_check',
    });
  });

  it('name is unique per tenant and type', async () => {
    await insertIn(t.db, A, integrations, integration({ name: 'Main CRM' }));
    await expectRejected(
      t.db,
      integrations,
      () => insertIn(t.db, A, integrations, integration({ name: 'Main CRM' })),
      S.uniqueViolation,
      'integrations_tenant_type_name_key',
    );
    await insertIn(t.db, A, integrations, integration({ type: 'salesforce', name: 'Main CRM' }));
    await insertIn(t.db, B, integrations, integration({ name: 'Main CRM' }));
  });
});

describe('widget settings (seed 004, NULLS NOT DISTINCT)', () => {
  it('one tenant default (agent NULL) and one row per agent', async () => {
    await insertIn(t.db, A, widgetSettings, { agentId: null });
    await expectRejected(
      t.db,
      widgetSettings,
      () => insertIn(t.db, A, widgetSettings, { agentId: null }),
      S.uniqueViolation,
      'widget_settings_tenant_agent_key',
    );
    await insertIn(t.db, A, widgetSettings, { agentId: agentA });
    await expectRejected(
      t.db,
      widgetSettings,
      () => insertIn(t.db, A, widgetSettings, { agentId: agentA }),
      S.uniqueViolation,
      'widget_settings_tenant_agent_key',
    );
    await insertIn(t.db, B, widgetSettings, { agentId: null });
  });

  it("cannot belong to another tenant's agent (composite foreign key)", async () => {
    await expectRejected(
      t.db,
      widgetSettings,
      () => insertIn(t.db, A, widgetSettings, { agentId: agentB }),
      S.foreignKeyViolation,
      'widget_settings_agent_fk',
    );
  });
});
