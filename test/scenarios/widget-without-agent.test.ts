/**
 * A widget set up before any AI agent exists (the tenant has none active): the visitor is never
 * left with silence — the widget's hand-off message answers — and the visitor's message records
 * why no AI reply was sent.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, type TestTenant } from '../helpers/api.js';
import { call, get, settle, useScenario } from './scenario.js';

const { api } = useScenario('2026-09-14T17:00:00Z');
let tenant: TestTenant;
let widgetKey = '';

beforeAll(async () => {
  tenant = await makeTenant(api.db);
  const channel = await call(api, tenant.keys.admin, 'POST', '/v1/channels', {
    kind: 'widget',
    name: 'Help',
  });
  widgetKey = channel.widgetKey as string;
  await call(api, tenant.keys.admin, 'POST', '/v1/widget-settings', {
    behavior: { greeting: 'Hello there!', handoffMessage: 'Someone from our team will reply here soon.' },
  });
});

describe('a widget no AI agent answers', () => {
  it('greets, tells the visitor a person will answer, and records why no AI reply was sent', async () => {
    const session = (await (
      await fetch(`${api.url}/v1/widget/${widgetKey}/sessions`, { method: 'POST' })
    ).json()) as { token: string };
    const headers = { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' };
    const sent = await fetch(`${api.url}/v1/widget/${widgetKey}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: 'Do you ship to Norway?' }),
    });
    expect(sent.status).toBe(201);
    const { conversationId, messageId } = (await sent.json()) as {
      conversationId: string;
      messageId: string;
    };
    await settle(api);
    const seen = (await (
      await fetch(`${api.url}/v1/widget/${widgetKey}/conversations/${conversationId}/messages`, { headers })
    ).json()) as { data: Array<{ role: string; content: string }> };
    expect(seen.data.map((m) => [m.role, m.content])).toEqual([
      ['assistant', 'Hello there!'],
      ['user', 'Do you ship to Norway?'],
      ['assistant', 'Someone from our team will reply here soon.'],
    ]);
    const message = await get(api, tenant.keys.viewer, `/v1/messages/${messageId}`);
    expect(message.metadata).toMatchObject({
      responder: { kind: 'ignored', reason: 'no agent answers this conversation' },
    });
  });
});
