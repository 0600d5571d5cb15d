/**
 * Serves the browser code built by `scripts/build-web.ts` (run by `npm install`'s `prepare`):
 * the console (a single-page app: every HTML navigation outside the API gets its index.html),
 * its hashed assets (cached for a year) and `/widget.js` (revalidated: embeds always get the
 * current build). When nothing was built, `/` says how to build it instead of a bare 404.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Context, Hono } from 'hono';
import { packagePath } from '../paths.js';
import type { AppEnv } from './context.js';

export const WEB_DIR = `${packagePath('dist', 'web')}/`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
/** Paths the API and the server own: never answered with the console's page. */
const NOT_CONSOLE = /^\/(v1|openapi\.json|docs|problems|healthz|readyz|assets)(\/|$)/;

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Frontdesk</title>
<body style="font-family:system-ui;margin:3rem"><h1>Frontdesk</h1>
<p>The console is not built. Run <code>npm run build:web</code> (<code>npm install</code> does it) and reload.</p>
<p>The API is at <a href="/v1">/v1</a>, its reference at <a href="/docs">/docs</a>.</p></body></html>`;

async function file(path: string): Promise<Buffer | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
    return await readFile(path);
  } catch {
    return null;
  }
}

function send(c: Context<AppEnv>, body: Buffer, path: string, cache: string): Response {
  return c.body(new Uint8Array(body), 200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
  });
}

export function registerWebAssets(app: Hono<AppEnv>, dir = WEB_DIR): void {
  const consoleDir = join(dir, 'console');
  app.get('/widget.js', async (c) => {
    const body = await file(join(dir, 'widget.js'));
    if (!body) return c.text('// the widget is not built: run npm run build:web\n', 404);
    c.header('access-control-allow-origin', '*');
    return send(c, body, 'widget.js', 'public, max-age=300, must-revalidate');
  });
  app.get('/assets/*', async (c, next) => {
    const path = normalize(join(consoleDir, c.req.path));
    if (!path.startsWith(consoleDir + sep)) return next();
    const body = await file(path);
    return body ? send(c, body, path, 'public, max-age=31536000, immutable') : next();
  });
  // The console's routes are the app's own (wouter): any HTML navigation outside the API.
  app.get('*', async (c, next) => {
    if (NOT_CONSOLE.test(c.req.path) || !(c.req.header('accept') ?? '').includes('text/html')) return next();
    const body = await file(join(consoleDir, 'index.html'));
    if (!body) return c.html(NOT_BUILT);
    return send(c, body, 'index.html', 'no-cache');
  });
}
