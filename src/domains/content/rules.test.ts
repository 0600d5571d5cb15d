/**
 * Seed rules of the content domain, tried through the request role: message templates (seed
 * 003's company_templates: one per channel and schedule rule) and canned responses (seed 004).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  insertIn,
  SQLSTATE as S,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { CHANNEL_KINDS } from '../channels/tables.js';
import { memberships, users } from '../identity/tables.js';
import { cannedResponses, messageTemplates, TEMPLATE_TRIGGERS } from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
});

const template = (extra: Partial<typeof messageTemplates.$inferInsert> = {}) => ({
  channel: 'sms' as const,
  trigger: 'T_MINUS_3' as const,
  body: 'Hi {{guest_name}}, your stay at {{property}} starts in 3 days.',
  ...extra,
});

describe('message templates (seed 003 company_templates)', () => {
  it('the schedule rules T_MINUS_3, T_MINUS_1 and DAY_OF are accepted; an unknown trigger is refused', async () => {
    const T = await tenantWith(t.db);
    for (const trigger of ['T_MINUS_3', 'T_MINUS_1', 'DAY_OF'] as const) {
      expect((await insertIn(t.db, T, messageTemplates, template({ trigger }))).trigger).toBe(trigger);
    }
    await expectInsertRejected(
      t.db,
      T,
      messageTemplates,
      template({ trigger: 'T_MINUS_7' as never }),
      S.checkViolation,
      'message_templates_trigger_check',
    );
  });

  it('trigger and channel are closed lists', async () => {
    const T = await tenantWith(t.db);
    await expectEnum(t.db, T, {
      table: messageTemplates,
      column: 'trigger',
      values: TEMPLATE_TRIGGERS,
      row: (v) => template({ trigger: v as never }),
      constraint: 'message_templates_trigger_check',
    });
    await expectEnum(t.db, await tenantWith(t.db), {
      table: messageTemplates,
      column: 'channel',
      values: CHANNEL_KINDS,
      row: (v) => template({ channel: v as never }),
      constraint: 'message_templates_channel_check',
    });
  });

  it('one template per tenant, channel and trigger; another tenant or channel is fine', async () => {
    await insertIn(t.db, A, messageTemplates, template());
    await expectInsertRejected(
      t.db,
      A,
      messageTemplates,
      template({ body: 'Another body' }),
      S.uniqueViolation,
      'message_templates_channel_trigger_key',
    );
    await insertIn(t.db, A, messageTemplates, template({ channel: 'email', subject: 'Your stay' }));
    await insertIn(t.db, B, messageTemplates, template());
  });

  it('version is positive (default 1); channel, trigger and body are required', async () => {
    const T = await tenantWith(t.db);
    expect((await insertIn(t.db, T, messageTemplates, template())).version).toBe(1);
    await expectInsertRejected(
      t.db,
      T,
      messageTemplates,
      template({ trigger: 'DAY_OF', version: 0 }),
      S.checkViolation,
      'message_templates_version_check',
    );
    await expectNotNull(t.db, T, messageTemplates, () => template({ trigger: 'DAY_OF' }), [
      'channel',
      'trigger',
      'body',
    ]);
  });
});

describe('canned responses (seed 004)', () => {
  const canned = (extra: Partial<typeof cannedResponses.$inferInsert> = {}) => ({
    shortcut: uniq('greet'),
    title: 'Greeting',
    content: 'Hello! How can I help?',
    ...extra,
  });

  it('shortcut is unique per tenant and well-formed', async () => {
    await insertIn(t.db, A, cannedResponses, canned({ shortcut: 'refund' }));
    await expectInsertRejected(
      t.db,
      A,
      cannedResponses,
      canned({ shortcut: 'refund' }),
      S.uniqueViolation,
      'canned_responses_tenant_shortcut_key',
    );
    await insertIn(t.db, B, cannedResponses, canned({ shortcut: 'refund' }));
    for (const shortcut of ['has space', '', 'x'.repeat(65), '/slash']) {
      await expectInsertRejected(
        t.db,
        A,
        cannedResponses,
        canned({ shortcut }),
        S.checkViolation,
        'canned_responses_shortcut_check',
      );
    }
  });

  it('a personal (non-team) response belongs to a user; usage count is non-negative', async () => {
    await expectInsertRejected(
      t.db,
      A,
      cannedResponses,
      canned({ isTeam: false }),
      S.checkViolation,
      'canned_responses_owner_check',
    );
    const userId = randomUUID();
    // A personal response's user is a member of its tenant (canned_responses_user_id_member_fk).
    await withPlatform(t.db, async (tx) => {
      await tx.insert(users).values({ id: userId, email: `${uniq('u')}@example.test` });
      await tx.insert(memberships).values({ tenantId: A, userId, role: 'agent' });
    });
    await insertIn(t.db, A, cannedResponses, canned({ isTeam: false, userId }));
    await expectInsertRejected(
      t.db,
      A,
      cannedResponses,
      canned({ usageCount: -1 }),
      S.checkViolation,
      'canned_responses_usage_count_check',
    );
    await expectInsertRejected(
      t.db,
      A,
      cannedResponses,
      canned({ userId: randomUUID() }),
      S.foreignKeyViolation,
      'canned_responses_user_id_member_fk',
    );
    await expectNotNull(t.db, A, cannedResponses, () => canned(), ['shortcut', 'title', 'content']);
  });
});
