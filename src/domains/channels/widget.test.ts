/**
 * The chat widget over the real HTTP server on loopback: visitor tokens, origins, rate limits,
 * writing through intake, and a reply pushed over Server-Sent Events as it is stored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, type TestTenant, useTestApi } from '../../../test/helpers/api.js';
import { DEFAULT_WIDGET_LIMITS } from './operations/widget.js';
import { messageHub } from './widget-stream.js';

const api = useTestApi();
const SHOP = 'https://shop.example';
let tenant: TestTenant;
let other: TestTenant;
let widgetKey = '';
let otherKey = '';

async function createWidget(who: TestTenant, allowedOrigins: string[]): Promise<string> {
  const res = await api.fetch('/v1/channels', {
    method: 'POST',
    token: who.keys.admin,
    body: JSON.stringify({ kind: 'widget', name: 'Help widget' }),
  });
  expect(res.status).toBe(201);
  const settings = await api.fetch('/v1/widget-settings', {
    method: 'POST',
    token: who.keys.admin,
    body: JSON.stringify({ allowedOrigins }),
  });
  expect(settings.status).toBe(201);
  return ((await res.json()) as { widgetKey: string }).widgetKey;
}

beforeAll(async () => {
  tenant = await makeTenant(api.db);
  other = await makeTenant(api.db);
  widgetKey = await createWidget(tenant, [SHOP]);
  otherKey = await createWidget(other, []);
});

/** A browser on `origin` calling the widget API. */
function widget(
  key: string,
  path: string,
  init: { method?: string; token?: string; body?: object; origin?: string } = {},
) {
  const headers: Record<string, string> = { origin: init.origin ?? SHOP };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body) headers['content-type'] = 'application/json';
  return fetch(`${api.url}/v1/widget/${key}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers,
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
}

async function newSession(key = widgetKey): Promise<{ visitorId: string; token: string }> {
  const res = await widget(key, '/sessions', { method: 'POST' });
  expect(res.status).toBe(201);
  return (await res.json()) as { visitorId: string; token: string };
}

async function say(token: string, text: string, key = widgetKey) {
  const res = await widget(key, '/messages', { token, body: { text } });
  return {
    status: res.status,
    body: (await res.json()) as { conversationId: string; messageId: string; conversationCreated: boolean },
  };
}

/** Reads an SSE response until `predicate` holds over the events so far. */
async function readEvents(
  res: Response,
  predicate: (events: { event: string; id?: string; data: string }[]) => boolean,
) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: { event: string; id?: string; data: string }[] = [];
  while (!predicate(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => l && !l.startsWith(':'))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
      );
      if (fields.event || fields.data)
        events.push({ event: fields.event ?? 'message', id: fields.id, data: fields.data ?? '' });
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe('visitor tokens', () => {
  it('issues a token that opens a conversation, renews it for the same visitor, refuses forgeries', async () => {
    const s = await newSession();
    expect(s.token).toMatch(/^wv1\.v_[A-Za-z0-9_-]{22}\.\d+\.[A-Za-z0-9_-]+$/);
    const first = await say(s.token, 'Where is my parcel?');
    expect(first.status).toBe(201);
    expect(first.body.conversationCreated).toBe(true);
    const second = await say(s.token, 'Tracking number PP123');
    expect(second.body).toMatchObject({
      conversationId: first.body.conversationId,
      conversationCreated: false,
    });

    const renewed = await widget(widgetKey, '/sessions', { body: { token: s.token } });
    expect(((await renewed.json()) as { visitorId: string }).visitorId).toBe(s.visitorId);

    const list = await widget(widgetKey, `/conversations/${first.body.conversationId}/messages`, {
      token: s.token,
    });
    expect(list.status).toBe(200);
    const { data } = (await list.json()) as { data: { role: string; content: string }[] };
    expect(data.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Where is my parcel?'],
      ['user', 'Tracking number PP123'],
    ]);

    const [v, id, exp, sig] = s.token.split('.');
    const forged = [
      `${v}.${id}.${Number(exp) + 1}.${sig}`,
      `${v}.v_AAAAAAAAAAAAAAAAAAAAAA.${exp}.${sig}`,
      'wv1.x',
      '',
    ];
    for (const token of forged) {
      const res = await widget(widgetKey, '/messages', { token, body: { text: 'hi' } });
      expect(res.status, token).toBe(401);
    }
    expect((await widget(widgetKey, '/messages', { body: { text: 'no token' } })).status).toBe(401);
    expect((await say(s.token, '   ')).status).toBe(422);
  });

  it("answers 404 for another tenant's widget key with this token, and for other visitors' conversations", async () => {
    const mine = await newSession();
    const { body } = await say(mine.token, 'Hello');
    // This widget's token on the other tenant's widget: not theirs.
    expect((await say(mine.token, 'Hello', otherKey)).status).toBe(401);
    const theirs = await newSession(otherKey);
    const path = `/conversations/${body.conversationId}/messages`;
    expect((await widget(otherKey, path, { token: theirs.token })).status).toBe(404);
    // Another visitor of the same widget.
    const stranger = await newSession();
    expect((await widget(widgetKey, path, { token: stranger.token })).status).toBe(404);
    expect(
      (await widget(widgetKey, `/conversations/${body.conversationId}/stream`, { token: stranger.token }))
        .status,
    ).toBe(404);
    // Unknown or malformed keys.
    expect((await widget('wk_nope', '/sessions', { method: 'POST' })).status).toBe(404);
  });
});

describe('origins', () => {
  it('allows only the listed origins, with CORS headers for them', async () => {
    const ok = await widget(widgetKey, '/sessions', { method: 'POST' });
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    const refused = await widget(widgetKey, '/sessions', { method: 'POST', origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = (origin: string) =>
      fetch(`${api.url}/v1/widget/${widgetKey}/messages`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await preflight(SHOP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const denied = await preflight('https://evil.example');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();

    // An empty list allows any origin.
    expect(
      (await widget(otherKey, '/sessions', { method: 'POST', origin: 'https://anywhere.example' })).status,
    ).toBe(201);
  });
});

describe('live replies', () => {
  it('pushes a reply stored for the conversation to the visitor over SSE, and nothing internal', async () => {
    const s = await newSession();
    const { body } = await say(s.token, 'Can I change the delivery address?');
    const conversationId = body.conversationId;
    const stream = await widget(widgetKey, `/conversations/${conversationId}/stream`, { token: s.token });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');

    const reading = readEvents(stream, (events) => events.some((e) => e.event === 'message'));
    // The stream is subscribed once `ready` is sent; wait for the subscription before replying.
    while (messageHub(api.db).size === 0) await new Promise((r) => setTimeout(r, 5));
    const reply = async (content: string, isInternal: boolean) => {
      const res = await api.fetch('/v1/messages', {
        method: 'POST',
        token: tenant.keys.agent,
        body: JSON.stringify({ conversationId, role: 'agent', content, isInternal }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    await reply('Internal: check the depot', true);
    const replyId = await reply('Yes: reply with the new address and we will reroute it.', false);
    const events = await reading;
    const messages = events.filter((e) => e.event === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.id).toBe(replyId);
    expect(JSON.parse(messages[0]!.data)).toMatchObject({
      id: replyId,
      role: 'agent',
      content: 'Yes: reply with the new address and we will reroute it.',
    });

    // Reconnecting with Last-Event-ID from before the reply gets it again; the visitor's own
    // messages are not echoed.
    const again = await fetch(
      `${api.url}/v1/widget/${widgetKey}/conversations/${conversationId}/stream?token=${s.token}`,
      {
        headers: { origin: SHOP, 'last-event-id': body.messageId },
      },
    );
    const replayed = await readEvents(again, (evs) => evs.some((e) => e.event === 'message'));
    expect(replayed.filter((e) => e.event === 'message').map((e) => e.id)).toEqual([replyId]);
  });
});

describe('rate limits', () => {
  it('limits messages per visitor with 429 and Retry-After', async () => {
    const s = await newSession();
    const budget = DEFAULT_WIDGET_LIMITS.messagesPerVisitor;
    // Fixed one-minute windows: within 2×budget + 1 requests one window is overrun.
    let limited: Response | undefined;
    for (let i = 0; i <= 2 * budget && !limited; i++) {
      const res = await widget(widgetKey, '/messages', { token: s.token, body: { text: `message ${i}` } });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(201);
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('access-control-allow-origin')).toBe(SHOP);
    // Another visitor is not held back by this one.
    const fresh = await newSession();
    expect((await say(fresh.token, 'hello')).status).toBe(201);
  });

  it('limits new sessions per address', async () => {
    const budget = DEFAULT_WIDGET_LIMITS.sessionsPerIp;
    let limited = false;
    for (let i = 0; i <= 2 * budget && !limited; i++) {
      const res = await widget(widgetKey, '/sessions', { method: 'POST' });
      limited = res.status === 429;
      if (!limited) expect(res.status).toBe(201);
    }
    expect(limited).toBe(true);
  });
});
