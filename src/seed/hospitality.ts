/**
 * Seed 003: Paradise Stays, a vacation-rental company messaging guests by SMS, email and
 * Telegram: properties in three time zones, reservations arriving in 3 days / tomorrow / today
 * (relative to the real current date in each property's zone), T-3/T-1/day-of templates, an FAQ,
 * and a concierge agent with quiet hours 22:00–08:00 and a 3-minute reply delay.
 */
import { agents, promptVersions } from '../domains/ai/tables.js';
import { channels } from '../domains/channels/tables.js';
import { messageTemplates } from '../domains/content/tables.js';
import { properties, propertySettings } from '../domains/hospitality/tables.js';
import { faqCategories, faqItems } from '../domains/knowledge/tables.js';
import { daysAgo, plusMinutes, stamp } from './clock.js';
import type { DemoContext, DemoTenant } from './context.js';
import { EARLY, FAQ, GUEST_CHANNELS, LATE, PROMPTS, PROPERTIES, TEMPLATES } from './hospitality-content.js';
import { populateGuests } from './hospitality-guests.js';
import type { ChannelRef } from './threads.js';

const TZ = 'Australia/Sydney';
const SETUP = daysAgo(190);

async function populate(ctx: DemoContext): Promise<void> {
  const { write } = ctx;
  const propertyIds = propertyIdsOf(ctx.id);
  await write.insert(
    properties,
    PROPERTIES.map((p, i) => ({
      id: propertyIds[p.key]!,
      name: p.name,
      address: p.address,
      timezone: p.tz,
      externalId: `PMS-${1001 + i}`,
      metadata: { bedrooms: p.beds, maxGuests: p.beds * 2, wifiNetwork: p.wifi },
      ...stamp(SETUP),
    })),
  );
  await write.insert(
    propertySettings,
    PROPERTIES.map((p) => ({
      id: ctx.id(`property-settings:${p.key}`, SETUP),
      propertyId: propertyIds[p.key]!,
      emailEnabled: true,
      smsEnabled: true,
      scheduleT3Time: p.key === 'noosa' ? '09:00' : '10:00',
      checkinTime: '15:00',
      checkoutTime: '10:00',
      earlyCheckinPolicy: EARLY,
      lateCheckoutPolicy: LATE,
      parkingInfo: p.parking,
      petPolicy: p.pets,
      smokingPolicy: 'No smoking or vaping inside; outdoor smoking area only.',
      ...stamp(SETUP),
    })),
  );

  // The agent, its prompt history (v3 published, v4 a draft) and its channels.
  const agentId = ctx.id('agent:concierge', SETUP);
  await write.insert(agents, [
    {
      id: agentId,
      name: 'Guest Concierge',
      assistantName: 'Mark',
      description: 'Answers guests by SMS, email and Telegram before and during their stay.',
      type: 'concierge',
      status: 'active',
      welcomeMessage: "Hi, I'm Mark from Paradise Stays. How can I help with your stay?",
      modelConfig: { model: 'gpt-4o-mini', temperature: 0.3, maxTokens: 400 },
      toolsConfig: { tools: ['knowledge_search', 'reservation_lookup', 'escalate'] },
      escalationConfig: { notifyUserIds: [ctx.staff.owner, ctx.staff.agent], notifyChannel: 'sms' },
      autoReplyEnabled: true,
      confidenceThreshold: 0.7,
      quietHoursStart: '22:00',
      quietHoursEnd: '08:00',
      responseDelaySeconds: 180,
      escalationCategories: ['refund', 'complaint', 'emergency', 'booking_change'],
      templateId: ctx.templates.concierge ?? null,
      createdBy: ctx.staff.owner,
      ...stamp(SETUP),
    },
  ]);
  const promptAt = [160, 110, 40, 3].map((d) => daysAgo(d, 2));
  const promptIds = PROMPTS.map((_, i) => ctx.id(`prompt:concierge:v${i + 1}`, promptAt[i]!));
  await write.insert(
    promptVersions,
    PROMPTS.map((content, i) => ({
      id: promptIds[i]!,
      agentId,
      version: i + 1,
      content,
      isPublished: i === 2,
      publishedAt: i < 3 ? plusMinutes(promptAt[i]!, 30) : null,
      publishedBy: i < 3 ? ctx.staff.owner : null,
      notes: [
        'First version',
        'SMS length limit, escalation categories',
        'Rules as a list; lockbox code safety',
        'Draft: pool heating season',
      ][i],
      createdBy: i === 3 ? ctx.staff.admin : ctx.staff.owner,
      ...stamp(promptAt[i]!),
      updatedAt: i < 3 ? plusMinutes(promptAt[i]!, 30) : promptAt[i]!,
    })),
  );
  const channel: Record<string, ChannelRef> = {};
  await write.insert(
    channels,
    GUEST_CHANNELS.map((c) => {
      channel[c.key] = { id: ctx.id(`channel:${c.key}`, SETUP), kind: c.kind };
      return {
        id: channel[c.key]!.id,
        kind: c.kind,
        name: c.name,
        externalAccountId: c.account,
        agentId,
        config: c.config,
        secrets: { note: 'demo data: no real credentials' },
        lastInboundAt: daysAgo(1, 6),
        ...stamp(SETUP),
      };
    }),
  );

  await write.insert(
    messageTemplates,
    TEMPLATES.map(([ch, trigger, name, subject, body], i) => ({
      id: ctx.id(`template:${ch}:${trigger}`, SETUP),
      channel: ch,
      trigger,
      name,
      subject,
      body,
      version: 1 + (i % 3),
      ...stamp(plusMinutes(SETUP, i)),
    })),
  );
  const categoryIds = FAQ.map((c) => ctx.id(`faq:${c.slug}`, SETUP));
  await write.insert(
    faqCategories,
    FAQ.map((c, i) => ({
      id: categoryIds[i]!,
      name: c.name,
      slug: c.slug,
      displayOrder: i,
      exampleQuestions: c.examples,
      ...stamp(SETUP),
    })),
  );
  await write.insert(
    faqItems,
    FAQ.flatMap((c, i) =>
      c.items.map(([question, answer], n) => ({
        id: ctx.id(`faq:${c.slug}:${n}`, SETUP),
        categoryId: categoryIds[i]!,
        question,
        answer,
        displayOrder: n,
        ...stamp(SETUP),
      })),
    ),
  );

  await populateGuests(ctx, { propertyIds, channel, agentId, promptVersionId: promptIds[2]!, timeZone: TZ });
}

/** The demo properties' ids, by key (deterministic; ./personal.ts re-places their upcoming stays). */
export const propertyIdsOf = (id: DemoContext['id']): Record<string, string> =>
  Object.fromEntries(PROPERTIES.map((p) => [p.key, id(`property:${p.key}`, SETUP)]));

export const hospitality: DemoTenant = {
  slug: 'paradise-stays',
  plan: 'professional',
  tenant: {
    name: 'Paradise Stays',
    tenantType: 'property_manager',
    domain: 'paradisestays.example',
    websiteUrl: 'https://paradisestays.example',
    brandConfig: {
      productName: 'Paradise Stays',
      supportEmail: 'stay@paradisestays.example',
      logo: { url: 'https://paradisestays.example/logo.png', alt: 'Paradise Stays', width: 160 },
      colors: {
        primary: '#0E7C86',
        primaryHover: '#0A5F67',
        secondary: '#F4A261',
        background: '#FFFFFF',
        text: '#1D2B2F',
      },
      showPoweredBy: true,
    },
    emailConfig: {
      fromName: 'Paradise Stays',
      fromEmail: 'stay@paradisestays.example',
      replyTo: 'stay@in.paradisestays.example',
    },
    timezone: TZ,
    locale: 'en-AU',
    vertical: 'hospitality',
    subscriptionStatus: 'active',
    enabledModules: ['hospitality'],
  },
  staff: [
    { role: 'owner', name: 'Chloe Harrington' },
    { role: 'admin', name: 'Liam Foster' },
    { role: 'agent', name: 'Ava Reid' },
    { role: 'viewer', name: 'Noah Kim' },
  ],
  populate,
};
