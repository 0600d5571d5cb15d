/** Slack threads between the agency's client contacts, its support bot and its account managers. */
import type { Script } from './threads.js';

export const SLACK_THREADS: Script[] = [
  {
    subject: 'Homepage hero copy update',
    tags: ['content'],
    turns: [
      {
        role: 'user',
        text: 'Hey team, can we swap the homepage hero line to "Built for the long haul"? Launch is Thursday.',
      },
      {
        role: 'assistant',
        text: 'Hi {first}! I have logged the change for the {company} homepage hero. The team usually turns copy edits around within one business day, so Thursday is comfortable.',
      },
      { role: 'agent', text: 'Done and live on staging — take a look and give us a thumbs up to publish.' },
      { role: 'user', text: '👍 looks great, ship it' },
    ],
  },
  {
    subject: 'Question about the monthly report',
    tags: ['reporting'],
    turns: [
      {
        role: 'user',
        text: "In last month's report organic sessions dropped 12% — is that something to worry about?",
      },
      {
        role: 'assistant',
        text: 'Good question, {first}. Part of the drop is seasonal (the same dip happened last year), and a Google core update rolled out mid-month. Your account manager will add a short commentary to the report.',
      },
      {
        role: 'agent',
        text: 'Added a note on page 3. Short version: rankings for your top 20 keywords are stable, the drop is mostly informational blog traffic.',
      },
    ],
  },
  {
    subject: 'Contact form not sending',
    tags: ['bug', 'website'],
    turns: [
      { role: 'user', text: 'The contact form on /contact just spins and never submits 😬' },
      {
        role: 'assistant',
        text: 'Thanks for flagging, {first}. I have opened a bug for the developers with the page and a timestamp. Do you see an error message at all?',
      },
      { role: 'user', text: 'No error, it just spins forever' },
      {
        role: 'agent',
        text: 'Found it — the spam filter API key expired overnight. Rotated it and submitted a test form; all working again. Sorry about that!',
      },
    ],
  },
  {
    subject: 'Quote for a new landing page',
    tags: ['sales', 'quote'],
    turns: [
      {
        role: 'user',
        text: 'Could you quote for a landing page for our spring campaign? Similar to the one from last year.',
      },
      {
        role: 'assistant',
        text: "Happy to, {first}. Last year's page took about 18 hours including copy. I will ask your account manager to send a formal quote — any deadline we should know about?",
      },
      { role: 'user', text: 'Needs to be live by 1 March' },
      { role: 'agent', text: 'Quote sent by email: 20 hours, live by 24 Feb to leave room for review.' },
    ],
  },
  {
    subject: 'SSL certificate renewal',
    tags: ['hosting'],
    turns: [
      {
        role: 'user',
        text: 'Got an email saying our SSL certificate expires soon — do we need to do anything?',
      },
      {
        role: 'assistant',
        text: 'No action needed, {first}: certificates on the hosting plan we manage renew automatically 30 days before expiry. I can confirm once the renewal has gone through.',
      },
      { role: 'user', text: 'Great, thanks!' },
    ],
  },
  {
    subject: 'Social calendar for next month',
    tags: ['social'],
    turns: [
      { role: 'user', text: 'Is the social calendar for next month ready to review?' },
      {
        role: 'assistant',
        text: 'It is in the shared drive under Social > Calendars, {first}. 16 posts, 4 reels. Feedback by Friday keeps us on schedule.',
      },
      { role: 'user', text: 'Left comments on 3 posts, rest approved' },
      { role: 'agent', text: 'Thanks! Changes made, everything is scheduled.' },
    ],
  },
  {
    subject: 'Google Analytics access',
    tags: ['access'],
    turns: [
      { role: 'user', text: 'Can you give our new marketing hire access to GA4? lucy@{domain}' },
      {
        role: 'assistant',
        text: 'Access requests need approval from an admin on your side, so I have asked your account manager to add Lucy as a Viewer once you confirm that role is right.',
      },
      { role: 'user', text: 'Viewer is perfect' },
      { role: 'agent', text: 'Lucy now has Viewer access to the GA4 property.' },
    ],
  },
  {
    subject: 'Copy of last invoice',
    tags: ['billing'],
    turns: [
      { role: 'user', text: 'Finance asked for a PDF of the October invoice' },
      {
        role: 'assistant',
        text: 'I have asked our accounts team to email the October invoice PDF to you, {first}. It usually arrives within a few hours.',
      },
      { role: 'user', text: 'Received, thank you' },
    ],
  },
  {
    subject: 'Frustration about repeated bug',
    tags: ['tension'],
    turns: [
      {
        role: 'user',
        text: 'Honestly this is the third time the mobile menu has broken after a deploy. We are paying for QA — what is going on?',
      },
      {
        role: 'assistant',
        text: 'I understand the frustration, {first}, and I have flagged this to your account manager straight away so a person can follow up today.',
      },
      {
        role: 'agent',
        text: 'You are right to be annoyed. We have fixed the menu and are adding a visual regression test so it cannot slip through again. I will walk you through it on our call tomorrow.',
      },
    ],
  },
  {
    subject: 'No reply on support request',
    tags: ['sla'],
    turns: [
      {
        role: 'user',
        text: 'We raised the checkout issue on Monday and still have no answer. Our SLA says 4 hours.',
      },
      {
        role: 'assistant',
        text: 'Sorry, {first} — that is outside our SLA. I have escalated it as urgent to the on-call developer and your account manager.',
      },
      {
        role: 'agent',
        text: 'Apologies — the ticket was misrouted. A developer is on it now and we will update you every hour until it is fixed.',
      },
    ],
  },
  {
    subject: 'Reviewing agencies for next year',
    tags: ['renewal'],
    turns: [
      {
        role: 'user',
        text: 'Heads up: leadership has asked us to review all agencies before renewals next quarter.',
      },
      {
        role: 'assistant',
        text: 'Thanks for telling us early, {first}. I have let your account manager know; they will reach out to set up a review of results and plans.',
      },
      {
        role: 'agent',
        text: 'Would Tuesday work for a 45-minute review? I will bring the year in numbers and three ideas for next year.',
      },
    ],
  },
  {
    subject: 'Website down',
    tags: ['outage'],
    turns: [
      { role: 'user', text: 'SITE IS DOWN. Getting a 502 on every page!!' },
      {
        role: 'assistant',
        text: 'I am alerting the on-call engineer now, {first}. I will post updates in this thread.',
      },
      {
        role: 'agent',
        text: 'Back up. The host restarted a database node; we have moved you to a redundant plan at no cost while we review.',
      },
      { role: 'user', text: 'Thank you for the fast response' },
    ],
  },
  {
    subject: 'Disputed hours on invoice',
    tags: ['billing'],
    turns: [
      {
        role: 'user',
        text: "November's invoice shows 38 hours but we only approved 30. Can we get the difference refunded?",
      },
      {
        role: 'assistant',
        text: 'I have passed this to your account manager and our accounts team, {first}, with the approved estimate attached.',
      },
      {
        role: 'agent',
        text: 'You are right — 8 hours were logged against the wrong client. A credit note for 8 hours is on its way.',
      },
    ],
  },
  {
    subject: 'Newsletter went out with an error',
    tags: ['email', 'quality'],
    turns: [
      { role: 'user', text: 'The newsletter went to 40k people with the wrong discount code. Not happy.' },
      {
        role: 'assistant',
        text: 'I am sorry, {first}. I have flagged this to your account manager as a priority so we can agree a correction email.',
      },
      {
        role: 'agent',
        text: 'Correction email drafted and the old code now redirects to the right offer. Can you approve the correction so we send it within the hour?',
      },
    ],
  },
  {
    subject: 'Move the strategy workshop',
    tags: ['scheduling'],
    turns: [
      { role: 'user', text: "Can we move next week's strategy workshop? Half our team is out." },
      {
        role: 'assistant',
        text: 'Of course, {first}. I have asked your account manager to propose new dates.',
      },
      { role: 'agent', text: 'How about the 14th or 15th, 10:00–12:00? Same agenda.' },
      { role: 'user', text: '15th works' },
    ],
  },
  {
    subject: 'Question about cookie banner compliance',
    tags: ['legal'],
    turns: [
      {
        role: 'user',
        text: 'Our lawyer asks whether our cookie banner meets the new consent rules. Can you confirm?',
      },
      {
        role: 'assistant',
        text: 'That is a legal question I cannot answer on my own, {first}. I have passed it to your account manager, who will check the setup with our compliance partner.',
      },
      {
        role: 'agent',
        text: 'Our compliance partner reviewed it: two changes needed (reject-all button on the first layer, no pre-ticked analytics). Quote to follow.',
      },
    ],
  },
];
