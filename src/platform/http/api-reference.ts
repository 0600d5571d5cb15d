/**
 * /docs: the API reference, rendered in the browser by Scalar (@scalar/hono-api-reference) from
 * /openapi.json: every operation with its parameters, request-body fields, responses and a
 * request builder. The renderer's script is served from /docs/scalar.js (copied into dist/web
 * by the web build), so the page needs no CDN; without a build it falls back to Scalar's CDN.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Scalar } from '@scalar/hono-api-reference';
import type { Hono } from 'hono';
import type { AppEnv } from './context.js';
import { WEB_DIR } from './web-assets.js';

export function registerApiReference(app: Hono<AppEnv>, dir = WEB_DIR): void {
  const bundle = join(dir, 'scalar.js');
  const local = existsSync(bundle);
  app.get(
    '/docs',
    Scalar<AppEnv>({
      url: '/openapi.json',
      pageTitle: 'Frontdesk API reference',
      ...(local ? { cdn: '/docs/scalar.js' } : {}),
    }),
  );
  if (local) {
    app.get('/docs/scalar.js', async (c) =>
      c.body(new Uint8Array(await readFile(bundle)), 200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=3600',
      }),
    );
  }
}
