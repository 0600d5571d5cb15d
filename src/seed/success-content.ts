/**
 * Texts of the customer-success demo tenant (seed 002): accounts, stakeholders, email threads
 * with stakeholders, CSM assistant sessions, meeting notes, insights and training modules.
 */

export type Stage = 'prospect' | 'onboarding' | 'active' | 'renewal' | 'churned';

export interface AccountSeed {
  key: string;
  name: string;
  domain: string;
  industry: string;
  arr: number;
  stage: Stage;
  health: number;
  relationship: 'active' | 'at_risk' | 'churned';
  start: string;
  renewal: string;
  people: Array<[name: string, role: string, sentiment: 'positive' | 'neutral' | 'negative' | 'mixed']>;
}

/** ARR in whole dollars (stored as cents). */
export const ACCOUNTS: AccountSeed[] = [
  {
    key: 'northwind',
    name: 'Northwind Traders',
    domain: 'northwind.example',
    industry: 'Wholesale',
    arr: 184_000,
    stage: 'active',
    health: 82,
    relationship: 'active',
    start: '2024-02-01',
    renewal: '2027-01-31',
    people: [
      ['Laura Chen', 'VP Operations', 'positive'],
      ['Mike Duran', 'BI Lead', 'positive'],
      ['Anita Rao', 'Analyst', 'neutral'],
    ],
  },
  {
    key: 'contoso',
    name: 'Contoso Pharma',
    domain: 'contoso.example',
    industry: 'Life sciences',
    arr: 420_000,
    stage: 'renewal',
    health: 58,
    relationship: 'at_risk',
    start: '2023-12-01',
    renewal: '2026-12-31',
    people: [
      ['Dr. Peter Vance', 'CIO', 'mixed'],
      ['Sara Holt', 'Data Platform Manager', 'negative'],
      ['Yusuf Demir', 'Procurement', 'neutral'],
    ],
  },
  {
    key: 'fabrikam',
    name: 'Fabrikam Energy',
    domain: 'fabrikam.example',
    industry: 'Energy',
    arr: 96_000,
    stage: 'onboarding',
    health: 71,
    relationship: 'active',
    start: '2026-09-15',
    renewal: '2027-09-14',
    people: [
      ['Jon Eriksen', 'Head of Analytics', 'positive'],
      ['Maya Singh', 'Data Engineer', 'neutral'],
      ['Carl Brandt', 'CFO', 'neutral'],
    ],
  },
  {
    key: 'adatum',
    name: 'Adatum Retail',
    domain: 'adatum.example',
    industry: 'Retail',
    arr: 138_000,
    stage: 'active',
    health: 88,
    relationship: 'active',
    start: '2023-05-01',
    renewal: '2027-04-30',
    people: [
      ['Grace Obi', 'Director of Insights', 'positive'],
      ['Tom Keller', 'Analytics Engineer', 'positive'],
      ['Lily Tran', 'Merchandising Analyst', 'positive'],
    ],
  },
  {
    key: 'tailspin',
    name: 'Tailspin Airlines',
    domain: 'tailspin.example',
    industry: 'Aviation',
    arr: 610_000,
    stage: 'active',
    health: 64,
    relationship: 'at_risk',
    start: '2022-10-01',
    renewal: '2027-09-30',
    people: [
      ['Rebecca Stone', 'SVP Customer Experience', 'mixed'],
      ['Ivan Petrov', 'Data Architect', 'negative'],
      ['Chloe Martin', 'Program Manager', 'neutral'],
    ],
  },
  {
    key: 'woodgrove',
    name: 'Woodgrove Bank',
    domain: 'woodgrove.example',
    industry: 'Banking',
    arr: 275_000,
    stage: 'renewal',
    health: 76,
    relationship: 'active',
    start: '2024-01-01',
    renewal: '2027-01-01',
    people: [
      ['Henry Walsh', 'Chief Data Officer', 'positive'],
      ['Priya Shah', 'Risk Analytics Lead', 'neutral'],
      ['Owen Price', 'Vendor Manager', 'neutral'],
    ],
  },
  {
    key: 'litware',
    name: 'Litware Software',
    domain: 'litware.example',
    industry: 'Software',
    arr: 54_000,
    stage: 'onboarding',
    health: 45,
    relationship: 'at_risk',
    start: '2026-08-01',
    renewal: '2027-07-31',
    people: [
      ['Nadia Haddad', 'COO', 'neutral'],
      ['Ben Carter', 'RevOps Manager', 'negative'],
      ['Kim Lee', 'Analyst', 'neutral'],
    ],
  },
  {
    key: 'proseware',
    name: 'Proseware Media',
    domain: 'proseware.example',
    industry: 'Media',
    arr: 0,
    stage: 'prospect',
    health: 50,
    relationship: 'active',
    start: '2026-11-01',
    renewal: '2027-10-31',
    people: [
      ['Julia Moreno', 'VP Audience', 'positive'],
      ['Dev Patel', 'Data Scientist', 'neutral'],
      ['Ana Costa', 'Head of Finance', 'neutral'],
    ],
  },
  {
    key: 'margie',
    name: "Margie's Travel",
    domain: 'margiestravel.example',
    industry: 'Travel',
    arr: 72_000,
    stage: 'churned',
    health: 22,
    relationship: 'churned',
    start: '2023-03-01',
    renewal: '2026-02-28',
    people: [
      ['Margie Ellis', 'Founder', 'negative'],
      ['Rob Quinn', 'Operations', 'neutral'],
      ['Sofia Lind', 'Marketing', 'neutral'],
    ],
  },
  {
    key: 'lucerne',
    name: 'Lucerne Publishing',
    domain: 'lucerne.example',
    industry: 'Publishing',
    arr: 118_000,
    stage: 'active',
    health: 79,
    relationship: 'active',
    start: '2024-07-01',
    renewal: '2027-06-30',
    people: [
      ['Eva Novak', 'Editorial Director', 'positive'],
      ['Sam Reid', 'Digital Lead', 'positive'],
      ['Leo Braun', 'Data Analyst', 'neutral'],
    ],
  },
];

export const MEETING_TYPES = [
  {
    title: 'Quarterly business review',
    minutes: 60,
    agenda: ['Wins and outcomes', 'Adoption by team', 'Roadmap preview', 'Renewal timeline'],
  },
  { title: 'Monthly check-in', minutes: 30, agenda: ['Open tickets', 'Usage trends', 'Upcoming launches'] },
  { title: 'Executive sponsor call', minutes: 45, agenda: ['Strategic goals', 'Value delivered', 'Risks'] },
] as const;

export const INSIGHTS: Array<{
  type: 'decision' | 'action_item' | 'concern' | 'quote' | 'sentiment';
  text: string;
}> = [
  { type: 'decision', text: 'Move the executive dashboard to hourly refresh.' },
  { type: 'decision', text: 'Pilot the forecasting add-on with the finance team for 60 days.' },
  { type: 'action_item', text: 'Send the SSO/SCIM setup guide to IT.' },
  { type: 'action_item', text: 'Reconcile Q3 regional revenue with Finance.' },
  { type: 'concern', text: 'Dashboard refresh delays are hurting trust with executives.' },
  { type: 'concern', text: 'Budget pressure: procurement asked for a 15% discount at renewal.' },
  { type: 'quote', text: '"Your tool is the first thing our COO opens every morning."' },
  { type: 'quote', text: '"If the numbers do not match the ERP, we cannot use this in board meetings."' },
  { type: 'sentiment', text: 'Champion is enthusiastic; economic buyer is neutral and cost-focused.' },
  { type: 'sentiment', text: 'Team morale around the tool improved after the training sessions.' },
];

export const TRAINING = [
  {
    key: 'foundations',
    title: 'Analytics Foundations',
    level: 'beginner',
    category: 'Getting started',
    minutes: 45,
    prereq: [] as string[],
  },
  {
    key: 'dashboards',
    title: 'Building Dashboards',
    level: 'beginner',
    category: 'Getting started',
    minutes: 60,
    prereq: ['foundations'],
  },
  {
    key: 'modeling',
    title: 'Data Modeling Essentials',
    level: 'intermediate',
    category: 'Data',
    minutes: 90,
    prereq: ['foundations'],
  },
  {
    key: 'sso',
    title: 'Administering SSO and Permissions',
    level: 'intermediate',
    category: 'Administration',
    minutes: 40,
    prereq: [] as string[],
  },
  {
    key: 'forecasting',
    title: 'Forecasting and What-if Analysis',
    level: 'advanced',
    category: 'Advanced analytics',
    minutes: 75,
    prereq: ['dashboards', 'modeling'],
  },
  {
    key: 'governance',
    title: 'Data Governance at Scale',
    level: 'advanced',
    category: 'Administration',
    minutes: 60,
    prereq: ['sso', 'modeling'],
  },
] as const;

/** An account once seeded: its id, its seed, its contacts' ids and its CSM. */
export interface SeededAccount {
  id: string;
  seed: AccountSeed;
  contactIds: string[];
  csm: string;
}
