/**
 * The /v1 API: one router, one OpenAPI registry, one route table. Each domain adds its routes
 * through its list of operations (`defineOperations`) or `register…(api)`; nothing else wires routes.
 */
import { Hono } from 'hono';
import { aiOperations } from '../domains/ai/operations/index.js';
import { analyticsOperations } from '../domains/analytics/operations/index.js';
import { channelOperations } from '../domains/channels/operations/index.js';
import { registerWidget } from '../domains/channels/operations/widget.js';
import { coachingOperations } from '../domains/coaching/operations/index.js';
import { contentOperations } from '../domains/content/operations/index.js';
import { conversationsOperations } from '../domains/conversations/operations/index.js';
import { crmOperations } from '../domains/crm/operations/index.js';
import { hospitalityOperations } from '../domains/hospitality/operations/index.js';
import { identityOperations } from '../domains/identity/operations/index.js';
import { knowledgeOperations } from '../domains/knowledge/operations/index.js';
import { opsOperations } from '../domains/ops/operations/index.js';
import { plansOperations } from '../domains/plans/operations/index.js';
import { successOperations } from '../domains/success/operations/index.js';
import { tenancyOperations } from '../domains/tenancy/operations/index.js';
import { systemClock } from '../platform/clock.js';
import type { ApiContext } from '../platform/http/api-context.js';
import type { AppEnv } from '../platform/http/context.js';
import { buildDocument, createRegistry } from '../platform/http/openapi.js';
import { defineOperations } from '../platform/http/operation.js';
import { type RateCounter, RateLimiter, SharedRateLimiter } from '../platform/http/rate-limit.js';
import { responseCheck } from '../platform/http/response-check.js';
import type { AppPlatform } from '../platform/jobs.js';
import { authenticate } from './auth.js';
import { tenantCors } from './cors.js';

export interface Api extends ApiContext {
  document(): ReturnType<typeof buildDocument>;
}

const DOMAIN_ROUTES: ((api: ApiContext) => void)[] = [
  (api) => defineOperations(api, tenancyOperations),
  (api) => defineOperations(api, identityOperations),
  (api) => defineOperations(api, crmOperations),
  (api) => defineOperations(api, channelOperations),
  registerWidget,
  (api) => defineOperations(api, aiOperations),
  (api) => defineOperations(api, knowledgeOperations),
  (api) => defineOperations(api, contentOperations),
  (api) => defineOperations(api, conversationsOperations),
  (api) => defineOperations(api, opsOperations),
  (api) => defineOperations(api, plansOperations),
  (api) => defineOperations(api, analyticsOperations),
  (api) => defineOperations(api, successOperations),
  (api) => defineOperations(api, coachingOperations),
  (api) => defineOperations(api, hospitalityOperations),
];

/**
 * Plan limits counted where every process sees them: in PostgreSQL on a server (several processes
 * may share it), in memory on the embedded engine (one process at a time). Chosen on the first
 * request, so building the OpenAPI document needs no database.
 */
function defaultLimiter(platform: AppPlatform): RateCounter {
  let chosen: RateCounter | undefined;
  return {
    hitAll: (checks) => {
      chosen ??= platform.db.engine === 'postgres' ? new SharedRateLimiter(platform.db) : new RateLimiter();
      return chosen.hitAll(checks);
    },
  };
}

export function createApi(platform: AppPlatform, options: { limiter?: RateCounter } = {}): Api {
  const api: ApiContext = {
    db: platform.db,
    platform,
    registry: createRegistry(),
    router: new Hono<AppEnv>(),
    guard: [tenantCors(), authenticate(platform, options.limiter ?? defaultLimiter(platform))],
    routes: [],
  };
  let doc: ReturnType<typeof buildDocument> | undefined;
  const document = () => {
    doc ??= buildDocument(api.registry);
    return doc;
  };
  if (platform.config.checkResponses) api.checkResponse = responseCheck(document);
  for (const register of DOMAIN_ROUTES) register(api);
  return { ...api, document };
}

/** Stand-ins for building the document alone: using them is a bug, and says so. */
const refuse = (what: string, allow: Record<string, unknown> = {}) =>
  new Proxy(allow, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in target) return target[prop];
      throw new Error(`the OpenAPI document was built without a ${what} (touched ${String(prop)})`);
    },
  });
// The clock is real: building the document runs schema checks on examples (a date "in the future").
const noPlatform = refuse('platform', {
  db: refuse('database'),
  clock: systemClock,
  config: { checkResponses: false },
}) as unknown as AppPlatform;

/** The OpenAPI document, built without a database (CLI `openapi`, client generation). */
export function openApiDocument(): ReturnType<typeof buildDocument> {
  return createApi(noPlatform).document();
}
