/**
 * The widget's pre-chat email form, over the real HTTP server: the setting (validated, CHECKed,
 * public in the widget's config), and the message endpoint keeping the visitor's email on their
 * contact, refusing a bad one with nothing stored, and refusing to open a conversation without
 * one when the widget requires it.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTenant, type TestTenant, useTestApi } from '../../../test/helpers/api.js';
import { rows } from '../../platform/db/database.js';
import { withTenant } from '../../platform/db/tenant.js';

const api = useTestApi();
let tenant: TestTenant;
/** Widgets of `tenant`: one on the tenant-wide settings, one per mode on its agent's own row. */
const keys = { tenantWide: '', optional: '', required: '' };

async function admin(method: string, path: string, body?: object) {
  const res = await api.fetch(path, {
    method,
    token: tenant.keys.admin,
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A widget channel answered by a new (draft) agent whose own settings row has this mode. */
async function widgetWith(preChatEmail: string, behavior: object = {}): Promise<string> {
  const agent = await admin('POST', '/v1/agents', { name: `Agent ${preChatEmail}`, type: 'support' });
  const channel = await admin('POST', '/v1/channels', {
    kind: 'widget',
    name: `Widget ${preChatEmail}`,
    agentId: agent.body.id,
  });
  const settings = await admin('POST', '/v1/widget-settings', {
    agentId: agent.body.id,
    preChatEmail,
    behavior,
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(201);
  return channel.body.widgetKey as string;
}

beforeAll(async () => {
  tenant = await makeTenant(api.db);
  keys.tenantWide = (await admin('POST', '/v1/channels', { kind: 'widget', name: 'Plain' })).body
    .widgetKey as string;
  keys.optional = await widgetWith('optional', { preChatMessage: '  Leave your email, we reply there.  ' });
  keys.required = await widgetWith('required');
});

async function visitor(key: string) {
  const res = await fetch(`${api.url}/v1/widget/${key}/sessions`, { method: 'POST' });
  expect(res.status).toBe(201);
  const { token } = (await res.json()) as { token: string };
  const say = async (body: object) => {
    const sent = await fetch(`${api.url}/v1/widget/${key}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: sent.status, body: (await sent.json()) as Record<string, unknown> };
  };
  return { token, say };
}

/** The email on the contact of a conversation, read through the API. */
async function contactOf(conversationId: unknown) {
  const conversation = await admin('GET', `/v1/conversations/${conversationId}`);
  const contact = await admin('GET', `/v1/contacts/${conversation.body.contactId}`);
  return contact.body as { id: string; email: string | null };
}

const counts = () =>
  withTenant(api.db, tenant.id, async (tx) => {
    const [c] = await rows<{ contacts: number; conversations: number; messages: number; identities: number }>(
      tx,
      sql`SELECT (SELECT count(*)::int FROM contacts) AS contacts,
                 (SELECT count(*)::int FROM conversations) AS conversations,
                 (SELECT count(*)::int FROM messages) AS messages,
                 (SELECT count(*)::int FROM contact_identities) AS identities`,
    );
    return c!;
  });

describe('the pre-chat email setting', () => {
  it('is off by default, takes off, optional or required, and refuses anything else', async () => {
    const created = await admin('POST', '/v1/widget-settings', {});
    expect(created.status).toBe(201);
    expect(created.body.preChatEmail).toBe('off');
    const path = `/v1/widget-settings/${created.body.id}`;
    const wrong = await admin('PATCH', path, { preChatEmail: 'always' });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ type: '/problems/validation-failed' });
    expect(JSON.stringify(wrong.body.errors)).toContain('preChatEmail');
    expect((await admin('GET', path)).body.preChatEmail).toBe('off');
    const set = await admin('PATCH', path, { preChatEmail: 'optional' });
    expect(set.status).toBe(200);
    expect(set.body.preChatEmail).toBe('optional');
    expect((await admin('PATCH', path, { preChatEmail: 'off' })).body.preChatEmail).toBe('off');
  });

  it('is held by a CHECK in the database too', async () => {
    const error = await withTenant(api.db, tenant.id, (tx) =>
      tx.execute(sql`UPDATE widget_settings SET pre_chat_email = 'always'`),
    ).then(
      () => null,
      (e: Error) => e,
    );
    // Drizzle wraps the driver's error: the constraint is named in its cause.
    expect(String((error?.cause as Error | undefined)?.message)).toMatch(
      /widget_settings_pre_chat_email_check/,
    );
  });

  it('is in the widget’s public config with its message, from the agent’s row', async () => {
    const config = async (key: string) =>
      (await (await fetch(`${api.url}/v1/widget/${key}/config`)).json()) as Record<string, unknown>;
    expect(await config(keys.optional)).toMatchObject({
      preChatEmail: 'optional',
      preChatMessage: 'Leave your email, we reply there.',
    });
    expect(await config(keys.required)).toMatchObject({ preChatEmail: 'required', preChatMessage: null });
    expect(await config(keys.tenantWide)).toMatchObject({ preChatEmail: 'off', preChatMessage: null });
  });
});

describe('the visitor’s email on the message endpoint', () => {
  it('keeps a valid email on the visitor’s contact, lower-cased', async () => {
    const v = await visitor(keys.optional);
    const first = await v.say({ text: 'Do you ship to Norway?', email: 'Ana.Lima@Example.com' });
    expect(first.status).toBe(201);
    expect((await contactOf(first.body.conversationId)).email).toBe('ana.lima@example.com');
    // A later email does not replace the one the contact has.
    const later = await v.say({ text: 'And to Iceland?', email: 'someone.else@example.com' });
    expect(later.status).toBe(201);
    expect((await contactOf(later.body.conversationId)).email).toBe('ana.lima@example.com');
  });

  it('is optional on an optional widget and on a widget without the form', async () => {
    for (const key of [keys.optional, keys.tenantWide]) {
      const sent = await (await visitor(key)).say({ text: 'Just browsing' });
      expect(sent.status).toBe(201);
      expect((await contactOf(sent.body.conversationId)).email).toBeNull();
    }
  });

  it('refuses an invalid email with a problem document and stores nothing', async () => {
    const v = await visitor(keys.optional);
    const before = await counts();
    for (const email of ['not an email', 'ana@', ' ana@example.com', 42, `${'a'.repeat(250)}@example.com`]) {
      const sent = await v.say({ text: 'Hello', email });
      expect(sent.status, String(email)).toBe(422);
      expect(sent.body).toMatchObject({ type: '/problems/validation-failed', status: 422 });
      expect(new Set((sent.body.errors as { path: string }[]).map((e) => e.path))).toEqual(
        new Set(['email']),
      );
    }
    expect(await counts()).toEqual(before);
  });

  it('does not join the visitor to another contact known by the same email', async () => {
    const known = await admin('POST', '/v1/contacts', { name: 'Known customer', email: 'known@example.com' });
    expect(known.status).toBe(201);
    const sent = await (await visitor(keys.optional)).say({ text: 'Hi', email: 'known@example.com' });
    const contact = await contactOf(sent.body.conversationId);
    expect(contact.id).not.toBe(known.body.id);
    expect(contact.email).toBe('known@example.com');
  });
});

describe('a widget that requires the email', () => {
  it('refuses to open a conversation without one, storing nothing, then takes it with one', async () => {
    const v = await visitor(keys.required);
    const before = await counts();
    const refused = await v.say({ text: 'Where is my parcel?' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      type: '/problems/email-required',
      title: 'Email required',
      code: 'email_required',
      errors: [{ path: 'email' }],
    });
    expect(await counts()).toEqual(before);

    const first = await v.say({ text: 'Where is my parcel?', email: 'bo@example.com' });
    expect(first.status).toBe(201);
    expect(first.body.conversationCreated).toBe(true);
    expect((await contactOf(first.body.conversationId)).email).toBe('bo@example.com');
    // The form is for the first message: the rest of the conversation needs no email.
    const next = await v.say({ text: 'Tracking PP123' });
    expect(next).toMatchObject({ status: 201, body: { conversationId: first.body.conversationId } });

    // A new conversation of a visitor whose email is known needs none either.
    const resolved = await admin('POST', `/v1/conversations/${first.body.conversationId}/set-status`, {
      status: 'resolved',
    });
    expect(resolved.status).toBe(200);
    const again = await v.say({ text: 'One more question' });
    expect(again.status).toBe(201);
    expect(again.body.conversationCreated).toBe(true);
  });

  it('does not stop a conversation already open when the setting is switched on', async () => {
    const settings = await admin('GET', '/v1/widget-settings?limit=100');
    const tenantWide = (settings.body.data as { id: string; agentId: string | null }[]).find(
      (s) => s.agentId === null,
    )!;
    const v = await visitor(keys.tenantWide);
    const first = await v.say({ text: 'Hello' });
    expect(first.status).toBe(201);
    await admin('PATCH', `/v1/widget-settings/${tenantWide.id}`, { preChatEmail: 'required' });
    try {
      expect((await v.say({ text: 'Still there?' })).status).toBe(201);
      const stranger = await (await visitor(keys.tenantWide)).say({ text: 'Hello' });
      expect(stranger.body).toMatchObject({ type: '/problems/email-required' });
    } finally {
      await admin('PATCH', `/v1/widget-settings/${tenantWide.id}`, { preChatEmail: 'off' });
    }
  });
});
