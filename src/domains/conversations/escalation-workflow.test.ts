/**
 * Seed 000's escalation alerts, tried through the request role: closed lists of types (seed 000's
 * alert types and seed 003's escalation categories) and severities, and the workflow the
 * `escalation_workflow` trigger enforces: open → acknowledged → resolved | false_positive, the
 * timestamps filled in automatically, never back, final states final.
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
  type RowOf,
  SQLSTATE as S,
  tenantWith,
} from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import { accounts } from '../crm/tables.js';
import { conversations, ESCALATION_TYPES, escalations, SEVERITIES } from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let convB: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  convB = (await insertIn(t.db, B, conversations, {})).id;
});

const reject = (values: RowOf<typeof escalations>, constraint: string, code: string = S.checkViolation) =>
  expectInsertRejected(t.db, A, escalations, values, code, constraint);

describe('escalations (seed 000 escalationAlerts)', () => {
  const alert = (extra: Partial<typeof escalations.$inferInsert> = {}) => ({
    type: 'tension' as const,
    severity: 'high' as const,
    summary: 'Client frustrated about the missed deadline',
    ...extra,
  });
  const open = async () => (await insertIn(t.db, A, escalations, alert())).id;
  const setStatus = (id: string, status: (typeof escalations.$inferInsert)['status']) =>
    withTenant(t.db, A, (tx) =>
      tx.update(escalations).set({ status }).where(eq(escalations.id, id)).returning(),
    );
  const read = async (id: string) =>
    (await withTenant(t.db, A, (tx) => tx.select().from(escalations).where(eq(escalations.id, id))))[0]!;

  it('type and severity are closed lists (seed 000 alert types, seed 003 categories)', async () => {
    await expectEnum(t.db, A, {
      table: escalations,
      column: 'type',
      values: ESCALATION_TYPES,
      row: (v) => alert({ type: v as never }),
      constraint: 'escalations_type_check',
    });
    await expectEnum(t.db, A, {
      table: escalations,
      column: 'severity',
      values: SEVERITIES,
      row: (v) => alert({ severity: v as never }),
      constraint: 'escalations_severity_check',
    });
    await expectNotNull(t.db, A, escalations, () => alert(), ['type', 'severity', 'summary']);
  });

  it('is open when raised, with neither acknowledgement nor resolution', async () => {
    const row = await read(await open());
    expect(row).toMatchObject({ status: 'open', acknowledgedAt: null, resolvedAt: null });
  });

  it('open → acknowledged → resolved, the trigger filling in acknowledged_at and resolved_at', async () => {
    const id = await open();
    const [ack] = await setStatus(id, 'acknowledged');
    expect(ack!.acknowledgedAt).toBeInstanceOf(Date);
    expect(ack!.resolvedAt).toBeNull();
    const [done] = await setStatus(id, 'resolved');
    expect(done!.acknowledgedAt).toEqual(ack!.acknowledgedAt);
    expect(done!.resolvedAt!.getTime()).toBeGreaterThanOrEqual(ack!.acknowledgedAt!.getTime());
  });

  it('open → false_positive directly, with both timestamps set', async () => {
    const [row] = await setStatus(await open(), 'false_positive');
    expect(row!.resolvedAt).toBeInstanceOf(Date);
    expect(row!.acknowledgedAt).toEqual(row!.resolvedAt);
  });

  it('never goes back: acknowledged → open, resolved → open / acknowledged, false_positive → resolved are refused', async () => {
    const acknowledged = await open();
    await setStatus(acknowledged, 'acknowledged');
    const resolved = await open();
    await setStatus(resolved, 'resolved');
    const falsePositive = await open();
    await setStatus(falsePositive, 'false_positive');
    for (const [id, from, to] of [
      [acknowledged, 'acknowledged', 'open'],
      [resolved, 'resolved', 'open'],
      [resolved, 'resolved', 'acknowledged'],
      [falsePositive, 'false_positive', 'resolved'],
      [falsePositive, 'false_positive', 'open'],
    ] as const) {
      await expectPgError(setStatus(id, to), S.checkViolation, 'escalations_status_transition_check');
      expect((await read(id)).status).toBe(from);
    }
    // A final escalation still takes notes.
    await withTenant(t.db, A, (tx) =>
      tx
        .update(escalations)
        .set({ resolutionNotes: 'Called the client.' })
        .where(eq(escalations.id, resolved)),
    );
  });

  it('an open alert cannot carry acknowledged_at; resolution cannot precede acknowledgement', async () => {
    await reject(alert({ acknowledgedAt: new Date() }), 'escalations_acknowledged_check');
    const early = new Date(Date.now() - 60_000);
    await reject(
      alert({ status: 'resolved', acknowledgedAt: new Date(), resolvedAt: early }),
      'escalations_resolved_order_check',
    );
  });

  it("cannot point at another tenant's account or conversation", async () => {
    const accountB = await insertIn(t.db, B, accounts, { name: 'B' });
    await reject(alert({ accountId: accountB.id }), 'escalations_account_fk', S.foreignKeyViolation);
    await reject(alert({ conversationId: convB }), 'escalations_conversation_fk', S.foreignKeyViolation);
  });
});
