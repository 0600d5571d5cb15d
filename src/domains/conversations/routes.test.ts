import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useResourceApi } from '../../../test/helpers/resource-api.js';
import { withPlatform } from '../../platform/db/tenant.js';
import { sha256 } from '../../platform/hash.js';
import { memberships, userSessions, users } from '../identity/tables.js';

const api = useResourceApi({ problemBodyStatus: true });
const { call, expectProblem, newTenant } = api;
const other = 'other-agent';
let userId = '';

beforeAll(async () => {
  const tenantId = await newTenant('', ['viewer', 'agent', 'admin']);
  await newTenant('other-', ['agent']);
  // A team member with a session, to see who acted recorded on the row.
  const token = `fds_${randomBytes(32).toString('base64url')}`;
  await withPlatform(api.db, async (tx) => {
    const [u] = await tx
      .insert(users)
      .values({ email: `${randomUUID()}@team.example` })
      .returning();
    userId = u!.id;
    await tx.insert(memberships).values({ tenantId, userId, role: 'agent' });
    await tx
      .insert(userSessions)
      .values({ userId, tokenHash: sha256(token), expiresAt: new Date(Date.now() + 3_600_000) });
  });
  api.keys.user = token;
});

const newConversation = async (extra: object = {}) => {
  const contact = await call('agent', 'POST', '/contacts', {
    name: 'Dana',
    email: `${randomUUID()}@acme.example`,
  });
  const r = await call('agent', 'POST', '/conversations', {
    subject: 'Refund',
    contactId: contact.body.id,
    ...extra,
  });
  expect(r.status).toBe(201);
  return r.body;
};

describe('conversations', () => {
  it('create → get (ETag) → list by filter → patch (If-Match) → delete', async () => {
    const conv = await newConversation({ priority: 1 });
    const got = await call('viewer', 'GET', `/conversations/${conv.id}`);
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag')!;
    const list = await call('viewer', 'GET', `/conversations?contactId=${conv.contactId}`);
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([conv.id]);
    expectProblem(
      await call('agent', 'PATCH', `/conversations/${conv.id}`, { priority: 3 }, { 'if-match': '"x"' }),
      412,
    );
    const patched = await call(
      'agent',
      'PATCH',
      `/conversations/${conv.id}`,
      { priority: 3 },
      { 'if-match': etag },
    );
    expect(patched.body.priority).toBe(3);
    // Status belongs to set-status: a plain PATCH cannot change it.
    const ignored = await call('agent', 'PATCH', `/conversations/${conv.id}`, { status: 'closed' });
    expect(ignored.body.status).toBe('active');
    expectProblem(await call('viewer', 'PATCH', `/conversations/${conv.id}`, { priority: 0 }), 403);
    expectProblem(await call(other, 'GET', `/conversations/${conv.id}`), 404);
    expect((await call('agent', 'DELETE', `/conversations/${conv.id}`)).status).toBe(204);
    expectProblem(await call('viewer', 'GET', `/conversations/${conv.id}`), 404);
  });

  it('set-status records resolved_at and closed_at, and reopening clears them', async () => {
    const conv = await newConversation();
    const resolved = await call('agent', 'POST', `/conversations/${conv.id}/set-status`, {
      status: 'resolved',
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', closedAt: null });
    expect(resolved.body.resolvedAt).toBeTruthy();
    const closed = await call('agent', 'POST', `/conversations/${conv.id}/set-status`, { status: 'closed' });
    expect(closed.body.closedAt).toBeTruthy();
    const reopened = await call('agent', 'POST', `/conversations/${conv.id}/set-status`, {
      status: 'active',
    });
    expect(reopened.body).toMatchObject({ status: 'active', resolvedAt: null, closedAt: null });
    expectProblem(
      await call('agent', 'POST', `/conversations/${conv.id}/set-status`, { status: 'gone' }),
      422,
    );
    expect((await call('viewer', 'GET', '/conversations?status=active')).body.data.length).toBeGreaterThan(0);
  });

  it('assign takes a member of the tenant or null', async () => {
    const conv = await newConversation();
    const assigned = await call('agent', 'POST', `/conversations/${conv.id}/assign`, { userId });
    expect(assigned.body.assignedUserId).toBe(userId);
    const mine = await call('viewer', 'GET', `/conversations?assignedUserId=${userId}`);
    expect(mine.body.data.map((c: { id: string }) => c.id)).toContain(conv.id);
    expectProblem(
      await call('agent', 'POST', `/conversations/${conv.id}/assign`, { userId: randomUUID() }),
      422,
    );
    const unassigned = await call('agent', 'POST', `/conversations/${conv.id}/assign`, { userId: null });
    expect(unassigned.body.assignedUserId).toBeNull();
  });
});

describe('messages', () => {
  it('nested: posts into the conversation, lists oldest first with a cursor, 404 in another tenant', async () => {
    const conv = await newConversation();
    const first = await call('user', 'POST', `/conversations/${conv.id}/messages`, {
      content: 'Hi Dana, looking now.',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ role: 'agent', conversationId: conv.id, authorUserId: userId });
    expect(first.headers.get('location')).toBe(`/v1/messages/${first.body.id}`);
    const flat = await call('agent', 'POST', '/messages', {
      conversationId: conv.id,
      role: 'user',
      content: 'Thanks!',
    });
    expect(flat.status).toBe(201);
    expect(flat.body.authorUserId).toBeNull();
    await call('agent', 'POST', `/conversations/${conv.id}/messages`, {
      content: 'Refunded.',
      isInternal: true,
    });
    const page1 = await call('viewer', 'GET', `/conversations/${conv.id}/messages?limit=2`);
    expect(page1.body.data.map((m: { content: string }) => m.content)).toEqual([
      'Hi Dana, looking now.',
      'Thanks!',
    ]);
    const page2 = await call(
      'viewer',
      'GET',
      `/conversations/${conv.id}/messages?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.data.map((m: { content: string }) => m.content)).toEqual(['Refunded.']);
    expect(page2.body.nextCursor).toBeNull();
    const after = await call('viewer', 'GET', `/conversations/${conv.id}`);
    expect(after.body.lastMessageAt).toBeTruthy();
    expectProblem(await call(other, 'GET', `/conversations/${conv.id}/messages`), 404);
    expectProblem(await call(other, 'POST', `/conversations/${conv.id}/messages`, { content: 'x' }), 404);
    expectProblem(
      await call('agent', 'POST', '/messages', { conversationId: randomUUID(), content: 'x' }),
      422,
    );
    expectProblem(await call('viewer', 'POST', `/conversations/${conv.id}/messages`, { content: 'x' }), 403);
  });

  it('flat: get with ETag, filter by conversation, no edit, delete with If-Match', async () => {
    const conv = await newConversation();
    const made = await call('agent', 'POST', '/messages', { conversationId: conv.id, content: 'Hello' });
    const got = await call('viewer', 'GET', `/messages/${made.body.id}`);
    expect(got.headers.get('etag')).toBe(made.headers.get('etag'));
    const list = await call('viewer', 'GET', `/messages?conversationId=${conv.id}`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].id).toBe(made.body.id);
    expectProblem(await call('agent', 'PATCH', `/messages/${made.body.id}`, { content: 'edited' }), 405);
    // Server-owned fields are ignored on input (the framework strips unknown keys).
    const stripped = await call('agent', 'POST', '/messages', {
      conversationId: conv.id,
      content: 'x',
      deliveryStatus: 'read',
    });
    expect(stripped.body.deliveryStatus).toBeNull();
    const del = await call('agent', 'DELETE', `/messages/${made.body.id}`, undefined, {
      'if-match': got.headers.get('etag')!,
    });
    expect(del.status).toBe(204);
  });

  it('comms-events are read-only', async () => {
    expect((await call('viewer', 'GET', '/comms-events?direction=outbound')).status).toBe(200);
    expectProblem(await call('admin', 'POST', '/comms-events', { channelKind: 'sms' }), 405);
    expectProblem(await call('admin', 'PATCH', `/comms-events/${randomUUID()}`, { status: 'read' }), 405);
    expectProblem(await call('admin', 'DELETE', `/comms-events/${randomUUID()}`), 405);
  });
});

describe('approvals', () => {
  const newApproval = async () => {
    const conv = await newConversation();
    const r = await call('agent', 'POST', '/approvals', {
      conversationId: conv.id,
      action: 'send_reply',
      draftContent: 'Draft',
    });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('pending');
    return r.body;
  };

  it('approve records who and when; a decided approval cannot be decided again (409)', async () => {
    const a = await newApproval();
    const ok = await call('user', 'POST', `/approvals/${a.id}/approve`, { comment: 'Go ahead' });
    expect(ok.body).toMatchObject({ status: 'approved', resolvedBy: userId, comment: 'Go ahead' });
    expect(ok.body.resolvedAt).toBeTruthy();
    expectProblem(await call('agent', 'POST', `/approvals/${a.id}/approve`, {}), 409);
    expectProblem(await call('agent', 'POST', `/approvals/${a.id}/reject`, {}), 409);
    expect(
      (await call('viewer', 'GET', `/approvals?status=approved&conversationId=${a.conversationId}`)).body
        .data,
    ).toHaveLength(1);
  });

  it('reject and edit; edit needs the edited content; viewers cannot decide', async () => {
    const r = await newApproval();
    const rejected = await call('agent', 'POST', `/approvals/${r.id}/reject`, { comment: 'Too generous' });
    expect(rejected.body).toMatchObject({ status: 'rejected', resolvedBy: null });
    const e = await newApproval();
    expectProblem(await call('viewer', 'POST', `/approvals/${e.id}/approve`, {}), 403);
    expectProblem(await call('agent', 'POST', `/approvals/${e.id}/edit`, {}), 422);
    const edited = await call('agent', 'POST', `/approvals/${e.id}/edit`, { editedContent: 'Better draft' });
    expect(edited.body).toMatchObject({ status: 'edited', editedContent: 'Better draft' });
    expectProblem(await call('agent', 'POST', `/approvals/${e.id}/edit`, { editedContent: 'Again' }), 409);
    expectProblem(await call(other, 'POST', `/approvals/${e.id}/approve`, {}), 404);
  });
});

describe('escalations', () => {
  const newEscalation = async () => {
    const r = await call('agent', 'POST', '/escalations', {
      type: 'complaint',
      severity: 'high',
      summary: 'No hot water',
    });
    expect(r.status).toBe(201);
    return r.body;
  };

  it('open → acknowledged → resolved, recording who and when; then no more changes (409)', async () => {
    const e = await newEscalation();
    const ack = await call('user', 'POST', `/escalations/${e.id}/acknowledge`);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedByUserId: userId });
    expectProblem(await call('agent', 'POST', `/escalations/${e.id}/acknowledge`), 409);
    const done = await call('user', 'POST', `/escalations/${e.id}/resolve`, {
      resolutionNotes: 'Plumber came',
    });
    expect(done.body).toMatchObject({
      status: 'resolved',
      resolvedByUserId: userId,
      resolutionNotes: 'Plumber came',
    });
    expect(new Date(done.body.resolvedAt) >= new Date(done.body.acknowledgedAt)).toBe(true);
    for (const action of ['acknowledge', 'resolve', 'mark-false-positive']) {
      const r = await call('agent', 'POST', `/escalations/${e.id}/${action}`, {});
      expectProblem(r, 409);
      expect(r.body.code).toBe('conflict');
    }
  });

  it('an open escalation can be dismissed directly; status is not patchable; filters work', async () => {
    const e = await newEscalation();
    const fp = await call('agent', 'POST', `/escalations/${e.id}/mark-false-positive`, {});
    expect(fp.body).toMatchObject({ status: 'false_positive', acknowledgedByUserId: null });
    expect(fp.body.acknowledgedAt).toBe(fp.body.resolvedAt);
    expect((await call('agent', 'PATCH', `/escalations/${e.id}`, { status: 'open' })).body.status).toBe(
      'false_positive',
    );
    const patched = await call('agent', 'PATCH', `/escalations/${e.id}`, { severity: 'low' });
    expect(patched.body.severity).toBe('low');
    const list = await call('viewer', 'GET', '/escalations?status=false_positive&severity=low');
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(e.id);
    expectProblem(
      await call('viewer', 'POST', '/escalations', { type: 'other', severity: 'low', summary: 'x' }),
      403,
    );
    expectProblem(await call('agent', 'DELETE', `/escalations/${e.id}`), 405);
  });
});
