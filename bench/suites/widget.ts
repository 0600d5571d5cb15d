/**
 * `widget`: what embedding the chat widget costs a page. The size of /widget.js (raw and
 * gzipped, as served) and its time to interactive on a test page in Chromium (/usr/bin/chromium):
 * from navigation start until the launcher button is in the page and clickable (the script
 * loaded, its settings fetched from /v1/widget/{key}/config, the shadow root drawn). Median of
 * REPEATS cold loads (a fresh browser context each, so nothing is cached).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createApp } from '../../src/app.js';
import { channels } from '../../src/domains/channels/tables.js';
import type { Database } from '../../src/platform/db/database.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { WEB_DIR } from '../../src/platform/http/web-assets.js';
import { createLogger } from '../../src/platform/logger.js';
import { tenants } from '../../src/schema/tenants.js';
import { listen } from '../../src/server.js';

const REPEATS = 7;

export async function widgetSuite(db: Database): Promise<unknown> {
  const bytes = readFileSync(`${WEB_DIR}widget.js`);
  const size = { rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  const app = createApp({ db, logger: createLogger('silent') });
  const server = await listen(app, '127.0.0.1', 0);
  const [tenant] = await withPlatform(db, (tx) =>
    tx.insert(tenants).values({ slug: 'bench-widget', name: 'Bench' }).returning(),
  );
  const widgetKey = `wk_bench_${Date.now()}`;
  await withTenant(db, tenant!.id, (tx) =>
    tx.insert(channels).values({ tenantId: tenant!.id, kind: 'widget', name: 'Bench', widgetKey }),
  );
  const page = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><html lang="en"><title>Shop</title><h1>Shop</h1>
<script src="${server.url}/widget.js" data-widget-key="${widgetKey}" async></script></html>`);
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  const pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const samples: number[] = [];
  try {
    for (let i = 0; i < REPEATS; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(pageUrl);
      await tab.getByRole('button', { name: 'Chat with us' }).waitFor();
      // Read in the page once the driver sees the launcher: an upper bound (includes its polling).
      samples.push(Math.round((await tab.evaluate('performance.now()')) as number));
      await context.close();
    }
  } finally {
    await browser.close();
    await new Promise((resolve) => page.close(resolve));
    await server.close();
  }
  samples.sort((a, b) => a - b);
  return {
    ...size,
    timeToInteractive: {
      medianMs: samples[Math.floor(samples.length / 2)],
      minMs: samples[0],
      maxMs: samples.at(-1),
      runs: samples.length,
    },
  };
}
