/**
 * Seed rules of the conversations domain, tried through the request role: conversations and
 * messages (seed 004, seed 002's agent sessions), seed 003's comms event log and seed 002's
 * approvals. Escalations and their workflow are in escalation-workflow.test.ts.
 */
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
} from '../../../test/helpers/rules.js';
import { channels } from '../channels/tables.js';
import { accounts, contacts } from '../crm/tables.js';
import {
  APPROVAL_STATUSES,
  approvals,
  COMMS_STATUSES,
  CONVERSATION_STATUSES,
  commsEvents,
  conversations,
  DIRECTIONS,
  MESSAGE_ROLES,
  MESSAGE_TYPES,
  messages,
} from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let convA: string;
let convB: string;
let smsA: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  convA = (await insertIn(t.db, A, conversations, {})).id;
  convB = (await insertIn(t.db, B, conversations, {})).id;
  smsA = (await insertIn(t.db, A, channels, { kind: 'sms', name: 'SMS' })).id;
});

const reject = <T extends TenantOwned>(
  table: T,
  tenant: string,
  values: RowOf<T>,
  code: string,
  constraint?: string,
) => expectInsertRejected(t.db, tenant, table, values, code, constraint);

describe('conversations and messages (seed 004)', () => {
  it("conversation status is a closed list with default 'active'; priority lies in 0–4", async () => {
    expect((await insertIn(t.db, A, conversations, {})).status).toBe('active');
    await expectEnum(t.db, A, {
      table: conversations,
      column: 'status',
      values: CONVERSATION_STATUSES,
      row: (v) => ({ status: v as never }),
      constraint: 'conversations_status_check',
    });
    for (const priority of [0, 4]) await insertIn(t.db, A, conversations, { priority });
    for (const priority of [-1, 5]) {
      await reject(conversations, A, { priority }, S.checkViolation, 'conversations_priority_check');
    }
  });

  it("a conversation cannot point at another tenant's contact or account", async () => {
    const contactB = await insertIn(t.db, B, contacts, {});
    const accountB = await insertIn(t.db, B, accounts, { name: 'B' });
    await reject(
      conversations,
      A,
      { contactId: contactB.id },
      S.foreignKeyViolation,
      'conversations_contact_fk',
    );
    await reject(
      conversations,
      A,
      { accountId: accountB.id },
      S.foreignKeyViolation,
      'conversations_account_fk',
    );
  });

  const message = (extra: Partial<typeof messages.$inferInsert> = {}) => ({
    conversationId: convA,
    role: 'user' as const,
    content: 'Where do I park?',
    ...extra,
  });

  it('message role and type are closed lists (role: user / assistant / agent / system)', async () => {
    await expectEnum(t.db, A, {
      table: messages,
      column: 'role',
      values: MESSAGE_ROLES,
      row: (v) => message({ role: v as never }),
      constraint: 'messages_role_check',
    });
    await expectEnum(t.db, A, {
      table: messages,
      column: 'type',
      values: MESSAGE_TYPES,
      row: (v) => message({ type: v as never }),
      constraint: 'messages_type_check',
    });
  });

  it('confidence lies in 0–1 and token counts are non-negative', async () => {
    for (const confidence of [0, 1]) await insertIn(t.db, A, messages, message({ confidence }));
    for (const confidence of [-0.001, 1.001]) {
      await reject(messages, A, message({ confidence }), S.checkViolation, 'messages_confidence_check');
    }
    await reject(messages, A, message({ tokensIn: -1 }), S.checkViolation, 'messages_tokens_in_check');
    await reject(messages, A, message({ tokensOut: -1 }), S.checkViolation, 'messages_tokens_out_check');
  });

  it("a provider message id is unique per channel; a message cannot join another tenant's conversation", async () => {
    await insertIn(t.db, A, messages, message({ channelId: smsA, externalMessageId: 'SM1' }));
    await reject(
      messages,
      A,
      message({ channelId: smsA, externalMessageId: 'SM1' }),
      S.uniqueViolation,
      'messages_channel_external_key',
    );
    await reject(
      messages,
      A,
      message({ conversationId: convB }),
      S.foreignKeyViolation,
      'messages_conversation_fk',
    );
    await expectNotNull(t.db, A, messages, () => message(), ['conversationId', 'role', 'content']);
  });
});

describe('comms events (seed 003)', () => {
  const event = (extra: Partial<typeof commsEvents.$inferInsert> = {}) => ({
    channelKind: 'sms' as const,
    direction: 'outbound' as const,
    fromAddr: '+61400000001',
    toAddr: '+61400000002',
    status: 'queued' as const,
    ...extra,
  });

  it('channel, direction and status are closed lists', async () => {
    for (const [column, values, key] of [
      [
        'channel_kind',
        ['widget', 'email', 'sms', 'whatsapp', 'telegram', 'slack', 'teams', 'api'],
        'channelKind',
      ],
      ['direction', DIRECTIONS, 'direction'],
      ['status', COMMS_STATUSES, 'status'],
    ] as const) {
      await expectEnum(t.db, A, {
        table: commsEvents,
        column,
        values,
        row: (v) => event({ [key]: v }),
        constraint: `comms_events_${column}_check`,
      });
    }
  });

  it('body preview holds at most 1000 characters; attempts start at 1; addresses are required', async () => {
    await insertIn(t.db, A, commsEvents, event({ bodyPreview: 'x'.repeat(1000) }));
    await reject(
      commsEvents,
      A,
      event({ bodyPreview: 'x'.repeat(1001) }),
      S.checkViolation,
      'comms_events_body_preview_check',
    );
    await reject(commsEvents, A, event({ attempt: 0 }), S.checkViolation, 'comms_events_attempt_check');
    await expectNotNull(t.db, A, commsEvents, () => event(), [
      'channelKind',
      'direction',
      'fromAddr',
      'toAddr',
      'status',
    ]);
  });
});

describe('approvals (seed 002)', () => {
  const approval = (extra: Partial<typeof approvals.$inferInsert> = {}) => ({
    conversationId: convA,
    action: 'send_reply',
    ...extra,
  });

  it("status is a closed list with default 'pending'; resolved_at goes with a decision", async () => {
    expect((await insertIn(t.db, A, approvals, approval())).status).toBe('pending');
    const resolvedAt = new Date();
    await expectEnum(t.db, A, {
      table: approvals,
      column: 'status',
      values: APPROVAL_STATUSES,
      row: (v) =>
        approval({
          status: v as never,
          resolvedAt: v === 'pending' ? null : resolvedAt,
          editedContent: 'ok',
        }),
      constraint: 'approvals_status_check',
    });
    await reject(
      approvals,
      A,
      approval({ status: 'approved' }),
      S.checkViolation,
      'approvals_resolved_check',
    );
    await reject(approvals, A, approval({ resolvedAt }), S.checkViolation, 'approvals_resolved_check');
    await reject(
      approvals,
      A,
      approval({ status: 'edited', resolvedAt }),
      S.checkViolation,
      'approvals_edited_check',
    );
    await expectNotNull(t.db, A, approvals, () => approval(), ['action']);
  });
});
