/**
 * The API as tests use it: the real app (createApp, as production builds it) on a loopback
 * port, tenants and keys made in one call, and the typed client generated from /openapi.json.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createFrontdeskClient } from '../../client/index.js';
import { createApp, type Services } from '../../src/app.js';
import { createApiKey } from '../../src/domains/identity/api-keys.js';
import type { Role } from '../../src/domains/identity/tables.js';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';
import { plans, tenants } from '../../src/schema/tenants.js';
import { listen, type RunningServer } from '../../src/server.js';
import { useTestDatabase } from './db.js';

export interface TestTenant {
  id: string;
  slug: string;
  keys: Record<Role, string>;
}

/** A tenant with one API key per role; `requestsPerMinute` puts it on its own plan. */
export async function makeTenant(
  db: Database,
  options: { requestsPerMinute?: number } = {},
): Promise<TestTenant> {
  const slug = `t-${randomBytes(5).toString('hex')}`;
  const tenant = await withPlatform(db, async (tx) => {
    let planId: string | null = null;
    if (options.requestsPerMinute) {
      const [plan] = await tx
        .insert(plans)
        .values({
          slug: `plan-${slug}`,
          name: 'Test plan',
          limits: { requestsPerMinute: options.requestsPerMinute },
        })
        .returning();
      planId = plan!.id;
    }
    const [t] = await tx
      .insert(tenants)
      .values({ slug, name: `Tenant ${slug}`, planId })
      .returning();
    return t!;
  });
  const keys = {} as Record<Role, string>;
  for (const role of ['owner', 'admin', 'agent', 'viewer'] as const) {
    keys[role] = (
      await withTenant(db, tenant.id, (tx) => createApiKey(tx, tenant.id, { name: `${role} key`, role }))
    ).key;
  }
  return { id: tenant.id, slug, keys };
}

export interface TestApi {
  readonly db: Database;
  /** Connection string of the file's database (server engine only), for other processes. */
  readonly dbUrl?: string | undefined;
  readonly url: string;
  readonly app: ReturnType<typeof createApp>;
  client(token?: string, headers?: Record<string, string>): ReturnType<typeof createFrontdeskClient>;
  /** Plain fetch against the server, with a bearer token. */
  fetch(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
}

/** A fresh database and the app serving it on loopback, for this test file. */
export function useTestApi(services: Partial<Omit<Services, 'db'>> = {}): TestApi {
  const t = useTestDatabase();
  let server: RunningServer | undefined;
  let app: ReturnType<typeof createApp> | undefined;
  beforeAll(async () => {
    app = createApp({
      db: t.db,
      logger: createLogger((process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent'),
      ...services,
    });
    // As `frontdesk start` does: requests queue jobs in their own transaction (Jobs.sendIn).
    await app.platform.jobs.start();
    server = await listen(app, '127.0.0.1', 0);
  });
  afterAll(async () => {
    await server?.close();
    await app?.platform.jobs.stop();
  });
  return {
    get db() {
      return t.db;
    },
    get dbUrl() {
      return t.url;
    },
    get url() {
      return server!.url;
    },
    get app() {
      return app!;
    },
    client: (token, headers) =>
      createFrontdeskClient({
        baseUrl: server!.url,
        ...(token ? { token } : {}),
        ...(headers ? { headers } : {}),
      }),
    fetch: (path, init = {}) => {
      const { token, headers, ...rest } = init;
      const h = new Headers(headers);
      if (token) h.set('authorization', `Bearer ${token}`);
      if (rest.body && !h.has('content-type')) h.set('content-type', 'application/json');
      return fetch(`${server!.url}${path}`, { ...rest, headers: h });
    },
  };
}
