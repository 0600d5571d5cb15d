/**
 * The resource routes as the route tests drive them, on top of `useTestApi`: callers named by
 * key (`'viewer'`, `'other-admin'`, …), a JSON `call` against /v1, problem checks, resources made
 * from their documented examples, and the CRUD walk every resource shares.
 * @example
 *   // Keys 'viewer', 'agent' and 'admin' in one tenant, 'other-admin' in another.
 *   const { call, expectProblem } = useResourceApi({
 *     tenants: { '': ['viewer', 'agent', 'admin'], 'other-': ['admin'] },
 *   });
 *   it('…', async () => expectProblem(await call('viewer', 'POST', '/contacts', {}), 403));
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect } from 'vitest';
import { createApiKey } from '../../src/domains/identity/api-keys.js';
import type { Role } from '../../src/domains/identity/tables.js';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { ERRORS, type ErrorCode, problemType } from '../../src/platform/errors.js';
import { resourceSpecs } from '../../src/platform/http/resource.js';
import { tenants } from '../../src/schema/tenants.js';
import { makeTenant, type TestApi, type TestTenant, useTestApi } from './api.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary JSON, checked by expect(), not by types.
export type Json = Record<string, any>;

/** A response with its body parsed (`null` when there is none). */
export interface Res {
  status: number;
  headers: Headers;
  body: Json;
}

export interface ResourceApiOptions {
  /** Tenants to make before the file's tests (see `newTenant`), by key prefix: roles. */
  tenants?: Record<string, readonly Role[]>;
  /** `expectProblem` also checks the `status` member of the problem document. */
  problemBodyStatus?: boolean;
  /**
   * `fromExample` uses the resource it last made for a ref (for the same caller) instead of
   * making a new one each time.
   */
  reuseRefs?: boolean;
}

export interface ResourceApi extends TestApi {
  /** API keys by caller name; `newTenant` fills it, and a test may add its own (a session token). */
  readonly keys: Record<string, string>;
  /** A tenant with one API key per role, stored in `keys` as `${prefix}${role}`; returns its id. */
  newTenant(prefix: string, roles: readonly Role[], options?: { timezone?: string }): Promise<string>;
  /** A JSON request to `/v1${path}` as `who` (a name in `keys`, else taken as the token itself). */
  call(
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Res>;
  /** Asserts an RFC 9457 problem response with this status. */
  expectProblem(r: Res, status: number): void;
  /** Creates a resource from its documented example as `who` (admin), creating what it refers to first. */
  fromExample(name: string, who?: string): Promise<Res>;
  /**
   * create → get (ETag) → list by `filter` → patch (If-Match) → delete (If-Match), with role and
   * tenant refusals; needs the callers 'viewer', 'agent', 'admin' and 'other-admin'. Returns the
   * created resource.
   */
  lifecycle(name: string, filter: string, patch: Record<string, unknown>): Promise<Json>;
}

/** The app on loopback with a fresh database for this file, and the helpers above bound to it. */
export function useResourceApi(options: ResourceApiOptions = {}): ResourceApi {
  const api = useTestApi();
  const keys: Record<string, string> = {};
  const examples = new Map<string, Json>();

  async function newTenant(prefix: string, roles: readonly Role[], tenant: { timezone?: string } = {}) {
    const id = randomUUID();
    await withPlatform(api.db, (tx) =>
      tx.insert(tenants).values({ id, slug: `t-${id.slice(0, 8)}`, name: 'T', ...tenant }),
    );
    for (const role of roles) {
      keys[`${prefix}${role}`] = (
        await withTenant(api.db, id, (tx) => createApiKey(tx, id, { name: role, role }))
      ).key;
    }
    return id;
  }
  beforeAll(async () => {
    for (const [prefix, roles] of Object.entries(options.tenants ?? {})) await newTenant(prefix, roles);
  });

  async function call(
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Res> {
    const res = await fetch(`${api.url}/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${keys[who] ?? who}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  }

  function expectProblem(r: Res, status: number) {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // The stable `type` of a code with this status (one code per status, but 403 and 503).
    const types = (Object.keys(ERRORS) as ErrorCode[])
      .filter((code) => ERRORS[code].status === status)
      .map(problemType);
    expect(types, JSON.stringify(r.body)).toContain(r.body.type);
    if (options.problemBodyStatus) expect(r.body.status).toBe(status);
  }

  async function fromExample(name: string, who = 'admin'): Promise<Res> {
    const spec = resourceSpecs.get(name)!;
    const body = { ...spec.example };
    for (const [field, ref] of Object.entries(spec.refs ?? {})) {
      const reused = options.reuseRefs ? examples.get(`${who} ${ref}`) : undefined;
      body[field] = (reused ?? (await fromExample(ref, who)).body).id;
    }
    const r = await call(who, 'POST', `/${name}`, body);
    expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(201);
    examples.set(`${who} ${name}`, r.body);
    return r;
  }

  async function lifecycle(name: string, filter: string, patch: Record<string, unknown>) {
    const spec = resourceSpecs.get(name)!;
    const made = await fromExample(name);
    const id = made.body.id;
    expect(made.headers.get('location')).toBe(`/v1/${name}/${id}`);
    const got = await call('viewer', 'GET', `/${name}/${id}`);
    expect(got.headers.get('etag')).toBe(made.headers.get('etag'));
    const list = await call(
      'viewer',
      'GET',
      `/${name}?${filter}=${encodeURIComponent(String(made.body[filter]))}`,
    );
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain(id);
    expectProblem(await call('viewer', 'POST', `/${name}`, spec.example), 403);
    if (spec.writeRole === 'admin') expectProblem(await call('agent', 'POST', `/${name}`, spec.example), 403);
    expectProblem(await call('viewer', 'PATCH', `/${name}/${id}`, patch), 403);
    expectProblem(await call('other-admin', 'GET', `/${name}/${id}`), 404);
    expectProblem(await call('other-admin', 'PATCH', `/${name}/${id}`, patch), 404);
    const etag = got.headers.get('etag')!;
    const patched = await call('admin', 'PATCH', `/${name}/${id}`, patch, { 'if-match': etag });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject(patch);
    expectProblem(await call('admin', 'DELETE', `/${name}/${id}`, undefined, { 'if-match': etag }), 412);
    const del = await call('admin', 'DELETE', `/${name}/${id}`, undefined, {
      'if-match': patched.headers.get('etag')!,
    });
    expect(del.status).toBe(204);
    expectProblem(await call('viewer', 'GET', `/${name}/${id}`), 404);
    return made.body;
  }

  return {
    get db() {
      return api.db;
    },
    get url() {
      return api.url;
    },
    get app() {
      return api.app;
    },
    client: api.client,
    fetch: api.fetch,
    keys,
    newTenant,
    call,
    expectProblem,
    fromExample,
    lifecycle,
  };
}

/** Two tenants, A and B, each with one API key per role (see `makeTenant`). */
export async function makeTenantPair(db: Database): Promise<[TestTenant, TestTenant]> {
  const a = await makeTenant(db);
  return [a, await makeTenant(db)];
}

type Sent = Response | { response: Response; error?: unknown };

/** Asserts an RFC 9457 problem document (from raw fetch or the typed client) and returns it. */
export async function problemOf(sent: Sent, status: number, code?: string): Promise<Record<string, unknown>> {
  const res = sent instanceof Response ? sent : sent.response;
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (sent instanceof Response ? await res.json() : sent.error) as Record<string, unknown>;
  expect(body).toMatchObject({
    type: expect.stringMatching(/^\/problems\/[a-z-]+$/),
    title: expect.any(String),
    status,
    code: code ?? expect.any(String),
    requestId: res.headers.get('x-request-id'),
  });
  return body;
}

/** POST /v1/contacts with a raw body (one the typed client would not let through). */
export const postContact = (t: TestApi, token: string, body: unknown, headers: Record<string, string> = {}) =>
  t.fetch('/v1/contacts', { method: 'POST', token, body: JSON.stringify(body), headers });
