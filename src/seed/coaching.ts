/**
 * Seed 001: Mark's white-label coaching practice, Leading with Meaning (slug `leadingwithmeaning`):
 * full branding, assessment campaigns, participants along the whole client pipeline, and the
 * usage events the assessments generated.
 */
import { CLIENT_STATUSES, campaigns, participants } from '../domains/coaching/tables.js';
import { messageTemplates } from '../domains/content/tables.js';
import { contacts } from '../domains/crm/tables.js';
import { usageEvents, webhookEndpoints } from '../domains/ops/tables.js';
import { daysAgo, plusMinutes, stamp } from './clock.js';
import {
  brandConfig,
  CAMPAIGNS,
  DOMAINS,
  emailConfig,
  FIRST,
  LAST,
  PIPELINE,
  results,
} from './coaching-content.js';
import type { DemoContext, DemoTenant, RowOf } from './context.js';
import { costMicros } from './rollups.js';

async function populate(ctx: DemoContext): Promise<void> {
  const { write, staff } = ctx;
  const campaignIds: Record<string, string> = {};
  await write.insert(
    campaigns,
    CAMPAIGNS.map((c) => {
      const at = daysAgo(Math.max(c.start + 14, 5));
      campaignIds[c.key] = ctx.id(`campaign:${c.key}`, at);
      return {
        id: campaignIds[c.key],
        name: c.name,
        description: `${c.type} assessment for ${c.company}.`,
        assessmentType: c.type,
        resultsDisclosure: c.disclosure,
        status: c.status,
        startsAt: daysAgo(c.start),
        endsAt: daysAgo(c.end),
        createdBy: staff.owner,
        settings: { client: c.company, reminderDays: [3, 7], anonymiseRaters: c.type === 'leadership360' },
        ...stamp(at),
      };
    }),
  );

  // Participants: the pipeline stages in order, spread over the four campaigns that ran.
  const running = CAMPAIGNS.filter((c) => c.status !== 'draft');
  const people: RowOf<typeof participants>[] = [];
  const leads: RowOf<typeof contacts>[] = [];
  const usage: RowOf<typeof usageEvents>[] = [];
  let i = 0;
  for (const status of CLIENT_STATUSES) {
    for (let k = 0; k < PIPELINE[status]; k++, i++) {
      const c = running[i % running.length]!;
      const first = FIRST[i % FIRST.length]!;
      const last = LAST[(i * 5 + 3) % LAST.length]!;
      const email = `${first}.${last.replace("'", '')}@${DOMAINS[i % DOMAINS.length]}`.toLowerCase();
      const registered = daysAgo(c.start - 2 - (i % 20), 8 + (i % 9), (i * 7) % 60);
      const startedAt = status === 'registered' ? null : plusMinutes(registered, 60 * 20 + i * 13);
      const done = !['registered', 'started'].includes(status);
      const completedAt = done && startedAt ? plusMinutes(startedAt, 18 + (i % 25)) : null;
      const contactId =
        status === 'contacted' || status === 'converted' ? ctx.id(`contact:${email}`, completedAt!) : null;
      if (contactId)
        leads.push({
          id: contactId,
          name: `${first} ${last}`,
          email,
          role: c.type === 'leadership360' ? 'Executive' : 'Operations leader',
          tags: [status === 'converted' ? 'client' : 'lead', c.type],
          firstSeenAt: registered,
          lastSeenAt: plusMinutes(completedAt!, 60 * 24 * 3),
          notes: status === 'converted' ? 'Signed a 6-month coaching engagement.' : 'Discovery call booked.',
          ...stamp(plusMinutes(completedAt!, 60 * 24 * 2)),
        });
      const id = ctx.id(`participant:${email}`, registered);
      people.push({
        id,
        campaignId: campaignIds[c.key]!,
        contactId,
        name: `${first} ${last}`,
        email,
        clientStatus: status,
        assessmentResults: done ? results(c.type, i) : null,
        startedAt,
        completedAt,
        metadata: { source: i % 3 === 0 ? 'linkedin' : 'invitation', company: c.company },
        ...stamp(registered),
        updatedAt: completedAt ?? startedAt ?? registered,
      });
      usage.push({
        id: ctx.id(`usage:registered:${id}`, registered),
        eventType: 'participant.registered',
        eventData: { participantId: id, campaign: c.key },
        createdAt: registered,
      });
      if (completedAt) {
        const tokensIn = 2_400 + ((i * 97) % 1_600);
        const tokensOut = 900 + ((i * 53) % 700);
        const reportAt = plusMinutes(completedAt, 2);
        usage.push(
          {
            id: ctx.id(`usage:completed:${id}`, completedAt),
            eventType: 'assessment.completed',
            eventData: { participantId: id, assessment: c.type },
            createdAt: completedAt,
          },
          {
            id: ctx.id(`usage:report:${id}`, reportAt),
            eventType: 'llm.completion',
            eventData: { purpose: 'assessment_report', participantId: id, assessment: c.type },
            model: 'claude-3-5-sonnet',
            tokensInput: tokensIn,
            tokensOutput: tokensOut,
            tokensTotal: tokensIn + tokensOut,
            costMicros: costMicros('claude-3-5-sonnet', tokensIn, tokensOut),
            createdAt: reportAt,
          },
          {
            id: ctx.id(`usage:email:${id}`, plusMinutes(reportAt, 1)),
            eventType: 'email.sent',
            eventData: { template: 'report_ready', participantId: id },
            createdAt: plusMinutes(reportAt, 1),
          },
        );
      }
    }
  }
  await write.insert(contacts, leads);
  await write.insert(participants, people);
  await write.insert(usageEvents, usage);

  const at = daysAgo(118);
  await write.insert(messageTemplates, [
    {
      id: ctx.id('template:welcome', at),
      channel: 'email',
      trigger: 'WELCOME',
      name: 'Assessment invitation',
      subject: 'Your {{assessment}} assessment from Leading with Meaning',
      body: 'Hi {{first_name}},\n\n{{coach_name}} has invited you to the {{assessment}} assessment. It takes about 20 minutes: {{link}}\n\nWarmly,\nLeading with Meaning',
      ...stamp(at),
    },
    {
      id: ctx.id('template:follow-up', at),
      channel: 'email',
      trigger: 'FOLLOW_UP',
      name: 'Report follow-up',
      subject: 'Your report — shall we talk it through?',
      body: 'Hi {{first_name}},\n\nYour report is ready. Most people get the most out of it in a 30-minute debrief — pick a time here: {{booking_link}}\n\nMark',
      ...stamp(at),
    },
    {
      id: ctx.id('template:reminder', at),
      channel: 'email',
      trigger: 'MANUAL',
      name: 'Reminder to finish',
      subject: 'A gentle reminder',
      body: 'Hi {{first_name}}, you are {{progress}}% through your assessment. Pick up where you left off: {{link}}',
      ...stamp(at),
    },
  ]);
  await write.insert(webhookEndpoints, [
    {
      id: ctx.id('webhook:crm', at),
      url: 'https://hooks.zapier.example/hooks/catch/104233/leadingwithmeaning',
      description: 'Completed assessments to the CRM (Zapier)',
      events: ['conversation.opened', 'message.created'],
      secret: 'whsec_demo_leadingwithmeaning_0001',
      lastTriggeredAt: daysAgo(2, 14),
      lastSuccessAt: daysAgo(2, 14),
      ...stamp(at),
    },
  ]);
}

export const coaching: DemoTenant = {
  slug: 'leadingwithmeaning',
  plan: 'professional',
  tenant: {
    name: 'Leading with Meaning',
    tenantType: 'individual_coach',
    domain: 'leadingwithmeaning.com',
    customDomain: 'assess.leadingwithmeaning.com',
    websiteUrl: 'https://leadingwithmeaning.com',
    brandConfig,
    emailConfig,
    timezone: 'America/New_York',
    vertical: 'coaching',
    subscriptionStatus: 'active',
    enabledModules: ['coaching'],
    enabledAssessments: ['industry4', 'leadership360', 'values-alignment'],
    settings: { bookingLink: 'https://cal.example/leadingwithmeaning/debrief' },
  },
  staff: [
    { role: 'owner', name: 'Mark Whitfield' },
    { role: 'admin', name: 'Priya Nair' },
    { role: 'agent', name: 'Tom Becker' },
    { role: 'viewer', name: 'Grace Liu' },
  ],
  populate,
};
