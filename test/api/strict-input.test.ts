/**
 * Input the API used to take silently: unknown query parameters on lists (400 naming them),
 * times that are not times (422, nothing stored), text over its documented maximum (422), and a
 * wrong method on a served path (405 with `Allow`).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TEXT } from '../../src/platform/http/resource.js';
import { useResourceApi } from '../helpers/resource-api.js';

const r = useResourceApi({ tenants: { '': ['viewer', 'agent', 'admin', 'owner'] }, reuseRefs: true });

describe('unknown query parameters', () => {
  it('refuses a misspelt filter on every list with a 400 that names it', async () => {
    // Every authenticated read that documents query parameters (all the lists, searches, summaries).
    const doc = r.app.api.document() as {
      paths: Record<string, { get?: { parameters?: { in: string }[]; security?: unknown[] } }>;
    };
    const lists = r.app.api.routes.filter((e) => {
      const op = doc.paths[e.path.replace(/:(\w+)/g, '{$1}')]?.get;
      return e.method === 'get' && e.role !== 'public' && op?.parameters?.some((p) => p.in === 'query');
    });
    let checked = 0;
    for (const entry of lists) {
      const path = entry.path.replace(/^\/v1/, '').replace(/:\w+/, '01950000-0000-7000-8000-000000000001');
      const res = await r.call('owner', 'GET', `${path}?stauts=open`);
      expect({ route: entry.path, status: res.status }).toEqual({ route: entry.path, status: 400 });
      expect(res.body.code).toBe('bad_request');
      expect(res.body.detail).toContain('stauts');
      expect(res.body.errors).toEqual([{ path: 'stauts', message: 'not a parameter of this operation' }]);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('still takes the documented parameters', async () => {
    const res = await r.call('viewer', 'GET', '/conversations?status=open&limit=5&sort=createdAt');
    expect(res.status).toBe(200);
  });
});

describe('times are validated as times', () => {
  it.each(['16:00-33', '16:00-7', '24:00', '7pm', '16:60'])(
    'refuses checkinTime %s with a 422 and stores nothing',
    async (checkinTime) => {
      const property = await r.fromExample('properties');
      const res = await r.call('admin', 'POST', '/property-settings', {
        propertyId: property.body.id,
        checkinTime,
      });
      r.expectProblem(res, 422);
      expect(res.body.type).toBe('/problems/validation-failed');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['checkinTime']);
      const list = await r.call('viewer', 'GET', `/property-settings?propertyId=${property.body.id}`);
      expect(list.body.data).toEqual([]);
    },
  );

  it('accepts HH:MM and HH:MM:SS', async () => {
    const property = await r.fromExample('properties');
    const res = await r.call('admin', 'POST', '/property-settings', {
      propertyId: property.body.id,
      checkinTime: '16:30',
      checkoutTime: '10:15:30',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ checkinTime: '16:30:00', checkoutTime: '10:15:30' });
  });
});

describe('documented maximum lengths', () => {
  it('documents a maxLength on every text field of every create body', () => {
    const doc = r.app.api.document() as {
      components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
    };
    const missing: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      if (!name.endsWith('Create')) continue;
      for (const [field, prop] of Object.entries(schema.properties ?? {})) {
        // A text field: a string, or a string or null (JSON columns are bounded by the body limit).
        const variants = (prop.anyOf as Record<string, unknown>[] | undefined) ?? [prop];
        const text = variants.find((v) => v.type === 'string');
        const onlyText = variants.every((v) => v.type === 'string' || v.type === 'null');
        if (text && onlyText && !text.enum && !text.format && !text.pattern && !('maxLength' in text))
          missing.push(`${name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('refuses a 200,000-character value with a 422 and creates nothing', async () => {
    const res = await r.call('agent', 'POST', '/contacts', { name: 'x'.repeat(DEFAULT_MAX_TEXT + 1) });
    r.expectProblem(res, 422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['name']);
    const list = await r.call('viewer', 'GET', '/contacts');
    expect(list.body.data).toEqual([]);
  });
});

describe('wrong method', () => {
  it('answers 405 with Allow on a served path, 404 on an unknown one', async () => {
    const res = await r.call('viewer', 'PUT', '/contacts');
    r.expectProblem(res, 405);
    expect(res.body.type).toBe('/problems/method-not-allowed');
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD');
    const one = await r.call('viewer', 'POST', '/contacts/01950000-0000-7000-8000-000000000001');
    r.expectProblem(one, 405);
    expect(one.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
    r.expectProblem(await r.call('viewer', 'GET', '/no-such-thing'), 404);
  });
});
