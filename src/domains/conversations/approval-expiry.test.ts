/**
 * Approval expiry: pending approvals past `expires_at` become expired through the job, and an
 * expired draft can no longer be approved over the API (so it is never sent).
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, type TestTenant, useTestApi } from '../../../test/helpers/api.js';
import { insertIn } from '../../../test/helpers/rules.js';
import { ManualClock } from '../../platform/clock.js';
import { withTenant } from '../../platform/db/tenant.js';
import { expireApprovals } from './approval-expiry.js';
import { approvals, conversations } from './tables.js';

const NOW = new Date('2026-05-04T12:00:00Z');
const clock = new ManualClock(NOW);
const api = useTestApi({ clock });
let tenant: TestTenant;
let conversationId: string;

beforeAll(async () => {
  tenant = await makeTenant(api.db);
  conversationId = (await insertIn(api.db, tenant.id, conversations, {})).id;
});

const approval = (values: Partial<typeof approvals.$inferInsert>) =>
  insertIn(api.db, tenant.id, approvals, {
    conversationId,
    action: 'send_reply',
    draftContent: 'Draft',
    ...values,
  });
const statusOf = async (id: string) =>
  (await withTenant(api.db, tenant.id, (tx) => tx.select().from(approvals).where(eq(approvals.id, id))))[0]!;

describe('approval expiry', () => {
  it('expires pending approvals past their expiry as a job, and leaves the rest', async () => {
    const due = await approval({ expiresAt: new Date('2026-05-04T11:59:00Z') });
    const onTheDot = await approval({ expiresAt: NOW });
    const later = await approval({ expiresAt: new Date('2026-05-04T12:01:00Z') });
    const forever = await approval({});
    const decided = await approval({
      expiresAt: new Date('2026-05-04T11:00:00Z'),
      status: 'approved',
      resolvedAt: new Date('2026-05-04T10:30:00Z'),
    });
    const { jobs } = api.app.platform;
    await jobs.send('conversations.expire-approvals', {});
    expect(await jobs.drain({ names: ['conversations.expire-approvals'] })).toBe(1);
    expect(await statusOf(due.id)).toMatchObject({ status: 'expired', resolvedAt: NOW, resolvedBy: null });
    expect(await statusOf(onTheDot.id)).toMatchObject({ status: 'expired' });
    expect(await statusOf(later.id)).toMatchObject({ status: 'pending', resolvedAt: null });
    expect(await statusOf(forever.id)).toMatchObject({ status: 'pending' });
    expect(await statusOf(decided.id)).toMatchObject({
      status: 'approved',
      resolvedAt: new Date('2026-05-04T10:30:00Z'),
    });
    // Running it again changes nothing.
    expect(await withTenant(api.db, tenant.id, (tx) => expireApprovals(tx, NOW))).toEqual([]);
  });

  it('leaves an expired draft impossible to approve, so it is never sent', async () => {
    const draft = await approval({ expiresAt: new Date('2026-05-04T11:00:00Z') });
    await withTenant(api.db, tenant.id, (tx) => expireApprovals(tx, NOW));
    const res = await api.fetch(`/v1/approvals/${draft.id}/approve`, {
      method: 'POST',
      token: tenant.keys.agent,
      body: JSON.stringify({}),
    });
    expect(res.status).toBe(409);
    expect(await statusOf(draft.id)).toMatchObject({ status: 'expired' });
    expect(await api.app.platform.jobs.counts('responder.deliver-approval')).toEqual({});
  });

  it('touches only its own tenant', async () => {
    const other = await makeTenant(api.db);
    const otherConversation = await insertIn(api.db, other.id, conversations, {});
    const theirs = await insertIn(api.db, other.id, approvals, {
      conversationId: otherConversation.id,
      action: 'send_reply',
      expiresAt: new Date('2026-05-04T11:00:00Z'),
    });
    await withTenant(api.db, tenant.id, (tx) => expireApprovals(tx, NOW));
    const [row] = await withTenant(api.db, other.id, (tx) =>
      tx.select().from(approvals).where(eq(approvals.id, theirs.id)),
    );
    expect(row!.status).toBe('pending');
  });
});
