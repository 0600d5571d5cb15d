/**
 * Unread counts (GET /conversations/unread-counts) and the team's seen mark
 * (POST /conversations/:id/seen): the contact's messages after the mark are unread; notes and
 * replies never are; another tenant's conversations are neither counted nor markable; bad input
 * is a problem that changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, useResourceApi } from '../helpers/resource-api.js';

const r = useResourceApi();
let first = '';
let quiet = '';
let theirs = '';

const say = (conversationId: string, role: string, content: string, extra: Json = {}) =>
  r.call('agent', 'POST', '/messages', { conversationId, role, content, ...extra });
const counts = async (ids: string[], who = 'viewer') => {
  const res = await r.call(who, 'GET', `/conversations/unread-counts?ids=${ids.join(',')}`);
  expect(res.status).toBe(200);
  return Object.fromEntries(
    (res.body.data as { conversationId: string; unreadCount: number }[]).map((d) => [
      d.conversationId,
      d.unreadCount,
    ]),
  );
};

beforeAll(async () => {
  await r.newTenant('', ['viewer', 'agent', 'admin']);
  await r.newTenant('other-', ['admin', 'agent']);
  first = (await r.call('agent', 'POST', '/conversations', { subject: 'Parcel late' })).body.id;
  quiet = (await r.call('agent', 'POST', '/conversations', { subject: 'Nothing yet' })).body.id;
  theirs = (await r.call('other-admin', 'POST', '/conversations', { subject: 'Theirs' })).body.id;
  await say(first, 'user', 'Where is my parcel?');
  await say(first, 'user', 'It has been a week.');
  await say(first, 'agent', 'Let me check.');
  await say(first, 'agent', 'Customer sounds upset', { isInternal: true });
  await say(first, 'assistant', 'It left the depot today.');
  await r.call('other-agent', 'POST', '/messages', {
    conversationId: theirs,
    role: 'user',
    content: 'Hello from the other tenant',
  });
});

describe('unread counts', () => {
  it("count the contact's messages since nobody saw the conversation, and nothing else", async () => {
    expect(await counts([first, quiet])).toEqual({ [first]: 2, [quiet]: 0 });
  });

  it('drop to 0 when an agent marks the conversation seen; a later message is unread again', async () => {
    const seen = await r.call('agent', 'POST', `/conversations/${first}/seen`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id: first, agentLastSeenAt: expect.any(String) });
    expect(await counts([first])).toEqual({ [first]: 0 });
    const conversation = await r.call('viewer', 'GET', `/conversations/${first}`);
    expect(conversation.body.agentLastSeenAt).toBe(seen.body.agentLastSeenAt);
    await say(first, 'user', 'Any news?');
    expect(await counts([first])).toEqual({ [first]: 1 });
  });

  it("leave another tenant's conversations out, and do not let it mark ours", async () => {
    expect(await counts([first, theirs])).toEqual({ [first]: 1 });
    r.expectProblem(await r.call('other-agent', 'POST', `/conversations/${first}/seen`), 404);
    r.expectProblem(await r.call('agent', 'POST', `/conversations/${theirs}/seen`), 404);
    expect(await counts([theirs], 'other-admin')).toEqual({ [theirs]: 1 });
    expect(await counts([first])).toEqual({ [first]: 1 });
  });

  it('is marked by agents, not viewers; PATCH leaves the seen mark alone', async () => {
    r.expectProblem(await r.call('viewer', 'POST', `/conversations/${first}/seen`), 403);
    const before = (await r.call('viewer', 'GET', `/conversations/${first}`)).body.agentLastSeenAt;
    await r.call('agent', 'PATCH', `/conversations/${first}`, { agentLastSeenAt: '2030-01-01T00:00:00Z' });
    expect((await r.call('viewer', 'GET', `/conversations/${first}`)).body.agentLastSeenAt).toBe(before);
    expect(await counts([first])).toEqual({ [first]: 1 });
  });

  it.each([
    ['no ids', ''],
    ['a non-uuid', 'not-a-uuid'],
    [
      'over 100 ids',
      Array.from({ length: 101 }, (_, i) => `01950000-0000-7000-8000-${String(i).padStart(12, '0')}`).join(
        ',',
      ),
    ],
  ])('refuses %s with a problem', async (_what, ids) => {
    const res = await r.call('viewer', 'GET', `/conversations/unread-counts?ids=${ids}`);
    r.expectProblem(res, 422);
    expect(res.body.errors.map((e: { path: string }) => e.path.split('.')[0])).toEqual(['ids']);
  });
});
