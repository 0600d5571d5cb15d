/**
 * Seed rules of the analytics domain, tried through the request role: per-conversation figures
 * (seed 004's conversation_analytics, one row per conversation) and daily figures (seed 004's
 * daily_analytics, one row per tenant and day).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  columnType,
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  insertIn,
  type RowOf,
  SQLSTATE as S,
  type TenantOwned,
  tenantWith,
} from '../../../test/helpers/rules.js';
import { agents } from '../ai/tables.js';
import { conversations } from '../conversations/tables.js';
import { conversationMetrics, dailyMetrics, RESOLUTION_TYPES } from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
});

const reject = <T extends TenantOwned>(table: T, values: RowOf<T>, code: string, constraint?: string) =>
  expectInsertRejected(t.db, A, table, values, code, constraint);
const newConversation = async (tenant = A) => (await insertIn(t.db, tenant, conversations, {})).id;

describe('conversation metrics (seed 004 conversation_analytics)', () => {
  it('one row per conversation', async () => {
    const conversationId = await newConversation();
    await insertIn(t.db, A, conversationMetrics, { conversationId });
    await reject(
      conversationMetrics,
      { conversationId },
      S.uniqueViolation,
      'conversation_metrics_conversation_key',
    );
    await expectNotNull(t.db, A, conversationMetrics, () => ({ conversationId }), ['conversationId']);
  });

  it('resolution type is ai / human / abandoned, or unset while unresolved', async () => {
    const ids: string[] = [];
    for (const _ of RESOLUTION_TYPES) ids.push(await newConversation());
    const extra = await newConversation();
    expect(
      (await insertIn(t.db, A, conversationMetrics, { conversationId: extra })).resolutionType,
    ).toBeNull();
    await expectEnum(t.db, A, {
      table: conversationMetrics,
      column: 'resolution_type',
      values: RESOLUTION_TYPES,
      row: (v, i) => ({ conversationId: ids[i] ?? extra, resolutionType: v as never }),
      constraint: 'conversation_metrics_resolution_type_check',
    });
  });

  it('satisfaction lies in 1–5; counts and durations are non-negative', async () => {
    for (const satisfactionScore of [1, 5]) {
      await insertIn(t.db, A, conversationMetrics, {
        conversationId: await newConversation(),
        satisfactionScore,
      });
    }
    const conversationId = await newConversation();
    for (const satisfactionScore of [0, 6]) {
      await reject(
        conversationMetrics,
        { conversationId, satisfactionScore },
        S.checkViolation,
        'conversation_metrics_satisfaction_check',
      );
    }
    for (const key of [
      'messagesCount',
      'aiMessagesCount',
      'humanMessagesCount',
      'contactMessagesCount',
    ] as const) {
      await reject(
        conversationMetrics,
        { conversationId, [key]: -1 },
        S.checkViolation,
        'conversation_metrics_counts_check',
      );
    }
    for (const key of [
      'firstResponseSeconds',
      'responseTimeAvgSeconds',
      'resolutionSeconds',
      'durationSeconds',
    ] as const) {
      await reject(
        conversationMetrics,
        { conversationId, [key]: -1 },
        S.checkViolation,
        'conversation_metrics_durations_check',
      );
    }
  });

  it("cannot describe another tenant's conversation or agent (composite foreign keys)", async () => {
    await reject(
      conversationMetrics,
      { conversationId: await newConversation(B) },
      S.foreignKeyViolation,
      'conversation_metrics_conversation_fk',
    );
    const agentB = await insertIn(t.db, B, agents, { name: 'B' });
    await reject(
      conversationMetrics,
      { conversationId: await newConversation(), agentId: agentB.id },
      S.foreignKeyViolation,
      'conversation_metrics_agent_fk',
    );
  });
});

describe('daily metrics (seed 004 daily_analytics)', () => {
  it('one row per tenant and day; another tenant has its own', async () => {
    await insertIn(t.db, A, dailyMetrics, { date: '2025-03-01' });
    await reject(dailyMetrics, { date: '2025-03-01' }, S.uniqueViolation, 'daily_metrics_tenant_date_key');
    await insertIn(t.db, B, dailyMetrics, { date: '2025-03-01' });
    await expectNotNull(t.db, A, dailyMetrics, () => ({ date: '2025-03-02' }), ['date']);
  });

  it('average satisfaction is NUMERIC(3,2) in 1–5; counts, tokens and cost are non-negative', async () => {
    expect(await columnType(t.db, 'daily_metrics', 'avg_satisfaction')).toBe('numeric(3,2)');
    const row = await insertIn(t.db, A, dailyMetrics, { date: '2025-04-01', avgSatisfaction: 4.25 });
    expect(row.avgSatisfaction).toBe(4.25);
    for (const avgSatisfaction of [0.99, 5.01]) {
      await reject(
        dailyMetrics,
        { date: '2025-04-02', avgSatisfaction },
        S.checkViolation,
        'daily_metrics_avg_satisfaction_check',
      );
    }
    for (const key of [
      'conversationsTotal',
      'conversationsResolved',
      'conversationsEscalated',
      'messagesTotal',
    ] as const) {
      await reject(
        dailyMetrics,
        { date: '2025-04-03', [key]: -1 },
        S.checkViolation,
        'daily_metrics_counts_check',
      );
    }
    await reject(
      dailyMetrics,
      { date: '2025-04-04', avgResponseSeconds: -1 },
      S.checkViolation,
      'daily_metrics_avg_response_check',
    );
    await reject(
      dailyMetrics,
      { date: '2025-04-05', tokensTotal: -1 },
      S.checkViolation,
      'daily_metrics_tokens_check',
    );
    await reject(
      dailyMetrics,
      { date: '2025-04-06', costMicros: -1 },
      S.checkViolation,
      'daily_metrics_cost_check',
    );
  });
});
