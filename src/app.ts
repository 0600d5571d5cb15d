/**
 * The one app factory: production and tests build the HTTP app the same way.
 * It wires request ids, request logging, body limits, problem-document errors and every route.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { preflight } from './api/cors.js';
import { type Api, createApi } from './api/index.js';
import { UPLOAD_BATCH_PATH, UPLOAD_PATH } from './domains/knowledge/operations/index.js';
import { createJobs } from './jobs.js';
import { type Clock, systemClock } from './platform/clock.js';
import { type Config, loadConfig } from './platform/config.js';
import type { Database } from './platform/db/database.js';
import { AppError, ERRORS, type ErrorCode } from './platform/errors.js';
import { registerApiReference } from './platform/http/api-reference.js';
import { type AppEnv, setResponseHeader } from './platform/http/context.js';
import { mapDatabaseError } from './platform/http/db-errors.js';
import { registerHealth } from './platform/http/health.js';
import { inputGuard } from './platform/http/input-guard.js';
import { problem } from './platform/http/problem.js';
import type { RateCounter } from './platform/http/rate-limit.js';
import { registerWebAssets } from './platform/http/web-assets.js';
import type { AppPlatform, Jobs, Platform } from './platform/jobs.js';
import type { Logger } from './platform/logger.js';

export interface Services {
  db: Database;
  logger: Logger;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Plan rate limits (default: shared in PostgreSQL on a server, in memory on the embedded engine). */
  limiter?: RateCounter;
  /** Configuration (default: the defaults, as with an empty environment). */
  config?: Config;
  /** Default: the system clock. Tests pass a ManualClock. */
  clock?: Clock;
  /** The job queue (default: one made for this app, sending only until started with workers). */
  jobs?: Jobs;
  /** True once the process is shutting down: /readyz answers 503. */
  draining?: () => boolean;
}

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,128}$/;

export function createApp(services: Services): Hono<AppEnv> & { api: Api; platform: AppPlatform } {
  const app = new Hono<AppEnv>();
  const base: Platform = {
    db: services.db,
    logger: services.logger,
    clock: services.clock ?? systemClock,
    config: services.config ?? loadConfig({}),
  };
  const platform: AppPlatform = { ...base, jobs: services.jobs ?? createJobs(base) };
  const api = createApi(platform, { ...(services.limiter ? { limiter: services.limiter } : {}) });

  app.use(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('log', services.logger.child({ requestId }));
    const started = performance.now();
    await next();
    setResponseHeader(c, 'x-request-id', requestId);
    c.get('log').info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: +(performance.now() - started).toFixed(1),
      },
      'request',
    );
  });
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => problem(c, 'payload_too_large', `the body is over the limit of ${maxSize} bytes`),
    });
  const generalLimit = limitTo(services.bodyLimitBytes ?? 1_048_576);
  // Knowledge-base uploads have their own limit (the file's, plus room for a multipart envelope).
  const uploadLimit = limitTo(base.config.knowledge.maxBytes + 65_536);
  const uploads = new Set([UPLOAD_PATH, UPLOAD_BATCH_PATH]);
  // A GET or HEAD has no body; asking for one would make the Node adapter build a whole web Request.
  const bodiless = new Set(['GET', 'HEAD']);
  app.use('/v1/*', (c, next) =>
    bodiless.has(c.req.method) ? next() : (uploads.has(c.req.path) ? uploadLimit : generalLimit)(c, next),
  );
  app.use('/v1/*', preflight(services.db));
  app.use('/v1/*', inputGuard());

  registerHealth(app, services.db, services.draining);
  app.route('/v1', api.router);
  app.get('/openapi.json', (c) => c.json(api.document()));
  registerApiReference(app);
  app.get('/problems/:code', (c) => {
    const code = c.req.param('code').replaceAll('-', '_') as ErrorCode;
    const info = ERRORS[code];
    if (!info) return problem(c, 'not_found', 'no such problem type');
    return c.json({ code, status: info.status, title: info.title });
  });

  registerWebAssets(app);

  // A path the API serves, asked with another method: 405 with the methods it takes.
  const patterns = api.routes.map((r) => ({
    method: r.method.toUpperCase(),
    re: new RegExp(`^${r.path.replace(/:\w+/g, '[^/]+')}/?$`),
  }));
  app.notFound((c) => {
    const methods = new Set(patterns.filter((p) => p.re.test(c.req.path)).map((p) => p.method));
    if (methods.size === 0) return problem(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
    if (methods.has('GET')) methods.add('HEAD');
    const allow = [...methods].join(', ');
    return problem(
      c,
      'method_not_allowed',
      `${c.req.method} is not allowed here; use ${allow}`,
      {},
      { allow },
    );
  });
  app.onError((error, c) => {
    // An AppError thrown beneath a statement (an API key's check sent with it: db/gate.ts) comes
    // wrapped by Drizzle, the driver's error as its cause.
    const cause = (error as { cause?: unknown }).cause;
    const known =
      error instanceof AppError ? error : cause instanceof AppError ? cause : mapDatabaseError(error);
    if (known?.code === 'unavailable') c.get('log').warn({ err: error }, 'database unavailable');
    if (known) {
      return problem(
        c,
        known.code,
        known.message,
        { ...known.extras.members, ...(known.extras.errors ? { errors: known.extras.errors } : {}) },
        known.extras.headers,
      );
    }
    c.get('log').error({ err: error }, 'unhandled error');
    return problem(c, 'internal', 'an unexpected error occurred; the request id identifies it in the logs');
  });

  return Object.assign(app, { api, platform });
}
