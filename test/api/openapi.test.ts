/**
 * The OpenAPI document is a contract, not decoration: it passes an OpenAPI 3.1 validator, names
 * every route the app serves, /docs renders every path, and the typed client the other API tests
 * use was generated from this very document (a stale client fails here: `npm run api:client`).
 */
import { readFileSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateClientTypes, SCHEMA_FILE } from '../../client/generate.js';
import { useTestApi } from '../helpers/api.js';

const api = useTestApi();
type Doc = { openapi: string; paths: Record<string, Record<string, { operationId?: string }>> };
let doc: Doc;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

beforeAll(async () => {
  const res = await api.fetch('/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await res.json()) as Doc;
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result.specification).toBe('OpenAPI');
  });

  it('documents every route the app serves, and nothing it does not', () => {
    const served = api.app.api.routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m} ${path}`),
      )
      .sort();
    expect(served.length).toBeGreaterThan(20);
    expect(documented).toEqual(served);
    expect(new Set(served).size).toBe(served.length);
  });

  it('shows a request example for logging in, sending a message and uploading a document', () => {
    const body = (path: string, type: string) =>
      (
        doc.paths[path]!.post as unknown as {
          requestBody: { content: Record<string, { schema: Record<string, unknown> }> };
        }
      ).requestBody.content[type]!.schema;
    const exampleOf = (schema: Record<string, unknown>) => {
      const ref = schema.$ref as string | undefined;
      const resolved = ref
        ? ((doc as unknown as { components: { schemas: Record<string, Record<string, unknown>> } }).components
            .schemas[ref.split('/').pop()!] ?? {})
        : schema;
      return resolved.example;
    };
    expect(exampleOf(body('/v1/auth/login', 'application/json'))).toMatchObject({
      email: expect.any(String),
    });
    expect(exampleOf(body('/v1/messages', 'application/json'))).toMatchObject({
      content: expect.any(String),
    });
    const upload = body('/v1/knowledge-sources/upload', 'multipart/form-data');
    expect(exampleOf(upload)).toMatchObject({ title: 'Refund policy' });
    expect((upload.properties as Record<string, { format?: string }>).file!.format).toBe('binary');
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values(doc.paths).flatMap((ops) =>
      Object.entries(ops)
        .filter(([m]) => METHODS.includes(m))
        .map(([, op]) => op.operationId),
    );
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves the same document as the CLI and the generator build', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(api.app.api.document())));
  });
});

describe('GET /docs', () => {
  it('is the Scalar reference of /openapi.json, its script served here (no CDN)', async () => {
    const res = await api.fetch('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^\s*<!doctype html>/i);
    expect(html).toContain('/openapi.json');
    expect(html).toContain('<script src="/docs/scalar.js">');
    expect(html).not.toContain('cdn.jsdelivr.net');
    const script = await api.fetch('/docs/scalar.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe('shared error responses', () => {
  it('are described once in components.responses and referenced by the operations', () => {
    const components = (
      doc as unknown as { components: { responses: Record<string, { description: string }> } }
    ).components.responses;
    expect(components.NotFound?.description).toBe('No such resource in your tenant');
    const get = (doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[
      '/v1/contacts/{id}'
    ]!.get!;
    expect(get.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
  });
});

describe('problem types', () => {
  it('serves a page for each problem type the API uses', async () => {
    const res = await api.fetch('/problems/precondition-failed');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      code: 'precondition_failed',
      status: 412,
      title: 'Precondition failed',
    });
    expect((await api.fetch('/problems/no-such-problem')).status).toBe(404);
  });
});

describe('the typed client', () => {
  it('was generated from the current document (run `npm run api:client` when this fails)', async () => {
    const current = readFileSync(SCHEMA_FILE, 'utf8');
    const generated = await generateClientTypes();
    expect(current === generated, 'client/schema.ts is stale: run `npm run api:client`').toBe(true);
  });
});
