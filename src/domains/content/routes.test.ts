import { describe, expect, it } from 'vitest';
import { type Json, useResourceApi } from '../../../test/helpers/resource-api.js';

// The documented examples are created in a tenant of their own.
const { call, fromExample } = useResourceApi({
  tenants: { '': ['viewer', 'agent', 'admin'], 'examples-': ['admin'] },
  reuseRefs: true,
});

it('creates each resource from its documented example as-is', async () => {
  for (const name of ['message-templates', 'canned-responses']) await fromExample(name, 'examples-admin');
});

describe('message templates', () => {
  const T3 = { channel: 'sms', trigger: 'T_MINUS_3', body: 'Hi {{guest_first_name}}, see you in 3 days!' };

  it('create → get with ETag → list with filters → patch with If-Match → delete', async () => {
    const created = await call('admin', 'POST', '/message-templates', { ...T3, name: 'T-3 SMS' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ ...T3, version: 1, isActive: true });

    const got = await call('viewer', 'GET', `/message-templates/${id}`);
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag')!;

    const email = await call('admin', 'POST', '/message-templates', {
      ...T3,
      channel: 'email',
      subject: 'Soon!',
    });
    expect(email.status).toBe(201);
    const sms = await call('viewer', 'GET', '/message-templates?channel=sms&trigger=T_MINUS_3');
    expect(sms.body.data.map((x: Json) => x.id)).toEqual([id]);
    expect((await call('admin', 'GET', '/message-templates?trigger=DAY_OF')).body.data).toEqual([]);

    const patched = await call(
      'admin',
      'PATCH',
      `/message-templates/${id}`,
      { body: 'Hi {{guest_first_name}}, 3 days to go!' },
      { 'if-match': etag },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.body).toBe('Hi {{guest_first_name}}, 3 days to go!');
    expect(
      (await call('admin', 'PATCH', `/message-templates/${id}`, { isActive: false }, { 'if-match': etag }))
        .status,
    ).toBe(412);

    const gone = await call('admin', 'DELETE', `/message-templates/${id}`, undefined, {
      'if-match': patched.headers.get('etag')!,
    });
    expect(gone.status).toBe(204);
    expect((await call('admin', 'GET', `/message-templates/${id}`)).status).toBe(404);
  });

  it('ignores the server-owned version and answers 409 for a second template of a channel × trigger', async () => {
    const first = await call('admin', 'POST', '/message-templates', {
      ...T3,
      trigger: 'T_MINUS_1',
      version: 5,
    });
    expect(first.body.version).toBe(1);
    const patched = await call('admin', 'PATCH', `/message-templates/${first.body.id}`, { version: 9 });
    expect(patched.body.version).toBe(1);
    expect((await call('admin', 'POST', '/message-templates', { ...T3, trigger: 'T_MINUS_1' })).status).toBe(
      409,
    );
  });

  it('answers a bad body with 422 and field paths, and refuses agents and viewers', async () => {
    const bad = await call('admin', 'POST', '/message-templates', {
      channel: 'fax',
      trigger: 'T_MINUS_3',
      body: '',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['body', 'channel']);
    for (const as of ['viewer', 'agent'] as const)
      expect((await call(as, 'POST', '/message-templates', { ...T3, trigger: 'DAY_OF' })).status).toBe(403);
  });
});

describe('canned responses', () => {
  const reply = {
    shortcut: 'refund',
    title: 'Refunds',
    content: 'Refunds take 5 days.',
    category: 'billing',
  };

  it('agents create, list by shortcut or category, patch with If-Match and delete', async () => {
    const created = await call('agent', 'POST', '/canned-responses', { ...reply, usageCount: 99 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...reply, usageCount: 0, isTeam: true });
    const id = created.body.id as string;
    await call('agent', 'POST', '/canned-responses', { ...reply, shortcut: 'wifi', category: 'stay' });

    const byShortcut = await call('viewer', 'GET', '/canned-responses?shortcut=refund');
    expect(byShortcut.body.data.map((x: Json) => x.id)).toEqual([id]);
    const billing = await call('admin', 'GET', '/canned-responses?category=billing');
    expect(billing.body.data.map((x: Json) => x.id)).toEqual([id]);

    const etag = (await call('admin', 'GET', `/canned-responses/${id}`)).headers.get('etag')!;
    const patched = await call(
      'agent',
      'PATCH',
      `/canned-responses/${id}`,
      { title: 'Refund timing', usageCount: 50 },
      { 'if-match': etag },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Refund timing', usageCount: 0 });
    const gone = await call('agent', 'DELETE', `/canned-responses/${id}`, undefined, {
      'if-match': patched.headers.get('etag')!,
    });
    expect(gone.status).toBe(204);
  });

  it('use adds one to usageCount each time, for agents but not viewers', async () => {
    const { body } = await call('agent', 'POST', '/canned-responses', { ...reply, shortcut: 'checkin' });
    expect((await call('agent', 'POST', `/canned-responses/${body.id}/use`)).body.usageCount).toBe(1);
    const uses = await Promise.all(
      [1, 2, 3].map(() => call('agent', 'POST', `/canned-responses/${body.id}/use`, {})),
    );
    expect(uses.map((u) => u.status)).toEqual([200, 200, 200]);
    expect((await call('admin', 'GET', `/canned-responses/${body.id}`)).body.usageCount).toBe(4);
    expect((await call('viewer', 'POST', `/canned-responses/${body.id}/use`)).status).toBe(403);
  });

  it('answers a bad shortcut with 422 and a duplicate shortcut with 409', async () => {
    const bad = await call('agent', 'POST', '/canned-responses', { ...reply, shortcut: 'has space' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['shortcut']);
    await call('agent', 'POST', '/canned-responses', { ...reply, shortcut: 'dup' });
    expect((await call('agent', 'POST', '/canned-responses', { ...reply, shortcut: 'dup' })).status).toBe(
      409,
    );
    expect((await call('viewer', 'POST', '/canned-responses', reply)).status).toBe(403);
  });
});
