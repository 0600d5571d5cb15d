/**
 * Seed 000: Copperleaf Digital, an agency supporting its clients in shared Slack channels:
 * client accounts, client contacts with their Slack identities, brand voices, knowledge
 * articles, Slack threads, and escalations of every type, severity and status.
 */
import { agents, brandVoices, promptVersions } from '../domains/ai/tables.js';
import { channels, integrations } from '../domains/channels/tables.js';
import { escalations } from '../domains/conversations/tables.js';
import { accounts, contactIdentities, contacts } from '../domains/crm/tables.js';
import { knowledgeSources } from '../domains/knowledge/tables.js';
import { ARTICLES, BRAND_VOICES, CLIENTS, ESCALATIONS } from './agency-content.js';
import { SLACK_THREADS } from './agency-scripts.js';
import { daysAgo, plusMinutes, stamp } from './clock.js';
import type { DemoContext, DemoTenant } from './context.js';
import { alignConversation, escalationRow } from './escalations.js';
import { sha256 } from './ids.js';
import { writeThreads } from './rollups.js';
import { buildThreads, type Person } from './threads.js';

const TZ = 'Europe/London';
const SETUP = daysAgo(185);
const SLACK_TEAM = 'T04CPRLF7Q2';
/** Slack user ids of the agency's own people (account managers act from Slack). */
const SLACK_STAFF = { owner: 'U04HCOLE001', agent: 'U04JPARK002' };

const slackChannelId = (i: number) =>
  `C05${String(i + 1).padStart(2, '0')}${CLIENTS[i]!.key.slice(0, 6).toUpperCase()}`;

async function populate(ctx: DemoContext): Promise<void> {
  const { write, staff, rng } = ctx;

  const voiceIds = BRAND_VOICES.map((v) => ctx.id(`brand-voice:${v.key}`, SETUP));
  await write.insert(
    brandVoices,
    BRAND_VOICES.map((v, i) => ({
      id: voiceIds[i]!,
      name: v.name,
      description: v.description,
      toneGuidelines: v.tone,
      approvedPhrases: v.approved,
      forbiddenPhrases: v.forbidden,
      responsePatterns: v.patterns,
      isDefault: v.isDefault,
      applicableTo: v.scope,
      ...stamp(plusMinutes(SETUP, i)),
    })),
  );
  const agentId = ctx.id('agent:slack-bot', SETUP);
  await write.insert(agents, [
    {
      id: agentId,
      name: 'Copperleaf Support Bot',
      assistantName: 'Penny',
      description:
        'First responder in client Slack channels: answers from the knowledge base, routes the rest.',
      type: 'support',
      status: 'active',
      modelConfig: { model: 'gpt-4o', temperature: 0.2 },
      toolsConfig: { tools: ['knowledge_search', 'client_context', 'escalate'] },
      escalationConfig: {
        detect: ['tension', 'sla_breach', 'churn_risk'],
        notifySlackUserIds: Object.values(SLACK_STAFF),
      },
      confidenceThreshold: 0.75,
      escalationCategories: ['tension', 'sla_breach', 'churn_risk', 'emergency', 'refund', 'complaint'],
      brandVoiceId: voiceIds[0]!,
      templateId: ctx.templates.support ?? null,
      createdBy: staff.owner,
      ...stamp(SETUP),
    },
  ]);
  const promptId = ctx.id('prompt:slack-bot:v1', SETUP);
  await write.insert(promptVersions, [
    {
      id: promptId,
      agentId,
      version: 1,
      content:
        'You are Penny, the support bot in Copperleaf Digital client Slack channels. Use the client profile (services, contract, account manager) and the knowledge base. Acknowledge every request, answer what the knowledge base covers, and hand everything else to the account manager. Follow the brand voice.',
      isPublished: true,
      publishedAt: plusMinutes(SETUP, 60),
      publishedBy: staff.owner,
      createdBy: staff.owner,
      ...stamp(SETUP),
    },
  ]);
  const slackId = ctx.id('channel:slack', SETUP);
  await write.insert(channels, [
    {
      id: slackId,
      kind: 'slack',
      name: 'Copperleaf Digital Slack',
      externalAccountId: SLACK_TEAM,
      agentId,
      config: { teamName: 'Copperleaf Digital', botUserId: 'U04BOTPENNY', sharedChannels: CLIENTS.length },
      secrets: { note: 'demo data: no real credentials' },
      lastInboundAt: daysAgo(1, 15),
      ...stamp(SETUP),
    },
  ]);
  await write.insert(integrations, [
    {
      id: ctx.id('integration:slack', SETUP),
      type: 'slack',
      name: 'Slack workspace',
      config: { teamId: SLACK_TEAM },
      lastSyncAt: daysAgo(1, 4),
      ...stamp(SETUP),
    },
    {
      id: ctx.id('integration:hubspot', SETUP),
      type: 'hubspot',
      name: 'HubSpot CRM',
      config: { portalId: '4417233' },
      status: 'error',
      lastError: 'Token expired; reconnect HubSpot',
      lastSyncAt: daysAgo(9, 4),
      ...stamp(SETUP),
    },
  ]);

  // Clients, their people, and each person's Slack identity in the workspace.
  const people: Person[] = [];
  const accountIds = CLIENTS.map((c) => ctx.id(`account:${c.key}`, SETUP));
  await write.insert(
    accounts,
    CLIENTS.map((c, i) => ({
      id: accountIds[i]!,
      name: c.name,
      domain: c.domain,
      industry: c.industry,
      lifetimeValueCents: c.ltvCents,
      stage: c.status === 'churned' ? 'churned' : 'active',
      relationshipStatus: c.status,
      accountManagerUserId: i % 3 === 0 ? staff.owner : staff.agent,
      accountManagerExternal: i % 3 === 0 ? SLACK_STAFF.owner : SLACK_STAFF.agent,
      servicesProvided: c.services,
      contractDetails: c.contract,
      startDate: c.start,
      renewalDate: c.renewal,
      metadata: { slackChannelId: slackChannelId(i), slackChannelName: `#${c.slackChannel}` },
      ...stamp(plusMinutes(SETUP, 30 + i)),
    })),
  );
  const contactRows = CLIENTS.flatMap((c, i) =>
    c.contacts.map(([name, role], n) => {
      const at = plusMinutes(SETUP, 60 + i * 10 + n);
      const id = ctx.id(`contact:${c.key}:${n}`, at);
      const slackUser = `U05${String(i * 10 + n + 101)}${name.replace(/[^A-Z]/g, '').slice(0, 3)}`;
      people.push({
        contactId: id,
        name,
        accountId: accountIds[i]!,
        vars: { company: c.name, domain: c.domain },
      });
      return {
        id,
        accountId: accountIds[i]!,
        name,
        role,
        email: `${name.split(' ').pop()!.toLowerCase()}@${c.domain}`,
        isPrimary: n === 0,
        slackUser,
        at,
      };
    }),
  );
  await write.insert(
    contacts,
    contactRows.map(({ slackUser: _s, at, ...row }) => ({
      ...row,
      tags: ['client'],
      firstSeenAt: at,
      ...stamp(at),
    })),
  );
  await write.insert(
    contactIdentities,
    contactRows.map((c) => ({
      id: ctx.id(`identity:${c.id}`, c.at),
      contactId: c.id,
      channelId: slackId,
      externalUserId: c.slackUser,
      externalUserName: c.name.toLowerCase().replace(/[^a-z]+/g, '.'),
      metadata: { teamId: SLACK_TEAM },
      ...stamp(c.at),
    })),
  );

  await write.insert(
    knowledgeSources,
    ARTICLES.map((a, i) => {
      const at = plusMinutes(SETUP, 200 + i);
      return {
        id: ctx.id(`knowledge:${i}`, at),
        kind: 'article',
        status: 'queued',
        title: a.title,
        content: a.content,
        contentHash: sha256(a.content),
        category: a.category,
        tags: a.tags,
        isPublic: false,
        lastReviewedAt: daysAgo(30 - i),
        createdBy: staff.admin,
        ...stamp(at),
      };
    }),
  );

  // Slack threads: the thread ts is the first message's ts; every ts is unique in the workspace.
  let tsSeq = 0;
  const accountIndex = new Map(accountIds.map((id, i) => [id, i]));
  const threads = buildThreads({
    key: 'slack',
    count: 64,
    scripts: SLACK_THREADS,
    people,
    channels: [{ id: slackId, kind: 'slack' }],
    agentId,
    promptVersionId: promptId,
    assistantName: 'Penny',
    model: 'gpt-4o',
    staffUserIds: [staff.agent, staff.owner],
    daysBack: 90,
    replyDelaySeconds: [3, 20],
    externalMessageId: (_ch, at) => `${Math.floor(at.getTime() / 1000)}.${String(++tsSeq).padStart(6, '0')}`,
    metadata: (p) => {
      const i = accountIndex.get(p.accountId!)!;
      return { slackChannelId: slackChannelId(i), slackChannelName: `#${CLIENTS[i]!.slackChannel}` };
    },
    id: ctx.id,
    rng,
  });
  const used = new Set<string>();
  const rows = ESCALATIONS.map(([script, type, severity, status, summary], n) => {
    const thread = threads.find((t) => t.script === SLACK_THREADS[script] && !used.has(t.conversation.id))!;
    used.add(thread.conversation.id);
    alignConversation(thread, status);
    const negative = type === 'tension' || type === 'complaint' || type === 'churn_risk';
    return escalationRow(
      ctx,
      thread,
      {
        type,
        severity,
        status,
        summary,
        suggestedAction: negative
          ? 'Account manager to call the client today.'
          : 'Confirm the fix in the thread.',
        sentiment: {
          score: negative ? -0.55 - (n % 3) / 10 : -0.2,
          label: negative ? 'negative' : 'neutral',
          signals: [type],
        },
      },
      n % 2 === 0 ? { external: SLACK_STAFF.agent } : { userId: staff.agent },
      (thread.conversation.metadata as { slackChannelId: string }).slackChannelId,
    );
  });
  await writeThreads(ctx, threads, TZ);
  await write.insert(escalations, rows);
}

export const agency: DemoTenant = {
  slug: 'copperleaf',
  plan: 'starter',
  tenant: {
    name: 'Copperleaf Digital',
    tenantType: 'agency',
    domain: 'copperleaf.example',
    websiteUrl: 'https://copperleaf.example',
    brandConfig: {
      productName: 'Copperleaf Client Portal',
      colors: { primary: '#B4532A', secondary: '#2F3E46' },
      showPoweredBy: true,
    },
    emailConfig: { fromName: 'Copperleaf Digital', fromEmail: 'studio@copperleaf.example' },
    timezone: TZ,
    locale: 'en-GB',
    vertical: 'agency',
    subscriptionStatus: 'active',
  },
  staff: [
    { role: 'owner', name: 'Hannah Cole' },
    { role: 'admin', name: 'Ravi Menon' },
    { role: 'agent', name: 'Jess Parker' },
    { role: 'viewer', name: 'Sam Lowe' },
  ],
  populate,
};
