/**
 * The console and the widget in real Chromium, against the real server (createApp on loopback,
 * job workers running, the file's own database on the run's engine). A support agent logs in; a
 * visitor on a shop page (another origin) writes through /widget.js; the conversation appears in
 * the inbox live; the AI's draft is approved and reaches the visitor's widget. Then a knowledge
 * upload becomes searchable, the tenant's branding shows; the AI agents, team, webhook and FAQ
 * pages are used; another tenant's conversation is a not-found page; a platform admin creates and
 * suspends a tenant, which a tenant's user cannot; and the widget works from the keyboard alone. axe-core checks every page
 * (no serious or critical violations); on PGlite, with FRONTDESK_SCREENSHOTS=1, the screenshots in docs/console.md are taken.
 *
 * Size: over 300 lines on purpose: one browser session walks the console page by page (each `it`
 * continues from the last one's page and data), so the steps share one file's setup.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../scripts/build-web.js';
import { createApp } from '../../src/app.js';
import { dailyMetrics } from '../../src/domains/analytics/tables.js';
import { hashPassword } from '../../src/domains/identity/passwords.js';
import { memberships, users } from '../../src/domains/identity/tables.js';
import { loadConfig } from '../../src/platform/config.js';
import { withPlatform, withTenant } from '../../src/platform/db/tenant.js';
import { createLogger } from '../../src/platform/logger.js';
import { plans, tenants } from '../../src/schema/tenants.js';
import { listen, type RunningServer } from '../../src/server.js';
import { makeTenant, type TestTenant } from '../helpers/api.js';
import { onServer, useTestDatabase } from '../helpers/db.js';
import { makeAgent } from '../helpers/responder.js';
import { CHROMIUM, chromiumMissing, expectAccessible, launch, screenshot } from './browser.js';

const PASSWORD = 'correct horse battery';
const ADMIN = 'ops@platform.test';
const BRAND = { productName: 'Acme Help', colors: { primary: '#7c2d12' } };
const KB_TEXT = `# Delivery times

Parcels are delivered within three business days of dispatch. Every parcel gets a tracking number by email.

# Damaged parcels

A damaged parcel is replaced free of charge: send a photo of the damage to our support team.`;

if (chromiumMissing && process.env.CI === 'true') {
  describe('console end-to-end', () => {
    it('needs Chromium at /usr/bin/chromium (CI installs Debian’s chromium package)', () => {
      expect.fail(`${CHROMIUM} is missing: apt-get install -y chromium`);
    });
  });
} else if (chromiumMissing) {
  console.warn(`console end-to-end tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  describe.skip('console end-to-end (no Chromium)', () => {
    it('skipped', () => {});
  });
} else {
  describeConsole();
}

function describeConsole() {
  const t = useTestDatabase();
  let app: ReturnType<typeof createApp>;
  let server: RunningServer;
  let shop: Server;
  let shopUrl = '';
  let browser: Browser;
  let agentContext: BrowserContext;
  let agent: Page;
  let tenant: TestTenant;
  let other: TestTenant;
  let otherConversation = '';
  /** A second widget, on a pricing page, whose agent's settings require the pre-chat email. */
  let pricingChannel = '';
  // Screenshots only when asked (`FRONTDESK_SCREENSHOTS=1 npx vitest run test/e2e`), so a test run
  // never rewrites docs/console/*.png (they differ by a pixel each run).
  const shots = !onServer() && process.env.FRONTDESK_SCREENSHOTS === '1';
  const url = (path: string) => `${server.url}${path}`;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(url(path), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL('../../dist/web/console/index.html', import.meta.url)))) {
      await buildWeb();
    }
    // Private addresses allowed: the page added by URL below is served on loopback.
    app = createApp({
      db: t.db,
      logger: createLogger('silent'),
      config: loadConfig({ FRONTDESK_ALLOW_PRIVATE_URLS: 'true' }),
    });
    await app.platform.jobs.start({ work: true });
    server = await listen(app, '127.0.0.1', 0);

    tenant = await makeTenant(t.db);
    other = await makeTenant(t.db);
    await withPlatform(t.db, async (tx) => {
      await tx.update(tenants).set({ brandConfig: BRAND }).where(eq(tenants.id, tenant.id));
      const [user] = await tx
        .insert(users)
        .values({ email: `sam@${tenant.slug}.test`, name: 'Sam', passwordHash: await hashPassword(PASSWORD) })
        .returning();
      await tx.insert(memberships).values({ tenantId: tenant.id, userId: user!.id, role: 'owner' });
      const [alex] = await tx
        .insert(users)
        .values({ email: `alex@${tenant.slug}.test`, name: 'Alex Agent' })
        .returning();
      await tx.insert(memberships).values({ tenantId: tenant.id, userId: alex!.id, role: 'agent' });
      // The platform admin: a member of no tenant.
      await tx.insert(users).values({
        email: ADMIN,
        name: 'Ops',
        passwordHash: await hashPassword(PASSWORD),
        isPlatformAdmin: true,
      });
      await tx.insert(plans).values([
        { slug: 'starter', name: 'Starter', priceMonthlyCents: 2_900, limits: { seats: 5, agents: 3 } },
        { slug: 'growth', name: 'Growth', priceMonthlyCents: 9_900, limits: { seats: 20, agents: 10 } },
      ]);
    });
    // A week of daily rollups, as the nightly job writes them, for the analytics chart.
    await withTenant(t.db, tenant.id, (tx) =>
      tx.insert(dailyMetrics).values(
        [12, 15, 9, 20, 18, 7, 11].map((n, i) => ({
          tenantId: tenant.id,
          date: `2026-11-0${i + 1}`,
          conversationsTotal: n,
          conversationsResolved: n - 3,
          conversationsEscalated: i % 3,
          messagesTotal: n * 6,
        })),
      ),
    );
    // An AI agent whose every answer is a draft for a person to approve, answering the widget.
    const { agentId } = await makeAgent(t.db, tenant.id, { escalationConfig: { approval: 'always' } });
    const channel = await call(tenant.keys.admin, 'POST', '/v1/channels', {
      kind: 'widget',
      name: 'Shop widget',
      agentId,
    });
    await call(tenant.keys.admin, 'POST', '/v1/widget-settings', {
      behavior: { greeting: 'Hi! Ask us anything about your parcel.' },
      launcher: { label: 'Help' },
      chatWindow: { title: 'Acme support', subtitle: 'We answer in minutes' },
    });
    // The pricing widget: its own (draft) agent, whose settings row asks for the email first.
    const pricingAgent = await call(tenant.keys.admin, 'POST', '/v1/agents', {
      name: 'Pricing',
      type: 'sales',
    });
    const pricing = await call(tenant.keys.admin, 'POST', '/v1/channels', {
      kind: 'widget',
      name: 'Pricing widget',
      agentId: pricingAgent.id,
    });
    pricingChannel = pricing.id as string;
    await call(tenant.keys.admin, 'POST', '/v1/widget-settings', {
      agentId: pricingAgent.id,
      preChatEmail: 'required',
      behavior: { preChatMessage: 'Leave your email: we send the quote there too.' },
      launcher: { label: 'Pricing questions' },
    });
    const source = await call(tenant.keys.admin, 'POST', '/v1/knowledge-sources', {
      kind: 'text',
      title: 'Shipping guide',
      content: KB_TEXT,
    });
    await waitForSource(tenant.keys.admin, source.id as string);

    const conv = await call(other.keys.admin, 'POST', '/v1/conversations', { subject: 'Secret of tenant B' });
    otherConversation = conv.id as string;

    shop = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (req.url === '/shipping') {
        // A help page the console adds to the knowledge base by its address.
        res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shipping times</title></head>
<body><main><article><h1>Shipping times</h1><p>Parcels to the islands take nine working days by sea freight.
Tracking starts once the ferry departs, and every parcel is insured up to its declared value.</p></article></main></body></html>`);
        return;
      }
      const key = req.url === '/pricing' ? pricing.widgetKey : channel.widgetKey;
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parcel shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Parcel shop</h1><p>Questions? Use the chat.</p></main>
<script src="${server.url}/widget.js" data-widget-key="${key}" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/`;

    browser = await launch();
    agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    agent = await agentContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await server?.close();
    await app?.platform.jobs.stop();
  });

  async function waitForSource(key: string, id: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const s = await call(key, 'GET', `/v1/knowledge-sources/${id}`);
      if (s.status === 'ready') return;
      if (s.status === 'failed') throw new Error(`ingestion failed: ${String(s.error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the knowledge source was not ingested');
  }

  it('an agent logs in and sees the branded inbox', async () => {
    await agent.goto(url('/'));
    await expect.poll(() => agent.getByRole('heading', { name: 'Log in' }).isVisible()).toBe(true);
    await expectAccessible(agent, 'login');
    await screenshot(agent, 'login', shots);
    await agent.getByLabel('Email').fill(`sam@${tenant.slug}.test`);
    await agent.getByLabel('Password').fill(PASSWORD);
    await agent.getByRole('button', { name: 'Log in' }).click();
    await agent.getByRole('heading', { name: 'Inbox' }).waitFor();
    // The tenant's brand: its product name in the header, its colour as the console's primary.
    await agent.getByText('Acme Help').waitFor();
    // The brand is applied once the tenant's brand has loaded, which may be a moment after the header.
    await expect
      .poll(() =>
        agent.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--primary').trim()"),
      )
      .toBe('#7c2d12');
    await expectAccessible(agent, 'inbox');
  });

  it('a visitor writes in the widget; the inbox shows it live; the approved draft reaches the widget', async () => {
    const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const visitor = await visitorContext.newPage();
    await visitor.goto(shopUrl);
    await visitor.getByRole('button', { name: 'Help' }).click();
    await visitor.getByText('Hi! Ask us anything about your parcel.').waitFor();
    await visitor.getByLabel('Your message').fill('How many business days does delivery of parcels take?');
    await visitor.getByRole('button', { name: 'Send' }).click();

    // Live: the inbox (already open, not reloaded) lists the new conversation.
    const row = agent.locator('table.list tbody tr');
    await row.first().waitFor({ timeout: 10_000 });
    // Unread: the visitor's message, until an agent opens the conversation.
    await row.first().locator('.badge.unread').waitFor();
    await screenshot(agent, 'inbox', shots);
    await row.first().getByRole('link').click();
    await agent.getByText('How many business days does delivery of parcels take?').waitFor();
    const draft = agent.getByRole('article', { name: 'Draft reply awaiting approval' });
    await draft.waitFor({ timeout: 30_000 });
    const draftText = ((await draft.locator('blockquote').textContent()) ?? '').trim();
    expect(draftText).toContain('three business days');
    await expectAccessible(agent, 'conversation');
    await screenshot(agent, 'conversation', shots);
    await draft.getByRole('button', { name: 'Approve and send' }).click();
    // Opened by an agent: seen, so no longer unread.
    await agent.getByRole('link', { name: 'Inbox' }).click();
    await agent.locator('table.list tbody tr').first().waitFor();
    await expect.poll(() => agent.locator('table.list .badge.unread').count()).toBe(0);

    // The visitor's open widget receives the approved reply over its stream.
    await visitor.getByText('Parcels are delivered within three business days', { exact: false }).waitFor({
      timeout: 30_000,
    });
    await expectAccessible(visitor, 'widget');
    await screenshot(visitor, 'widget', shots);
    await visitorContext.close();
  });

  it('a visitor fills the pre-chat form; the email is on their contact; it is not asked again', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${shopUrl}pricing`);
    await page.getByRole('button', { name: 'Pricing questions' }).click();
    await page.getByText('Leave your email: we send the quote there too.').waitFor();
    const email = page.getByLabel('Your email');
    // The form comes first: the window opens on the email field, a labelled, required email input.
    await expect.poll(() => email.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect(await Promise.all(['type', 'autocomplete', 'required'].map((a) => email.getAttribute(a)))).toEqual(
      ['email', 'email', ''],
    );
    await expectAccessible(page, 'widget pre-chat form');
    await screenshot(page, 'widget-pre-chat', shots);

    // Required: without an email the message is not sent, and the form says why.
    await page.getByLabel('Your message').fill('Is there a discount for charities?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('alert').getByText('Please enter your email to start the chat.').waitFor();
    await expect.poll(() => email.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'widget pre-chat form with an error');
    await email.fill('Robin@Example.org');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.msg.mine').getByText('Is there a discount for charities?').waitFor();
    await expect.poll(() => page.getByLabel('Your email').count()).toBe(0);

    const list = (await call(tenant.keys.admin, 'GET', `/v1/conversations?channelId=${pricingChannel}`))
      .data as { contactId: string }[];
    expect(list).toHaveLength(1);
    const contact = await call(tenant.keys.admin, 'GET', `/v1/contacts/${list[0]!.contactId}`);
    expect(contact.email).toBe('robin@example.org');

    // Kept with the visitor's token: after a reload the conversation is back and the form is not.
    await page.reload();
    await page.getByRole('button', { name: 'Pricing questions' }).click();
    await page.getByText('Is there a discount for charities?').waitFor();
    expect(await page.getByLabel('Your email').count()).toBe(0);
    await context.close();
  });

  it('approvals and escalations pages are reachable and accessible', async () => {
    await agent.getByRole('link', { name: 'Approvals' }).click();
    await agent.getByRole('heading', { name: 'Approvals' }).waitFor();
    await agent.getByText('No drafts are waiting.').waitFor();
    await expectAccessible(agent, 'approvals');
    await screenshot(agent, 'approvals', shots);
    await agent.getByRole('link', { name: 'Escalations' }).click();
    await agent.getByRole('heading', { name: 'Escalations' }).waitFor();
    await expectAccessible(agent, 'escalations');
    await screenshot(agent, 'escalations', shots);
  });

  it('an uploaded document becomes searchable, with explain', async () => {
    await agent.getByRole('link', { name: 'Knowledge' }).click();
    await agent.getByRole('heading', { name: 'Knowledge base' }).waitFor();
    await agent.getByLabel('Document (text, Markdown, HTML, PDF, DOCX)').setInputFiles({
      name: 'returns.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        '# Returns\n\nReturns are accepted within 30 days; the refund reaches your card in 5 days.\n',
      ),
    });
    await agent.getByRole('button', { name: 'Upload' }).click();
    await agent.getByRole('row', { name: /returns\.md.*ready/ }).waitFor({ timeout: 30_000 });
    await agent.getByLabel('Query').fill('refund card');
    await agent.getByLabel('Explain').check();
    await agent.getByRole('button', { name: 'Search' }).click();
    await agent
      .locator('ol.results li')
      .first()
      .getByText('Returns are accepted within 30 days', { exact: false })
      .waitFor();
    await agent.getByText('Query terms').waitFor();

    // A web page, added by its address: fetched, extracted and searchable like the upload.
    await agent.getByLabel('Page address (https://…)').fill(`${shopUrl}shipping`);
    await agent.getByRole('button', { name: 'Add page' }).click();
    await agent.getByRole('row', { name: /Shipping times.*ready/ }).waitFor({ timeout: 30_000 });
    await agent.getByLabel('Query').fill('ferry islands');
    await agent.getByRole('button', { name: 'Search' }).click();
    await agent
      .locator('ol.results li')
      .first()
      .getByText('nine working days by sea freight', { exact: false })
      .waitFor();
    await expectAccessible(agent, 'knowledge');
    await screenshot(agent, 'knowledge', shots);
  });

  it('analytics draws the daily rollups as a chart, with the figures as a table', async () => {
    await agent.getByRole('link', { name: 'Analytics' }).click();
    await agent
      .getByRole('img', { name: /Conversations, resolved and escalated per day/ })
      .locator('canvas')
      .waitFor();
    await agent.getByText('The figures').click();
    await agent.getByRole('row', { name: /2026-11-04 20 17 0 120/ }).waitFor();
    await expectAccessible(agent, 'analytics');
    await screenshot(agent, 'analytics', shots);
  });

  it('the channels page lists every channel with the address its provider must call', async () => {
    await call(tenant.keys.admin, 'POST', '/v1/channels', {
      kind: 'telegram',
      name: 'Parcel bot',
      externalAccountId: '7001234567',
    });
    await agent.getByRole('link', { name: 'Channels' }).click();
    await agent.getByRole('heading', { name: 'Channels' }).waitFor();
    const bot = agent.getByRole('row', { name: /Parcel bot/ });
    await bot.getByText(url('/v1/inbound/telegram/7001234567')).waitFor();
    expect(await bot.getByText('active').count()).toBe(1);
    // Widgets point to their embed snippet instead.
    expect(await agent.getByRole('link', { name: 'Embed snippet' }).count()).toBeGreaterThan(0);
    await expectAccessible(agent, 'channels');
    await screenshot(agent, 'channels', shots);
  });

  it('the widget page shows the embed snippet and a live preview; the pre-chat form is switched on', async () => {
    await agent.getByRole('link', { name: 'Widget' }).click();
    await agent.getByText('data-widget-key="wk_', { exact: false }).first().waitFor();
    // The live preview follows the texts as they are typed, before saving.
    await agent.getByLabel('Window title').fill('Acme parcels');
    await agent.getByLabel('Greeting').fill('Hello! Where is your parcel going?');
    const preview = agent.getByRole('figure', { name: 'Live preview' });
    await preview.getByText('Hello! Where is your parcel going?').waitFor();
    await preview.getByText('Acme parcels').waitFor();
    // The pre-chat form: off until chosen, then in the preview with its message.
    expect(await preview.getByText('Your email', { exact: false }).count()).toBe(0);
    await agent.getByLabel('Pre-chat email form').selectOption('optional');
    await agent.getByLabel('Pre-chat message').fill('Your email, so we can write back.');
    await preview.getByText('Your email, so we can write back.').waitFor();
    await preview.getByText('Your email (optional)').waitFor();
    await expectAccessible(agent, 'widget settings');
    await screenshot(agent, 'widget-settings', shots);
    await agent.getByRole('button', { name: 'Save' }).click();
    await agent.getByText('Saved.').waitFor();
    const rows = (await call(tenant.keys.admin, 'GET', '/v1/widget-settings')).data as {
      agentId: string | null;
      preChatEmail: string;
      behavior: Record<string, unknown>;
    }[];
    expect(rows.find((r) => r.agentId === null)).toMatchObject({
      preChatEmail: 'optional',
      behavior: {
        greeting: 'Hello! Where is your parcel going?',
        preChatMessage: 'Your email, so we can write back.',
      },
    });
  });

  it('webhooks show their log; an owner creates an API key, seen once, and revokes it', async () => {
    await agent.getByRole('link', { name: 'Webhooks' }).click();
    await agent.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await expectAccessible(agent, 'webhooks');
    await agent.getByRole('link', { name: 'API keys' }).click();
    await agent.getByLabel('Name').fill('Zapier');
    await agent.getByRole('button', { name: 'Create key' }).click();
    const shown = agent.locator('code.secret');
    await shown.waitFor();
    expect(await shown.textContent()).toMatch(/^fd_/);
    await agent.getByRole('button', { name: 'Revoke Zapier' }).click();
    await agent.getByRole('row', { name: /Zapier.*revoked/ }).waitFor();
    await expectAccessible(agent, 'api keys');
    await screenshot(agent, 'api-keys', shots);
  });

  it('AI agents: the policy is saved, a prompt version is written, published, rolled back; a brand voice', async () => {
    await agent.getByRole('link', { name: 'AI agents' }).click();
    await agent.getByRole('heading', { name: 'AI agents' }).waitFor();
    // Two agents (the pricing widget's too): the one answering the shop widget.
    await agent.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Concierge' });
    const policy = agent.getByRole('form', { name: 'Policy of Concierge' });
    await policy.getByLabel('Confidence threshold').fill('0.8');
    await policy.getByLabel('Reply delay (seconds)').fill('30');
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await agent.getByText('Policy saved.').waitFor();
    const saved = (
      (await call(tenant.keys.admin, 'GET', '/v1/agents')).data as Record<string, unknown>[]
    ).find((a) => a.name === 'Concierge');
    expect(saved).toMatchObject({ confidenceThreshold: 0.8, responseDelaySeconds: 30 });
    expect(saved!.escalationConfig).toMatchObject({ approval: 'always' });

    const write = async (content: string, notes: string) => {
      const form = agent.getByRole('form', { name: 'New prompt version' });
      await form.getByLabel('System prompt').fill(content);
      await form.getByLabel('What changed').fill(notes);
      await form.getByRole('button', { name: 'Save as a new version' }).click();
    };
    // Version 1 is the agent's published prompt (makeAgent), which drafted the approved answer above.
    await write(
      'You are the Acme parcel assistant. Be brief; answer from the knowledge base only.',
      'Briefer',
    );
    await agent.getByRole('button', { name: 'Publish version 2' }).click();
    const published = (v: number) =>
      agent.getByRole('article', { name: `Prompt version ${v}` }).getByText('published', { exact: true });
    await published(2).waitFor();
    // Per-version figures (GET /v1/prompt-versions/{id}/stats): version 1 wrote the draft approved above.
    const v1 = agent.getByRole('article', { name: 'Prompt version 1' });
    await expect.poll(() => v1.locator('dt:text-is("Approved") + dd').textContent()).toBe('1');
    await agent.getByRole('button', { name: 'Roll back version 2' }).click();
    await published(1).waitFor();
    const versions = (await call(tenant.keys.admin, 'GET', '/v1/prompt-versions')).data as {
      version: number;
      isPublished: boolean;
    }[];
    expect(versions.filter((v) => v.isPublished).map((v) => v.version)).toEqual([1]);

    const voice = agent.getByRole('form', { name: 'New brand voice' });
    await voice.getByLabel('Voice name').fill('Warm and brief');
    await voice.getByLabel('Tone guidelines').fill('Friendly, short sentences, no jargon.');
    await voice.getByLabel('Phrases never to use (one a line)').fill('As an AI');
    await voice.getByRole('button', { name: 'Add voice' }).click();
    await agent.getByRole('button', { name: 'Make default Warm and brief' }).click();
    await agent
      .getByRole('article', { name: 'Brand voice Warm and brief' })
      .getByText('default', { exact: true })
      .waitFor();
    await expectAccessible(agent, 'ai agents');
    await agent.evaluate('window.scrollTo(0, 0)');
    await screenshot(agent, 'agents', shots);
  });

  it('team: the members by email, an invitation shown once and revoked', async () => {
    await agent.getByRole('link', { name: 'Team' }).click();
    await agent.getByRole('heading', { name: 'Team' }).waitFor();
    await agent.getByText(`you (sam@${tenant.slug}.test)`).waitFor();
    await agent.getByRole('row', { name: `alex@${tenant.slug}.test Alex Agent agent` }).waitFor();
    await agent.getByRole('combobox', { name: `Role of alex@${tenant.slug}.test` }).waitFor();
    const form = agent.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Email').fill('new.agent@example.com');
    await form.getByRole('combobox', { name: 'Role' }).selectOption('agent');
    await form.getByRole('button', { name: 'Invite' }).click();
    expect(await agent.locator('code.secret').textContent()).toMatch(/^fdi_/);
    await agent.getByRole('row', { name: /new\.agent@example\.com agent/ }).waitFor();
    await expectAccessible(agent, 'team');
    await screenshot(agent, 'team', shots);
    await agent.getByRole('button', { name: 'Revoke the invitation of new.agent@example.com' }).click();
    await agent.getByText('No pending invitations.').waitFor();
  });

  it('webhooks: an admin adds an endpoint; its secret is shown once', async () => {
    await agent.getByRole('link', { name: 'Webhooks' }).click();
    const form = agent.getByRole('form', { name: 'New endpoint' });
    await form.getByLabel('Endpoint URL').fill('https://hooks.example.com/frontdesk');
    await form.getByLabel('escalation.opened').check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await form.locator('code.secret').textContent()).toMatch(/^whsec_/);
    await agent
      .getByRole('row', { name: /hooks\.example\.com\/frontdesk escalation\.opened active/ })
      .waitFor();
    await expectAccessible(agent, 'webhooks with an endpoint');
    await screenshot(agent, 'webhooks', shots);
  });

  it('FAQ: a category and a question are added, edited, and indexed into the knowledge base', async () => {
    await agent.getByRole('link', { name: 'FAQ' }).click();
    await agent.getByRole('heading', { name: 'FAQ', exact: true }).waitFor();
    await agent.getByLabel('Category name').fill('Returns');
    await agent.getByRole('button', { name: 'Add category' }).click();
    await agent.getByRole('heading', { name: 'Returns' }).waitFor();
    const blank = agent.getByRole('form', { name: 'New question' });
    await blank.getByLabel('Question').fill('Can I return a gift?');
    await blank.getByLabel('Answer').fill('Yes, within 30 days, with the gift receipt.');
    await blank.getByRole('button', { name: 'Add question' }).click();
    const entry = agent.getByRole('form', { name: 'Question: Can I return a gift?' });
    await entry.getByLabel('Answer').fill('Yes, within 60 days, with the gift receipt.');
    await entry.getByRole('button', { name: 'Save' }).click();
    await entry.getByText('Saved.').waitFor();
    await agent.getByRole('button', { name: 'Index the FAQ into the knowledge base' }).click();
    await agent.getByText('Indexing: the FAQ source is being updated.').waitFor();
    await expectAccessible(agent, 'faq');
    await agent.evaluate('window.scrollTo(0, 0)');
    await screenshot(agent, 'faq', shots);
    const items = (await call(tenant.keys.admin, 'GET', '/v1/faq-items')).data as { answer: string }[];
    expect(items.map((i) => i.answer)).toEqual(['Yes, within 60 days, with the gift receipt.']);
  });

  it("account health: each account's score, recomputed on demand", async () => {
    await call(tenant.keys.admin, 'POST', '/v1/accounts', { name: 'Globex parcels' });
    await agent.getByRole('link', { name: 'Accounts' }).click();
    await agent.getByRole('heading', { name: 'Account health' }).waitFor();
    const row = agent.getByRole('row', { name: /Globex parcels/ });
    await row.waitFor();
    await row.getByRole('button', { name: 'Recompute the health of Globex parcels' }).click();
    await expect.poll(() => row.locator('td').nth(1).textContent()).toMatch(/^\d+$/);
    await expectAccessible(agent, 'account health');
    await screenshot(agent, 'accounts', shots);
  });

  it("another tenant's conversation is a not-found page with none of its data", async () => {
    await agent.goto(url(`/conversations/${otherConversation}`));
    await agent.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await agent.content()).not.toContain('Secret of tenant B');
    await expectAccessible(agent, 'not found');
    await screenshot(agent, 'not-found', shots);
  });

  it("a tenant's user has no platform pages, and the API refuses them the platform operations", async () => {
    await agent.goto(url('/'));
    await agent.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(await agent.getByRole('link', { name: 'Platform' }).count()).toBe(0);
    await agent.goto(url('/platform'));
    await agent.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await agent.getByRole('heading', { name: 'Tenants', exact: true }).count()).toBe(0);
    const token = (await agent.evaluate(
      "JSON.parse(sessionStorage.getItem('frontdesk-console')).token",
    )) as string;
    for (const path of ['/v1/platform/tenants', '/v1/platform/plans', '/v1/platform/usage']) {
      const res = await fetch(url(path), { headers: { authorization: `Bearer ${token}` } });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });

  it('the platform admin logs in to the tenants page, creates a tenant and suspends it; usage', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url('/'));
    await page.getByLabel('Email').fill(ADMIN);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/platform');
    await page.getByRole('row', { name: new RegExp(tenant.slug) }).waitFor();
    await page.getByRole('row', { name: new RegExp(other.slug) }).waitFor();

    const slug = `made-${tenant.slug.slice(2)}`;
    const form = page.getByRole('form', { name: 'New tenant' });
    await form.getByLabel('Slug').fill(slug);
    await form.getByLabel('Name').fill('Made in the console');
    await form.getByLabel('Plan').selectOption('starter');
    await form.getByLabel('Owner email (an existing user; optional)').fill(`alex@${tenant.slug}.test`);
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await form.getByText(`Created Made in the console (${slug}).`).waitFor();
    const status = page.getByRole('combobox', { name: `Status of ${slug}` });
    await status.waitFor();
    await status.selectOption('suspended');
    await page.getByText(`${slug} is now suspended.`).waitFor();

    // Checked through the API, as the same platform admin.
    const login = await fetch(url('/v1/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN, password: PASSWORD }),
    });
    const session = (await login.json()) as { token: string; platformAdmin: boolean };
    expect(session.platformAdmin).toBe(true);
    const all = (await call(session.token, 'GET', '/v1/platform/tenants')).data as Record<string, unknown>[];
    const plan = (
      (await call(session.token, 'GET', '/v1/platform/plans')).data as { id: string; slug: string }[]
    ).find((p) => p.slug === 'starter');
    expect(all.find((x) => x.slug === slug)).toMatchObject({
      name: 'Made in the console',
      planId: plan!.id,
      subscriptionStatus: 'suspended',
    });
    await expectAccessible(page, 'platform tenants');
    await screenshot(page, 'platform-tenants', shots);

    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor();
    await page.getByRole('row', { name: new RegExp(`${slug} starter suspended`) }).waitFor();
    await expectAccessible(page, 'platform usage');
    await screenshot(page, 'platform-usage', shots);
    await context.close();
  });

  it('the widget works from the keyboard alone, and on a phone; the optional pre-chat form is skipped', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(shopUrl);
    const launcher = page.getByRole('button', { name: 'Help' });
    await launcher.waitFor();
    await page.keyboard.press('Tab');
    await expect.poll(() => launcher.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    // The optional pre-chat form (switched on in the console above) comes first; Tab skips it.
    const email = page.getByLabel('Your email (optional)');
    await expect.poll(() => email.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Tab');
    const input = page.getByLabel('Your message');
    await expect.poll(() => input.evaluate((el) => el.matches(':focus'))).toBe(true);
    // A phone: the window takes the whole screen.
    const box = await page.getByRole('dialog').boundingBox();
    expect(box?.width).toBe(390);
    await page.keyboard.type('Is a damaged parcel replaced?');
    await page.keyboard.press('Enter');
    await page.getByText('Is a damaged parcel replaced?').waitFor();
    await expect.poll(() => input.inputValue()).toBe('');
    // Sent without an email: the form is done with.
    await expect.poll(() => email.count()).toBe(0);
    await expectAccessible(page, 'widget on a phone');
    await screenshot(page, 'widget-mobile', shots);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect
      .poll(() => page.getByRole('button', { name: 'Help' }).evaluate((el) => el.matches(':focus')))
      .toBe(true);
    await context.close();
  });
}
