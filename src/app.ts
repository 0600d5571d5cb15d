/**
 * The one app factory: production and tests build the HTTP app the same way.
 * It wires request ids, request logging, problem-document errors and every route.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Database } from './platform/db/database.js';
import { AppError, ERRORS, type ErrorCode } from './platform/errors.js';
import type { AppEnv } from './platform/http/context.js';
import { registerHealth } from './platform/http/health.js';
import { problem } from './platform/http/problem.js';
import type { Logger } from './platform/logger.js';

export interface Services {
  db: Database;
  logger: Logger;
}

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,128}$/;

export function createApp(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('log', services.logger.child({ requestId }));
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
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

  registerHealth(app, services.db);

  app.get('/problems/:code', (c) => {
    const code = c.req.param('code').replaceAll('-', '_') as ErrorCode;
    const info = ERRORS[code];
    if (!info) return problem(c, 'not_found', 'no such problem type');
    return c.json({ code, status: info.status, title: info.title });
  });

  app.notFound((c) => problem(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof AppError) {
      return problem(
        c,
        error.code,
        error.message,
        error.extras.errors ? { errors: error.extras.errors } : {},
        error.extras.headers,
      );
    }
    c.get('log').error({ err: error }, 'unhandled error');
    return problem(c, 'internal', 'an unexpected error occurred; the request id identifies it in the logs');
  });

  return app;
}
