/**
 * defineOperation on its own, on a small router of its own (no database): a declaration that
 * names neither a resource nor collection-level is refused; the query, path and body are
 * validated with the documented schemas; and, as under every test, a response that does not
 * match its documented schema is a loud 500 naming the field.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/platform/clock.js';
import { AppError } from '../../src/platform/errors.js';
import type { ApiContext } from '../../src/platform/http/api-context.js';
import type { AppEnv } from '../../src/platform/http/context.js';
import { buildDocument, createRegistry } from '../../src/platform/http/openapi.js';
import { defineOperation } from '../../src/platform/http/operation.js';
import { responseCheck } from '../../src/platform/http/response-check.js';
import type { AppPlatform } from '../../src/platform/jobs.js';
import { z } from '../../src/platform/zod.js';

function miniApi(): ApiContext {
  const registry = createRegistry();
  const router = new Hono<AppEnv>();
  router.onError((error, c) => {
    const status =
      error instanceof AppError ? ({ internal: 500 } as Record<string, number>)[error.code] : 500;
    return c.json({ code: (error as AppError).code, detail: error.message }, (status ?? 400) as 400);
  });
  const platform = { clock: systemClock } as unknown as AppPlatform;
  return {
    db: undefined as never,
    platform,
    registry,
    router,
    guard: [],
    routes: [],
    checkResponse: responseCheck(() => buildDocument(registry)),
  };
}

const greeting = z.object({ hello: z.string(), count: z.number().int() });

describe('defineOperation', () => {
  it('refuses a tenant operation that names neither its resource nor collection-level', () => {
    expect(() =>
      defineOperation(miniApi(), {
        method: 'get',
        path: '/things',
        scope: 'tenant',
        role: 'viewer',
        tag: 'Test',
        operationId: 'listThings',
        summary: 'Things',
        responses: { 200: { description: 'ok', schema: greeting } },
        handler: () => ({ hello: 'x', count: 1 }),
      }),
    ).toThrow(/names its resource .* or is marked collection-level/);
  });

  it('hands the handler the validated body and query, and refuses unknown query parameters by name', async () => {
    const api = miniApi();
    defineOperation(api, {
      method: 'post',
      path: '/greet',
      scope: 'public',
      strictQuery: true,
      tag: 'Test',
      operationId: 'greet',
      summary: 'Greet',
      request: {
        query: z.object({ times: z.coerce.number().int().min(1).default(1) }),
        body: z.object({ name: z.string().min(1).max(10) }),
      },
      responses: { 200: { description: 'ok', schema: greeting } },
      handler: ({ body, query }) => ({ hello: body.name, count: query.times }),
    });
    const post = (q: string, body: unknown) =>
      api.router.request(`/greet${q}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post('?times=3', { name: 'Ada' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ hello: 'Ada', count: 3 });
    const unknown = await post('?times=3&tims=4', { name: 'Ada' });
    expect(await unknown.json()).toMatchObject({
      code: 'bad_request',
      detail: expect.stringContaining('tims'),
    });
    const invalid = await post('', { name: '' });
    expect(await invalid.json()).toMatchObject({ code: 'validation_failed' });
    expect(api.routes).toEqual([{ method: 'post', path: '/v1/greet', role: 'public', scope: 'public' }]);
  });

  it('answers 500 naming the field when a response does not match its documented schema', async () => {
    const api = miniApi();
    defineOperation(api, {
      method: 'get',
      path: '/drift',
      scope: 'public',
      tag: 'Test',
      operationId: 'drift',
      summary: 'Drift',
      responses: { 200: { description: 'ok', schema: greeting } },
      handler: () => ({ hello: 'x', count: 'one' }),
    });
    const res = await api.router.request('/drift');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toContain('GET /v1/drift 200 does not match its documented schema');
    expect(body.detail).toContain('/count');
  });

  it('answers 500 when an operation sends a status it does not document', async () => {
    const api = miniApi();
    defineOperation(api, {
      method: 'get',
      path: '/undocumented',
      scope: 'public',
      tag: 'Test',
      operationId: 'undocumented',
      summary: 'Undocumented',
      responses: { 200: { description: 'ok', schema: greeting } },
      handler: ({ c }) => c.json({ hello: 'x', count: 1 }, 202),
    });
    const res = await api.router.request('/undocumented');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toContain('not a documented status');
  });
});
