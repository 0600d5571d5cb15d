/** Conversations of the customer-success demo tenant: stakeholder emails and CSM assistant sessions. */
import type { Script } from './threads.js';

/** Email threads with stakeholders; the AI's replies are drafts a CSM approves. */
export const EMAIL_SCRIPTS: Script[] = [
  {
    subject: 'Dashboard refresh delays',
    tags: ['support'],
    turns: [
      {
        role: 'user',
        text: 'Hi team, our executive dashboard has been refreshing 2–3 hours late this week. Anything changed?',
      },
      {
        role: 'assistant',
        text: "Hi {first}, thanks for reporting this. The delay comes from the warehouse sync moving to a 3-hour schedule during last week's maintenance. We can move {company} back to hourly today — shall we go ahead?",
      },
      { role: 'user', text: 'Yes please, hourly is what we need.' },
    ],
  },
  {
    subject: 'Adding 20 more seats',
    tags: ['expansion'],
    turns: [
      { role: 'user', text: 'We would like to add about 20 analyst seats next month. What would that cost?' },
      {
        role: 'assistant',
        text: 'Great to hear, {first}! Under your current contract additional seats are prorated at your existing per-seat price. I have asked your CSM to send an order form for 20 seats starting on the 1st.',
      },
      { role: 'user', text: 'Perfect, send it over.' },
    ],
  },
  {
    subject: 'Renewal paperwork',
    tags: ['renewal'],
    turns: [
      {
        role: 'user',
        text: 'Procurement needs the renewal quote and a security questionnaire by the end of the month.',
      },
      {
        role: 'assistant',
        text: 'Hi {first}, understood. Your CSM will send the renewal quote this week, and our completed security questionnaire (SOC 2 Type II report included) is attached for procurement.',
      },
      { role: 'agent', text: 'Quote sent — I kept pricing flat for a 2-year term, as discussed with Laura.' },
    ],
  },
  {
    subject: 'SSO setup question',
    tags: ['onboarding'],
    turns: [
      { role: 'user', text: 'We are setting up SSO with Okta — do you support SCIM provisioning too?' },
      {
        role: 'assistant',
        text: 'Yes, {first}: SAML SSO and SCIM provisioning are both supported with Okta. The setup guide walks through it in about 20 minutes; I can set up a call with our solutions engineer if useful.',
      },
      { role: 'user', text: 'The guide worked, we are live with SSO. Thanks!' },
    ],
  },
  {
    subject: 'Concerns about data accuracy',
    tags: ['risk'],
    turns: [
      {
        role: 'user',
        text: 'Finance found revenue numbers in your tool that do not match our ERP. This is a serious concern before renewal.',
      },
      {
        role: 'assistant',
        text: 'I understand why that is concerning, {first}. We would like to reconcile the two with your finance team this week — could you share which report and date range differ?',
      },
      { role: 'user', text: 'Q3 revenue by region. Off by about 4%.' },
      {
        role: 'agent',
        text: 'Thanks {first}. Our data engineer found the cause: refunds were excluded in the regional model. Fixed and backfilled; I will walk Finance through it on Thursday.',
      },
    ],
  },
  {
    subject: 'Training for new analysts',
    tags: ['training'],
    turns: [
      { role: 'user', text: 'We have five new analysts starting. Is there training available?' },
      {
        role: 'assistant',
        text: 'Welcome to the new team members! The "Analytics Foundations" and "Building Dashboards" modules in the academy are the best start, and we run a live onboarding session every other Tuesday. Shall I enrol them?',
      },
      { role: 'user', text: 'Yes, please enrol all five.' },
    ],
  },
];

/** A CSM asking the assistant for help with an account (no channel; the CSM writes as `agent`). */
export const CSM_SCRIPTS: Script[] = [
  {
    subject: 'QBR prep for {company}',
    tags: ['qbr'],
    turns: [
      { role: 'agent', text: 'Prep me for the {company} QBR on Thursday.' },
      {
        role: 'assistant',
        text: '{company}: health {health}/100, stage {stage}. Usage is up 18% quarter on quarter; two open concerns from the last meeting (refresh delays, SSO rollout). Suggested agenda: wins, adoption by team, open concerns, renewal timeline.',
      },
      { role: 'agent', text: 'Draft a follow-up email for after the meeting.' },
      {
        role: 'assistant',
        text: 'Drafted a follow-up thanking {first} and listing the three agreed action items with owners and dates. It needs your approval before it is sent.',
      },
    ],
  },
  {
    subject: 'Churn risk check: {company}',
    tags: ['risk'],
    turns: [
      { role: 'agent', text: 'Is {company} at risk?' },
      {
        role: 'assistant',
        text: 'Signals for {company}: logins down 35% in 30 days, a negative sentiment stakeholder ({first}), and renewal in under 90 days. I recommend an executive sponsor call and a success plan review.',
      },
      { role: 'agent', text: 'Schedule the exec call.' },
      {
        role: 'assistant',
        text: 'I have proposed three slots next week to {first}; scheduling needs your approval.',
      },
    ],
  },
  {
    subject: 'Summarise last meeting with {company}',
    tags: ['notes'],
    turns: [
      { role: 'agent', text: 'Summarise my last meeting with {company}.' },
      {
        role: 'assistant',
        text: 'Decisions: move to hourly refresh; pilot the forecasting add-on. Action items: share the SSO guide (you, Friday), send the pilot order form (AE, next week). Concern: data accuracy on regional revenue.',
      },
      { role: 'agent', text: 'Update the CRM stage to renewal.' },
    ],
  },
];
