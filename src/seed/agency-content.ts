/**
 * Texts of the agency demo tenant (seed 000): client accounts, Slack threads with client
 * contacts, brand voices and knowledge articles.
 *
 * Size: declarative demo data (the tenant's rows as literals), not logic.
 */
import type { EscalationSpec } from './escalations.js';

export interface ClientSeed {
  key: string;
  name: string;
  domain: string;
  industry: string;
  services: string[];
  status: 'active' | 'at_risk' | 'churned';
  ltvCents: number;
  start: string;
  renewal: string;
  contract: string;
  slackChannel: string;
  contacts: Array<[name: string, role: string]>;
}

export const CLIENTS: ClientSeed[] = [
  {
    key: 'acme',
    name: 'Acme Outdoor Co',
    domain: 'acmeoutdoor.example',
    industry: 'Retail',
    services: ['website', 'seo', 'paid social'],
    status: 'active',
    ltvCents: 18_450_000,
    start: '2023-03-01',
    renewal: '2027-03-01',
    contract: 'Retainer: 40 hours/month, web + SEO. Paid social billed at cost + 12%.',
    slackChannel: 'client-acme',
    contacts: [
      ['Dana Whitmore', 'Marketing Director'],
      ['Raj Patel', 'E-commerce Manager'],
      ['Lena Fischer', 'Brand Lead'],
    ],
  },
  {
    key: 'bluebird',
    name: 'Bluebird Dental Group',
    domain: 'bluebirddental.example',
    industry: 'Healthcare',
    services: ['website', 'local seo'],
    status: 'active',
    ltvCents: 6_200_000,
    start: '2024-06-15',
    renewal: '2026-12-15',
    contract: 'Retainer: 15 hours/month. Hosting and maintenance included.',
    slackChannel: 'client-bluebird',
    contacts: [
      ['Dr. Helen Ortiz', 'Practice Owner'],
      ['Marcus Bell', 'Operations Manager'],
    ],
  },
  {
    key: 'harbor',
    name: 'Harbor & Co Legal',
    domain: 'harborlegal.example',
    industry: 'Legal',
    services: ['website', 'content'],
    status: 'at_risk',
    ltvCents: 9_800_000,
    start: '2022-11-01',
    renewal: '2026-12-31',
    contract: 'Fixed fee content programme: 4 articles/month; site care plan.',
    slackChannel: 'client-harbor',
    contacts: [
      ['Victoria Shaw', 'Managing Partner'],
      ['Ollie Grant', 'Marketing Coordinator'],
    ],
  },
  {
    key: 'kite',
    name: 'Kite Fintech',
    domain: 'kitefintech.example',
    industry: 'Financial services',
    services: ['product design', 'webflow', 'analytics'],
    status: 'active',
    ltvCents: 31_200_000,
    start: '2023-09-01',
    renewal: '2027-08-31',
    contract: 'Dedicated squad: 1 designer, 1 developer, 0.5 PM. SLA: P1 response 1 hour.',
    slackChannel: 'client-kite',
    contacts: [
      ['Sam Adeyemi', 'Head of Product'],
      ['Nina Kowalczyk', 'Engineering Manager'],
      ['Theo Marsh', 'Growth Lead'],
    ],
  },
  {
    key: 'maple',
    name: 'Maple Grove Realty',
    domain: 'maplegrove.example',
    industry: 'Real estate',
    services: ['paid search', 'landing pages'],
    status: 'churned',
    ltvCents: 4_150_000,
    start: '2023-01-10',
    renewal: '2025-12-31',
    contract: 'Paid search management, 10% of spend, min. £1,500/month. Ended Dec 2025.',
    slackChannel: 'client-maple',
    contacts: [['Greg Holloway', 'Director']],
  },
  {
    key: 'orbit',
    name: 'Orbit Fitness',
    domain: 'orbitfitness.example',
    industry: 'Fitness',
    services: ['app marketing', 'email', 'paid social'],
    status: 'at_risk',
    ltvCents: 12_600_000,
    start: '2024-02-01',
    renewal: '2027-01-31',
    contract: 'Growth retainer: 30 hours/month; email automation in Klaviyo.',
    slackChannel: 'client-orbit',
    contacts: [
      ['Jasmine Cole', 'CMO'],
      ['Ben Okoro', 'CRM Manager'],
    ],
  },
  {
    key: 'summit',
    name: 'Summit Coffee Roasters',
    domain: 'summitcoffee.example',
    industry: 'Food & beverage',
    services: ['shopify', 'brand', 'email'],
    status: 'active',
    ltvCents: 7_300_000,
    start: '2024-09-01',
    renewal: '2026-08-31',
    contract: 'Shopify care plan + 10 hours/month design.',
    slackChannel: 'client-summit',
    contacts: [
      ['Lucia Romano', 'Founder'],
      ['Pete Nakamura', 'Wholesale Lead'],
    ],
  },
  {
    key: 'tidewater',
    name: 'Tidewater Logistics',
    domain: 'tidewater.example',
    industry: 'Logistics',
    services: ['website', 'recruitment campaigns'],
    status: 'active',
    ltvCents: 15_900_000,
    start: '2022-05-01',
    renewal: '2027-04-30',
    contract: 'Retainer: 25 hours/month; recruitment campaigns quoted separately.',
    slackChannel: 'client-tidewater',
    contacts: [
      ['Morgan Reeves', 'HR Director'],
      ['Aaron Blake', 'IT Manager'],
    ],
  },
];

export const BRAND_VOICES = [
  {
    key: 'house',
    name: 'Copperleaf House Voice',
    description: 'How we talk to clients by default: warm, plain, accountable.',
    tone: 'Warm and direct. Use first names. Own mistakes plainly ("we got this wrong") and say what happens next and when. No jargon, no exclamation marks in apologies.',
    approved: ['Thanks for flagging this', "Here's what happens next", 'We got this wrong'],
    forbidden: ['Per my last message', 'As previously stated', 'Unfortunately there is nothing we can do'],
    patterns: [
      {
        situation: 'bug report',
        pattern: 'Thank them, confirm the ticket is logged, give a time for the next update.',
      },
      { situation: 'complaint', pattern: 'Acknowledge, apologise once, state the fix and the prevention.' },
    ],
    isDefault: true,
    scope: 'all' as const,
  },
  {
    key: 'exec',
    name: 'Executive Brief',
    description: 'For founders and C-level contacts: short, numbers first.',
    tone: 'Lead with the outcome and the number. Three sentences at most. Offer a call rather than a long message.',
    approved: ['In short', 'The impact is'],
    forbidden: ['Just circling back', 'Hope this finds you well'],
    patterns: [{ situation: 'status update', pattern: 'Outcome, metric, next step — one line each.' }],
    isDefault: false,
    scope: 'client_conversations' as const,
  },
  {
    key: 'internal',
    name: 'Internal Shorthand',
    description: 'For notes between the team, never sent to clients.',
    tone: 'Terse. Ticket numbers, owners and dates. Emojis fine.',
    approved: [],
    forbidden: [],
    patterns: [],
    isDefault: false,
    scope: 'internal_only' as const,
  },
];

export const ARTICLES: Array<{ title: string; category: string; tags: string[]; content: string }> = [
  {
    title: 'Support hours and SLAs',
    category: 'Policies',
    tags: ['sla', 'support'],
    content:
      'Support hours are 08:00–18:00 UK time, Monday to Friday. P1 (site down, checkout broken): response within 1 hour, 24/7 for squad clients. P2 (feature broken, no workaround): 4 business hours. P3 (minor issue, question): 1 business day. Requests in Slack are acknowledged by the bot immediately and routed to the account manager.',
  },
  {
    title: 'Escalation process',
    category: 'Policies',
    tags: ['escalation'],
    content:
      'When a client message shows frustration, misses an SLA or mentions reviewing agencies, the bot raises an escalation. The account manager acknowledges within 30 minutes in working hours. Critical escalations page the on-call lead. Every escalation is resolved with notes or marked a false positive.',
  },
  {
    title: 'Service catalogue',
    category: 'Services',
    tags: ['services', 'pricing'],
    content:
      'Website design and build (Webflow, Shopify, WordPress); SEO and content; paid search and paid social; email automation (Klaviyo, Mailchimp); product design squads. Retainers are sold in blocks of hours per month; unused hours roll over for one month.',
  },
  {
    title: 'Hosting and maintenance FAQ',
    category: 'Hosting',
    tags: ['hosting', 'ssl'],
    content:
      'Sites on our managed hosting get daily backups kept for 30 days, automatic SSL renewal, uptime monitoring every minute and security patches within 48 hours of release. Restores from backup are free once a month.',
  },
  {
    title: 'Monthly reporting schedule',
    category: 'Reporting',
    tags: ['reporting'],
    content:
      'Monthly reports are delivered by the 5th business day of the month and cover traffic, conversions, rankings and spend. Account managers add a commentary on anything that moved more than 10%.',
  },
  {
    title: 'Holiday coverage 2026',
    category: 'Policies',
    tags: ['support', 'holidays'],
    content:
      'The studio is closed from 24 December to 1 January. P1 coverage continues through the on-call rota; P2 and P3 requests are answered from 2 January.',
  },
];

/** [script index in SLACK_THREADS (agency-scripts.ts), type, severity, status, summary]: 14 escalations, every type. */
export const ESCALATIONS: Array<
  [number, EscalationSpec['type'], EscalationSpec['severity'], EscalationSpec['status'], string]
> = [
  [
    8,
    'tension',
    'high',
    'acknowledged',
    'Client frustrated: mobile menu broke after a deploy for the third time.',
  ],
  [
    8,
    'tension',
    'medium',
    'resolved',
    'Repeated regression annoyed the client; fix and regression test agreed.',
  ],
  [8, 'tension', 'low', 'false_positive', 'Blunt wording flagged as tension; client confirmed all is fine.'],
  [9, 'sla_breach', 'critical', 'open', 'P2 checkout issue unanswered for 2 days (SLA: 4 business hours).'],
  [9, 'sla_breach', 'high', 'resolved', 'Ticket misrouted; first response 9 hours late.'],
  [
    10,
    'churn_risk',
    'critical',
    'acknowledged',
    'Leadership reviewing all agencies before renewal next quarter.',
  ],
  [10, 'churn_risk', 'high', 'open', 'Client mentions an agency review ahead of renewal.'],
  [10, 'churn_risk', 'medium', 'resolved', 'Renewal concern addressed in a results review; client renewing.'],
  [
    11,
    'emergency',
    'critical',
    'resolved',
    'Site returned 502 on every page (hosting database node restart).',
  ],
  [12, 'refund', 'medium', 'resolved', 'Client disputes 8 hours on the November invoice.'],
  [
    13,
    'complaint',
    'high',
    'acknowledged',
    'Newsletter sent to 40k subscribers with the wrong discount code.',
  ],
  [13, 'complaint', 'medium', 'open', 'Client unhappy with an email campaign error.'],
  [14, 'booking_change', 'low', 'resolved', 'Strategy workshop moved to the 15th.'],
  [
    14,
    'usage_limit',
    'high',
    'resolved',
    'The monthly AI token budget ran out on the 28th; the team answered until the plan was raised.',
  ],
  [
    15,
    'other',
    'low',
    'false_positive',
    'Legal question on cookie consent routed as escalation; handled as a quote.',
  ],
];
