/**
 * Seed 004: Parcelpoint, a shipping platform answering customers through the chat widget:
 * agents made from agent templates, two widget channels with their settings, canned responses,
 * a help-centre knowledge base, widget conversations with their metrics, team invitations and
 * an outgoing webhook.
 */
import { agents, promptVersions } from '../domains/ai/tables.js';
import { channels, widgetSettings } from '../domains/channels/tables.js';
import { cannedResponses } from '../domains/content/tables.js';
import { knowledgeSources } from '../domains/knowledge/tables.js';
import { ANCHOR, DAY, daysAgo, plusMinutes, stamp } from './clock.js';
import type { DemoContext, DemoTenant } from './context.js';
import { sha256 } from './ids.js';
import { AGENTS, ARTICLES, CANNED } from './widget-content.js';
import { populateTraffic } from './widget-traffic.js';

const TZ = 'America/Los_Angeles';
const SETUP = daysAgo(180);

async function populate(ctx: DemoContext): Promise<void> {
  const { write, staff } = ctx;
  const agentIds = Object.fromEntries(AGENTS.map((a) => [a.key, ctx.id(`agent:${a.key}`, SETUP)]));
  await write.insert(
    agents,
    AGENTS.map((a, i) => ({
      id: agentIds[a.key]!,
      name: a.name,
      assistantName: a.assistant,
      description: `Created from the ${a.template} template.`,
      type: a.type,
      status: a.status,
      welcomeMessage: a.welcome,
      modelConfig: { model: 'gpt-4o-mini', temperature: a.key === 'sales' ? 0.4 : 0.2 },
      toolsConfig: {
        tools:
          a.key === 'sales' ? ['knowledge_search', 'book_meeting'] : ['knowledge_search', 'handoff_to_human'],
      },
      escalationConfig: { handoffWhenConfidenceBelow: 0.65, businessHours: '07:00-19:00 Mon-Sat' },
      widgetConfig: { showSources: a.key === 'support' },
      confidenceThreshold: 0.65,
      escalationCategories: ['refund', 'complaint'],
      templateId: ctx.templates[a.template] ?? null,
      createdBy: staff.admin,
      ...stamp(plusMinutes(SETUP, i)),
    })),
  );
  const promptIds: Record<string, string> = {};
  await write.insert(
    promptVersions,
    AGENTS.flatMap((a, i) =>
      [1, 2].slice(0, a.key === 'support' ? 2 : 1).map((version) => {
        const at = daysAgo(version === 1 ? 175 - i : 60, 18);
        const id = ctx.id(`prompt:${a.key}:v${version}`, at);
        const published = a.status !== 'draft' && (a.key !== 'support' || version === 2);
        if (published) promptIds[a.key] = id;
        return {
          id,
          agentId: agentIds[a.key]!,
          version,
          content: `You are ${a.assistant}, Parcelpoint's ${a.name.toLowerCase()} assistant. ${a.welcome} Answer from the help centre; hand over to a human when you are not sure.${version === 2 ? ' Always include the tracking link when a tracking number is mentioned.' : ''}`,
          isPublished: published,
          publishedAt: a.status !== 'draft' ? plusMinutes(at, 15) : null,
          publishedBy: a.status !== 'draft' ? staff.admin : null,
          createdBy: staff.admin,
          ...stamp(at),
        };
      }),
    ),
  );

  const widgets = [
    {
      key: 'support',
      name: 'Help centre widget',
      widgetKey: 'wk_parcelpoint_help_3f9a1c7e',
      agent: 'support',
    },
    { key: 'sales', name: 'Pricing page widget', widgetKey: 'wk_parcelpoint_sales_77b2d410', agent: 'sales' },
  ] as const;
  const channelIds = Object.fromEntries(widgets.map((w) => [w.key, ctx.id(`channel:${w.key}`, SETUP)]));
  await write.insert(
    channels,
    widgets.map((w) => ({
      id: channelIds[w.key]!,
      kind: 'widget' as const,
      name: w.name,
      widgetKey: w.widgetKey,
      agentId: agentIds[w.agent]!,
      config: { domains: ['parcelpoint.example'] },
      lastInboundAt: daysAgo(1, 20),
      ...stamp(SETUP),
    })),
  );
  await write.insert(widgetSettings, [
    {
      id: ctx.id('widget-settings:default', SETUP),
      agentId: null,
      appearance: {
        primaryColor: '#FF6B35',
        textColor: '#FFFFFF',
        position: 'bottom-right',
        fontFamily: 'Inter',
        avatarUrl: 'https://parcelpoint.example/pip.png',
      },
      behavior: {
        greeting: 'Hi! How can we help?',
        autoOpenAfterSeconds: null,
        collectEmail: 'after_first_message',
        offlineMessage: 'We are offline — leave a message and we will email you.',
      },
      launcher: { icon: 'chat', label: 'Help', showUnreadBadge: true },
      chatWindow: {
        title: 'Parcelpoint Support',
        subtitle: 'Typically replies in a minute',
        width: 380,
        height: 600,
      },
      allowedOrigins: ['https://parcelpoint.example', 'https://www.parcelpoint.example'],
      ...stamp(SETUP),
    },
    {
      id: ctx.id('widget-settings:sales', SETUP),
      agentId: agentIds.sales!,
      appearance: { primaryColor: '#1E3A8A', position: 'bottom-left', fontFamily: 'Inter' },
      behavior: {
        greeting: 'Questions about pricing?',
        autoOpenAfterSeconds: 20,
        collectEmail: 'before_chat',
      },
      // The source's "collect the email before the chat", as Frontdesk's pre-chat form.
      preChatEmail: 'optional',
      launcher: { icon: 'sparkles', label: 'Talk to sales' },
      chatWindow: { title: 'Parcelpoint Sales', subtitle: 'Find the right plan', width: 380, height: 560 },
      allowedOrigins: ['https://parcelpoint.example'],
      ...stamp(SETUP),
    },
  ]);

  await write.insert(cannedResponses, [
    ...CANNED.map(([shortcut, title, category, content], i) => ({
      id: ctx.id(`canned:${shortcut}`, plusMinutes(SETUP, i)),
      shortcut,
      title,
      category,
      content,
      tags: [category.toLowerCase()],
      usageCount: 140 - i * 13,
      ...stamp(plusMinutes(SETUP, i)),
    })),
    {
      id: ctx.id('canned:maria-signoff', SETUP),
      userId: staff.agent,
      isTeam: false,
      shortcut: 'maria-signoff',
      title: 'My sign-off',
      content: 'Have a lovely day! — Maria, Parcelpoint Support',
      category: 'Personal',
      usageCount: 57,
      ...stamp(SETUP),
    },
  ]);
  await write.insert(knowledgeSources, [
    ...ARTICLES.map((a, i) => ({
      id: ctx.id(`knowledge:${i}`, plusMinutes(SETUP, 100 + i)),
      kind: 'article' as const,
      status: 'queued' as const,
      title: a.title,
      content: a.content,
      contentHash: sha256(a.content),
      category: a.category,
      tags: ['help-centre', a.category.toLowerCase()],
      url: `https://help.parcelpoint.example/articles/${a.title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
      viewCount: 900 - i * 110,
      helpfulCount: 120 - i * 14,
      createdBy: staff.admin,
      ...stamp(plusMinutes(SETUP, 100 + i)),
    })),
    {
      id: ctx.id('knowledge:url', SETUP),
      kind: 'url',
      status: 'queued',
      title: 'Help centre (crawl)',
      url: 'https://help.parcelpoint.example/',
      createdBy: staff.admin,
      ...stamp(SETUP),
    },
    {
      id: ctx.id('knowledge:pdf', SETUP),
      kind: 'file',
      status: 'failed',
      error: 'Could not extract text: the PDF is password-protected.',
      title: 'Carrier terms 2026.pdf',
      fileName: 'carrier-terms-2026.pdf',
      fileType: 'application/pdf',
      fileSize: 482_113,
      agentId: agentIds.support!,
      createdBy: staff.agent,
      ...stamp(SETUP),
    },
  ]);

  await populateTraffic(ctx, { agentIds, channelIds, promptIds, setupAt: SETUP, timeZone: TZ });
}

export const widget: DemoTenant = {
  slug: 'parcelpoint',
  plan: 'professional',
  tenant: {
    name: 'Parcelpoint',
    tenantType: 'company',
    domain: 'parcelpoint.example',
    websiteUrl: 'https://parcelpoint.example',
    brandConfig: {
      productName: 'Parcelpoint Support',
      logo: { url: 'https://parcelpoint.example/logo.svg', alt: 'Parcelpoint', width: 140 },
      colors: { primary: '#FF6B35', secondary: '#1E3A8A' },
      showPoweredBy: true,
    },
    emailConfig: { fromName: 'Parcelpoint Support', fromEmail: 'support@parcelpoint.example' },
    timezone: TZ,
    locale: 'en-US',
    vertical: 'support',
    subscriptionStatus: 'trialing',
    trialEndsAt: new Date(ANCHOR.getTime() + 14 * DAY),
  },
  staff: [
    { role: 'owner', name: 'Nora Quinn' },
    { role: 'admin', name: 'Ethan Wolfe' },
    { role: 'agent', name: 'Maria Lopez' },
    { role: 'viewer', name: 'Jordan Blake' },
  ],
  populate,
};
