/**
 * API isolation, from the route table (every route the app serves registers itself there, so a
 * new route is covered without touching this file):
 * - every tenant operation names its resource or is marked collection-level (defineOperation
 *   refuses one with neither, and the first test here fails on it);
 * - with tenant A's credentials, every read, update, delete and action on tenant B's resource
 *   answers 404, lists never show it, and nothing of B's changes;
 * - every collection-level operation (search, overview, settings, creates, …) answers A's
 *   request without a single id of B's rows, nor the email of a user who is only B's member
 *   (members are sent with their email), and changes nothing of B's;
 * - every role is refused (403) what it may not do, and no credentials get 401.
 */
import { randomBytes } from 'node:crypto';
import { getTableName } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { memberships, type Role, users } from '../../src/domains/identity/tables.js';
import { withPlatform } from '../../src/platform/db/tenant.js';
import type { RouteEntry } from '../../src/platform/http/api-context.js';
import { resourceSpecs } from '../../src/platform/http/resource.js';
import { makeTenant, type TestTenant, useTestApi } from '../helpers/api.js';
import { type Fabricated, fabricateTenantRows } from '../helpers/fabricate.js';

const api = useTestApi();
let A: TestTenant;
let B: TestTenant;
let rows: Fabricated;
/** A user who is a member of B only: its email, id and membership id are B's. */
let bMember: string[];
const LOWER: Record<Role, Role | null> = { viewer: null, agent: 'viewer', admin: 'agent', owner: 'admin' };

/** The table behind a route's resource, and that tenant's fabricated row id. */
function rowId(entry: RouteEntry, tenant: TestTenant): string {
  const spec = resourceSpecs.get(entry.resource!);
  const table = spec ? getTableName(spec.table) : entry.resource!.replaceAll('-', '_');
  const id = rows.get(table)?.get(tenant.id);
  if (!id) throw new Error(`no fabricated ${table} row for route ${entry.method} ${entry.path}`);
  return id;
}

/** The query parameters an operation documents (from the OpenAPI document). */
function listKeys(entry: RouteEntry): string {
  const doc = api.app.api.document() as unknown as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  const op = doc.paths[entry.path.replace(/:(\w+)/g, '{$1}')]?.[entry.method];
  return (op?.parameters ?? [])
    .filter((p) => p.in === 'query')
    .map((p) => p.name)
    .join(',');
}

const withId = (entry: RouteEntry, id: string) => entry.path.replace(/:\w+/, id);
const routesWithId = () => api.app.api.routes.filter((r) => r.resource && /:\w+/.test(r.path));

async function snapshot(tenantId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, ids] of rows) {
    if (table === 'tenants' || ids.has('global')) continue;
    // Using a key records its last use: that is bookkeeping, not a change made by the request.
    const row = table === 'api_keys' ? `to_jsonb(t) - 'last_used_at' - 'updated_at'` : 'to_jsonb(t)';
    const [r] = await api.db.query<{ h: string }>(
      `SELECT coalesce(md5(string_agg((${row})::text, '' ORDER BY id)), '') AS h FROM ${table} t WHERE tenant_id = $1`,
      [tenantId],
    );
    out[table] = r!.h;
  }
  return out;
}

beforeAll(async () => {
  A = await makeTenant(api.db);
  B = await makeTenant(api.db);
  rows = await fabricateTenantRows(api.db, [A.id, B.id]);
  const email = `only-b-${randomBytes(4).toString('hex')}@isolation.example`;
  bMember = await withPlatform(api.db, async (tx) => {
    const [u] = await tx.insert(users).values({ email, name: 'Only B' }).returning();
    const [m] = await tx
      .insert(memberships)
      .values({ tenantId: B.id, userId: u!.id, role: 'owner' })
      .returning();
    return [email, u!.id, m!.id];
  });
});

/** Every id of tenant B's fabricated rows, and B's own id. */
const idsOf = (tenantId: string) => [
  tenantId,
  ...[...rows.values()].map((ids) => ids.get(tenantId)).filter((id): id is string => Boolean(id)),
];
/** What A must never see of B: the ids above, and B's own member's email and ids. */
const foreignOf = () => [...idsOf(B.id), ...bMember];

describe('API isolation', () => {
  it('covers every resource route', () => {
    expect(routesWithId().length).toBeGreaterThan(10);
    expect(new Set(api.app.api.routes.map((r) => r.resource).filter(Boolean)).size).toBeGreaterThan(3);
  });

  it('covers 100% of tenant operations: each names its resource by id or is collection-level', () => {
    const tenantOps = api.app.api.routes.filter((r) => r.scope === 'tenant');
    expect(tenantOps.length).toBeGreaterThan(200);
    const uncovered = tenantOps
      .filter((r) => !(r.resource && /:\w+/.test(r.path)) && !r.collection)
      .map((r) => `${r.method} ${r.path}`);
    expect(uncovered).toEqual([]);
    // Public and platform operations carry no tenant credentials: not a tenant's to sweep.
    expect(api.app.api.routes.every((r) => r.scope === 'tenant' || r.role === 'public')).toBe(true);
  });

  it("shows nothing of another tenant's rows from any collection-level operation, and changes nothing", async () => {
    const before = await snapshot(B.id);
    const foreign = foreignOf();
    const collection = api.app.api.routes.filter((r) => r.collection);
    expect(collection.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v1/knowledge/search', '/v1/analytics/overview', '/v1/usage']),
    );
    for (const entry of collection) {
      const query = new URLSearchParams(
        entry.probe?.query ?? (entry.method === 'get' ? { limit: '100' } : {}),
      );
      const hasQuery =
        entry.probe?.query || (entry.method === 'get' && !entry.probe && /limit/.test(listKeys(entry)));
      const res = await api.fetch(`${entry.path}${hasQuery ? `?${query}` : ''}`, {
        method: entry.method.toUpperCase(),
        token: A.keys.owner,
        ...(entry.method === 'get' ? {} : { body: JSON.stringify(entry.probe?.body ?? {}) }),
      });
      const route = `${entry.method} ${entry.path}`;
      expect({ route, serverError: res.status >= 500 }).toEqual({ route, serverError: false });
      if (entry.method === 'get') expect({ route, status: res.status }).toEqual({ route, status: 200 });
      const text = res.headers.get('content-type')?.startsWith('text/event-stream')
        ? await firstEvent(res)
        : await res.text();
      expect({ route, leaked: foreign.filter((id) => text.includes(id)) }).toEqual({ route, leaked: [] });
    }
    expect(await snapshot(B.id)).toEqual(before);
  });

  it("answers 404 to every read, update, delete and action on another tenant's resource, and changes nothing", async () => {
    const before = await snapshot(B.id);
    for (const entry of routesWithId()) {
      const path = withId(entry, rowId(entry, B));
      const res = await api.fetch(path, {
        method: entry.method.toUpperCase(),
        token: A.keys.owner,
        ...(entry.method === 'get' || entry.method === 'delete' ? {} : { body: '{}' }),
      });
      expect({ route: `${entry.method} ${entry.path}`, status: res.status }).toEqual({
        route: `${entry.method} ${entry.path}`,
        status: 404,
      });
      // The problem document echoes the requested path (`instance`) and nothing else of the resource.
      const { instance: _i, ...problem } = (await res.json()) as Record<string, unknown>;
      expect(JSON.stringify(problem)).not.toContain(rowId(entry, B));
    }
    expect(await snapshot(B.id)).toEqual(before);
  });

  it("never lists another tenant's resources", async () => {
    const lists = api.app.api.routes.filter((r) => r.method === 'get' && r.resource && !/:\w+/.test(r.path));
    expect(lists.length).toBeGreaterThan(3);
    for (const entry of lists) {
      const res = await api.fetch(`${entry.path}?limit=100`, { token: A.keys.owner });
      expect({ route: entry.path, status: res.status }).toEqual({ route: entry.path, status: 200 });
      const text = await res.text();
      const leaks = [rowId(entry, B), ...bMember].filter((s) => text.includes(s));
      expect({ route: entry.path, leaks }).toEqual({ route: entry.path, leaks: [] });
    }
  });
});

describe('roles', () => {
  it('refuses each role what it may not do (403), and changes nothing', async () => {
    const before = await snapshot(A.id);
    for (const entry of api.app.api.routes.filter((r) => r.role !== 'public')) {
      const lower = LOWER[entry.role as Role];
      if (!lower) continue;
      const path =
        entry.resource && /:\w+/.test(entry.path)
          ? withId(entry, rowId(entry, A))
          : entry.path.replace(/:\w+/, 'x');
      const res = await api.fetch(path, {
        method: entry.method.toUpperCase(),
        token: A.keys[lower],
        ...(entry.method === 'get' || entry.method === 'delete' ? {} : { body: '{}' }),
      });
      expect({ route: `${entry.method} ${entry.path}`, as: lower, status: res.status }).toEqual({
        route: `${entry.method} ${entry.path}`,
        as: lower,
        status: 403,
      });
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await snapshot(A.id)).toEqual(before);
  });

  it('answers 401 without credentials, and with a made-up key', async () => {
    for (const entry of api.app.api.routes.filter((r) => r.role !== 'public')) {
      const path = entry.path.replace(/:\w+/, '00000000-0000-7000-8000-000000000000');
      for (const token of [undefined, 'fd_0123456789ab_notarealkeynotarealkeynotarealkey00']) {
        const res = await api.fetch(path, {
          method: entry.method.toUpperCase(),
          ...(token ? { token } : {}),
        });
        expect({ route: `${entry.method} ${entry.path}`, status: res.status }).toEqual({
          route: `${entry.method} ${entry.path}`,
          status: 401,
        });
      }
    }
  });
});

/** An event stream's opening (up to its first event), then the stream is closed. */
async function firstEvent(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  return text;
}
