/**
 * Text the database cannot store, or would store altered, is refused at the edge with a 400
 * `bad-request` problem, on every kind of input, authenticated or not, and changes nothing:
 * NUL (U+0000) and invalid UTF-8 in JSON values and keys, query strings, paths, url-encoded and
 * multipart form fields. Data exceptions of the database (SQLSTATE class 22) are 422s.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mapDatabaseError } from '../../src/platform/http/db-errors.js';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';
import { problemOf } from '../helpers/resource-api.js';

const api = useTestApi();
let T: TestTenant;
beforeAll(async () => {
  T = await makeTenant(api.db);
});

const INVALID = Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0x80]);
const jsonWith = (prefix: string, bytes: Buffer, suffix: string) =>
  Buffer.concat([Buffer.from(prefix), bytes, Buffer.from(suffix)]);

async function contactCount(): Promise<number> {
  const [r] = await api.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1',
    [T.id],
  );
  return r!.n;
}

async function badRequest(res: Response, mentions: RegExp): Promise<void> {
  const body = await problemOf(res, 400, 'bad_request');
  expect(body.type).toBe('/problems/bad-request');
  expect(body.detail).toMatch(mentions);
}

describe('NUL characters', () => {
  it('refuses NUL in a JSON value, a JSON key and a nested value, creating nothing', async () => {
    const before = await contactCount();
    for (const body of [
      '{"name":"a\\u0000b"}',
      '{"name":"ok","na\\u0000me":"x"}',
      '{"name":"ok","metadata":{"k":["x","y\\u0000"]}}',
    ]) {
      await badRequest(await api.fetch('/v1/contacts', { method: 'POST', token: T.keys.agent, body }), /NUL/);
    }
    expect(await contactCount()).toBe(before);
  });

  it('refuses NUL in a list filter, a path parameter and a query value, before authentication', async () => {
    await badRequest(
      await api.fetch('/v1/contacts?email=%00', { token: T.keys.viewer }),
      /query string.*NUL/,
    );
    await badRequest(await api.fetch('/v1/tenants/by-slug/%00'), /path/);
    await badRequest(await api.fetch('/v1/widget/%00/sessions', { method: 'POST', body: '{}' }), /path/);
    await badRequest(await api.fetch('/v1/inbound/telegram/%00', { method: 'POST', body: '{}' }), /path/);
  });

  it('refuses NUL in url-encoded and multipart form fields (inbound webhooks, uploads)', async () => {
    await badRequest(
      await api.fetch('/v1/inbound/twilio', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'From=%00&Body=hi',
      }),
      /form body parameter "From".*NUL/,
    );
    const form = new FormData();
    form.set('title', 'a\u0000b');
    form.set('file', new File(['hello'], 'a.txt', { type: 'text/plain' }));
    await badRequest(
      await fetch(`${api.url}/v1/knowledge-sources/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${T.keys.admin}` },
        body: form,
      }),
      /form field "title".*NUL/,
    );
    const [r] = await api.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM knowledge_sources WHERE tenant_id = $1',
      [T.id],
    );
    expect(r!.n).toBe(0);
  });

  it('still accepts an escaped backslash followed by u0000 (that is text, not NUL)', async () => {
    const res = await api.fetch('/v1/contacts', {
      method: 'POST',
      token: T.keys.agent,
      body: '{"name":"a\\\\u0000b"}',
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe('a\\u0000b');
  });
});

describe('invalid UTF-8', () => {
  it('refuses raw invalid bytes inside a JSON string (not stored as U+FFFD)', async () => {
    const before = await contactCount();
    const res = await api.fetch('/v1/contacts', {
      method: 'POST',
      token: T.keys.agent,
      body: jsonWith('{"name":"', INVALID, '"}'),
    });
    await badRequest(res, /not valid UTF-8/);
    expect(await contactCount()).toBe(before);
  });

  it('refuses a lone surrogate escape, invalid percent-encoded bytes in a query and in a form', async () => {
    await badRequest(
      await api.fetch('/v1/contacts', { method: 'POST', token: T.keys.agent, body: '{"name":"\\ud800"}' }),
      /surrogate/,
    );
    await badRequest(await api.fetch('/v1/contacts?email=%FF%FE', { token: T.keys.viewer }), /UTF-8/);
    await badRequest(await api.fetch('/v1/contacts/%C0%AF', { token: T.keys.viewer }), /path/);
    await badRequest(
      await api.fetch('/v1/inbound/email', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'recipient=a%40b.example&body-plain=%FF',
      }),
      /UTF-8/,
    );
  });

  it('refuses invalid bytes in a tenant setting and changes nothing', async () => {
    const before = await api.fetch('/v1/tenant', { token: T.keys.owner }).then((r) => r.json());
    const res = await api.fetch('/v1/tenant', {
      method: 'PATCH',
      token: T.keys.owner,
      body: jsonWith('{"name":"', INVALID, '"}'),
    });
    await badRequest(res, /UTF-8/);
    const after = await api.fetch('/v1/tenant', { token: T.keys.owner }).then((r) => r.json());
    expect(after).toEqual(before);
  });

  it('keeps valid multi-byte text intact', async () => {
    const res = await api.fetch('/v1/contacts', {
      method: 'POST',
      token: T.keys.agent,
      body: JSON.stringify({ name: 'Zoë 🐙 日本' }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe('Zoë 🐙 日本');
  });
});

describe('data exceptions of the database (SQLSTATE class 22)', () => {
  it.each([
    ["SELECT '16:00-33'::time", '22009'],
    ["SELECT '25:61'::time", '22008'],
    ['SELECT 1/0', '22012'],
    ["SELECT '2026-02-30'::date", '22008'],
    ['SELECT 99999999999::int', '22003'],
    ["SELECT 'abc'::int", '22P02'],
  ])('maps %s (%s) to a 422 validation problem', async (sql, code) => {
    const error = await api.db.query(sql).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toBe(code);
    expect(mapDatabaseError(error)?.code).toBe('validation_failed');
  });
});
