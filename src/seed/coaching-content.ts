/** Data of the coaching demo tenant (seed 001): branding, campaigns, names and assessment results. */
import type { CLIENT_STATUSES } from '../domains/coaching/tables.js';
import { brandConfigSchema, emailConfigSchema } from '../schema/tenant-brand.js';

export const brandConfig = brandConfigSchema.parse({
  productName: 'Leading with Meaning Assessments',
  supportEmail: 'hello@leadingwithmeaning.com',
  logo: {
    url: 'https://assess.leadingwithmeaning.com/brand/logo.svg',
    alt: 'Leading with Meaning',
    width: 180,
  },
  favicon: 'https://assess.leadingwithmeaning.com/brand/favicon.png',
  colors: {
    primary: '#1F4D3A',
    primaryHover: '#173B2C',
    secondary: '#C9A227',
    background: '#FFFFFF',
    backgroundSubtle: '#F5F3EA',
    text: '#1C2421',
    textMuted: '#5F6B66',
    border: '#DCD6C3',
  },
  fonts: { heading: 'Playfair Display', body: 'Lato' },
  tagline: 'Lead with purpose. Grow with meaning.',
  welcomeMessage:
    'Welcome! This assessment takes about 20 minutes. There are no right answers — answer as you really work today, not as you wish you did.',
  completionMessage:
    'Thank you for completing the assessment. Your personal report is on its way, and Mark will be in touch to walk you through it.',
  showPoweredBy: false,
});

export const emailConfig = emailConfigSchema.parse({
  fromName: 'Mark Whitfield — Leading with Meaning',
  fromEmail: 'mark@leadingwithmeaning.com',
  replyTo: 'hello@leadingwithmeaning.com',
  signature: 'Mark Whitfield\nExecutive Coach, Leading with Meaning\nleadingwithmeaning.com',
});

export const CAMPAIGNS = [
  {
    key: 'spring',
    name: 'Industry 4.0 Readiness — Spring Cohort',
    type: 'industry4',
    disclosure: 'full',
    status: 'active',
    start: 75,
    end: -30,
    company: 'Various (open cohort)',
  },
  {
    key: 'northbridge',
    name: 'Leadership 360 — Northbridge Executive Team',
    type: 'leadership360',
    disclosure: 'summary',
    status: 'active',
    start: 50,
    end: -10,
    company: 'Northbridge Manufacturing',
  },
  {
    key: 'values',
    name: 'Values Alignment Workshop — Harbour Health',
    type: 'values-alignment',
    disclosure: 'none',
    status: 'closed',
    start: 110,
    end: 60,
    company: 'Harbour Health',
  },
  {
    key: 'pilot',
    name: 'Industry 4.0 Readiness — Pilot',
    type: 'industry4',
    disclosure: 'full',
    status: 'archived',
    start: 170,
    end: 130,
    company: 'Pilot group',
  },
  {
    key: 'q1',
    name: 'Leadership 360 — Q1 Open Enrolment',
    type: 'leadership360',
    disclosure: 'summary',
    status: 'draft',
    start: -40,
    end: -100,
    company: 'Open enrolment',
  },
] as const;

export const FIRST = [
  'Olivia',
  'James',
  'Aisha',
  'Daniel',
  'Mei',
  'Lucas',
  'Sofia',
  'Ethan',
  'Hannah',
  'Rafael',
  'Chloe',
  'Noah',
  'Zara',
  'Samuel',
  'Ingrid',
  'Kofi',
  'Laura',
  'Mateo',
];
export const LAST = [
  'Bennett',
  'Okafor',
  'Lindqvist',
  'Hughes',
  'Tanaka',
  'Moreau',
  'Patel',
  'Kowalski',
  "O'Brien",
  'Haddad',
  'Fischer',
  'Nguyen',
  'Romero',
  'Abara',
];
export const DOMAINS = [
  'northbridge.example',
  'harbourhealth.example',
  'greenlinelogistics.example',
  'altamotors.example',
  'kestrel.example',
];

/** How many participants reach each pipeline stage (72 in all). */
export const PIPELINE: Record<(typeof CLIENT_STATUSES)[number], number> = {
  registered: 14,
  started: 12,
  completed: 16,
  contacted: 12,
  converted: 10,
  archived: 8,
};

export function results(type: string, i: number): Record<string, unknown> {
  const score = (k: number) => Math.round((2.2 + ((i * 37 + k * 11) % 26) / 10) * 10) / 10;
  if (type === 'industry4') {
    const dims = { strategy: score(1), people: score(2), technology: score(3), operations: score(4) };
    const overall = Math.round((Object.values(dims).reduce((s, v) => s + v, 0) / 4) * 10) / 10;
    return {
      overall,
      dimensions: dims,
      band: overall >= 3.8 ? 'Leading' : overall >= 3 ? 'Developing' : 'Emerging',
    };
  }
  if (type === 'leadership360') {
    return {
      overall: score(5),
      competencies: { vision: score(6), empathy: score(7), execution: score(8), communication: score(9) },
      raters: 5 + (i % 5),
    };
  }
  const values = ['integrity', 'growth', 'service', 'courage', 'curiosity', 'belonging', 'mastery'];
  return {
    topValues: [values[i % 7], values[(i + 3) % 7], values[(i + 5) % 7]],
    alignment: 55 + ((i * 13) % 40),
  };
}
