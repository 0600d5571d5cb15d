/** Chat-widget conversations of the support and sales agents of the chat-widget demo tenant. */
import type { Script } from './threads.js';

export const SUPPORT_SCRIPTS: Script[] = [
  {
    subject: 'Where is my parcel?',
    tags: ['tracking'],
    turns: [
      { role: 'user', text: 'Hi, my parcel PP{order} was supposed to arrive yesterday. Where is it?' },
      {
        role: 'assistant',
        text: 'Hi {first}! Parcel PP{order} is at the local depot and is out for delivery today before 6pm. You can follow it live at parcelpoint.example/track.',
      },
      { role: 'user', text: 'Ok great, thanks' },
    ],
  },
  {
    subject: 'Return and refund',
    tags: ['refund', 'returns'],
    turns: [
      { role: 'user', text: 'How do I return an item and get a refund?' },
      {
        role: 'assistant',
        text: 'You can start a return within 30 days at parcelpoint.example/returns: print the prepaid label, drop the parcel at any Parcelpoint locker, and the refund is issued within 5 business days of the scan.',
      },
      { role: 'user', text: 'Is the return label free?' },
      {
        role: 'assistant',
        text: 'Yes — return labels are free for domestic orders. International returns cost a flat $9.95.',
      },
    ],
  },
  {
    subject: 'Change delivery address',
    tags: ['address'],
    turns: [
      { role: 'user', text: 'I typed the wrong street number. Can I change the delivery address?' },
      {
        role: 'assistant',
        text: 'If the parcel has not left the depot yet, yes. I cannot change it myself, so I am passing you to a teammate with your order details.',
      },
      {
        role: 'agent',
        text: 'Hi {first}, Maria here — I have updated the address on PP{order}. Delivery is still on schedule.',
      },
      { role: 'user', text: 'You are a lifesaver, thank you!' },
    ],
  },
  {
    subject: 'Damaged parcel',
    tags: ['damaged'],
    turns: [
      { role: 'user', text: 'My parcel arrived crushed and the vase inside is broken.' },
      {
        role: 'assistant',
        text: 'I am sorry, {first}. Please upload a photo of the box and the item at parcelpoint.example/claims — claims for damaged items are usually approved within 48 hours.',
      },
      { role: 'user', text: 'Uploaded the photos.' },
      {
        role: 'agent',
        text: 'Thanks {first}, your claim is approved: a full refund of the item value is on its way.',
      },
    ],
  },
  {
    subject: 'Lost parcel complaint',
    tags: ['lost', 'complaint'],
    escalation: {
      type: 'complaint',
      severity: 'high',
      summary: 'Parcel marked delivered but never received; customer angry after two contacts.',
      suggestedAction: 'Open a trace with the courier and offer a replacement.',
    },
    turns: [
      {
        role: 'user',
        text: 'Tracking says delivered but NOTHING arrived. This is the second time I am contacting you.',
      },
      {
        role: 'assistant',
        text: 'I am really sorry, {first}. I have escalated this to our team as a priority so a person can open a trace with the courier right away.',
      },
      {
        role: 'agent',
        text: 'Hi {first}, I have opened a trace and arranged a replacement to ship today at no cost. I will update you tomorrow.',
      },
    ],
  },
  {
    subject: 'Opening hours',
    tags: ['hours'],
    turns: [
      { role: 'user', text: 'What are your support hours?' },
      {
        role: 'assistant',
        text: 'Our team is online 7am–7pm Pacific, Monday to Saturday. I am here around the clock for tracking, returns and account questions.',
      },
      { role: 'user', text: 'Good to know.' },
    ],
  },
  {
    subject: 'Shipping to Canada',
    tags: ['international'],
    turns: [
      { role: 'user', text: 'Do you ship to Canada? How long does it take?' },
      {
        role: 'assistant',
        text: 'Yes! Standard shipping to Canada takes 4–7 business days and Express 2–3. Duties are shown at checkout so there are no surprises on delivery.',
      },
      { role: 'user', text: 'Perfect.' },
    ],
  },
  {
    subject: "Can't log in",
    tags: ['account'],
    turns: [
      { role: 'user', text: "I can't log in, it says my password is wrong." },
      {
        role: 'assistant',
        text: 'You can reset it at parcelpoint.example/reset — the link is valid for 30 minutes. If the email does not arrive, check your spam folder.',
      },
      { role: 'user', text: 'Still no email after 10 minutes.' },
      {
        role: 'agent',
        text: 'Hi {first}, your account had a typo in the email address. I have fixed it and resent the reset link.',
      },
    ],
  },
  {
    subject: 'Printing labels',
    tags: ['labels'],
    turns: [
      { role: 'user', text: 'My labels print too small on my thermal printer.' },
      {
        role: 'assistant',
        text: 'In Settings > Printing, choose the 4×6 in label size and turn off "fit to page". Most thermal printers then print at full size.',
      },
      { role: 'user', text: 'That fixed it!' },
    ],
  },
  {
    subject: 'Invoice question',
    tags: ['billing'],
    turns: [
      { role: 'user', text: "Where can I download last month's invoice?" },
      {
        role: 'assistant',
        text: 'Invoices are under Account > Billing > Invoices, as PDF and CSV. Each one lists every shipment with its tracking number.',
      },
      { role: 'user', text: 'Found it, thanks.' },
    ],
  },
  {
    subject: 'Refund not received',
    tags: ['refund'],
    escalation: {
      type: 'refund',
      severity: 'medium',
      summary: 'Refund for a returned order not received after 12 days.',
      suggestedAction: 'Check the payment provider and re-issue if needed.',
    },
    turns: [
      { role: 'user', text: 'I returned my order 12 days ago and still have no refund.' },
      {
        role: 'assistant',
        text: 'Sorry for the wait, {first}. Refunds normally take 5 business days after the return scan, so this needs a closer look — I have passed it to our billing team.',
      },
      {
        role: 'agent',
        text: 'Found it: the refund failed because the card had expired. I have re-issued it to your store credit — you should see it now.',
      },
    ],
  },
  {
    subject: 'Cancel my plan',
    tags: ['cancellation'],
    escalation: {
      type: 'other',
      severity: 'low',
      summary: 'Customer asks to cancel their Business plan.',
      suggestedAction: 'Offer a downgrade to Starter before cancelling.',
    },
    turns: [
      { role: 'user', text: 'I want to cancel my Business plan, we ship less now.' },
      {
        role: 'assistant',
        text: 'I can help with that, {first}. Before you go: the Starter plan keeps your history and costs $19/month. Would a downgrade work, or shall I ask the team to cancel?',
      },
      { role: 'user', text: 'Downgrade sounds good actually.' },
      { role: 'agent', text: 'Done — you are on Starter from your next billing date.' },
    ],
  },
];

export const SALES_SCRIPTS: Script[] = [
  {
    subject: 'Pricing for 500 parcels a month',
    tags: ['pricing'],
    turns: [
      { role: 'user', text: 'We ship about 500 parcels a month. Which plan fits?' },
      {
        role: 'assistant',
        text: 'At 500 parcels a month the Business plan is usually best: discounted rates from the first parcel, batch labels and the Shopify integration. Want me to book a 20-minute call to estimate your savings?',
      },
      { role: 'user', text: 'Yes, Thursday morning if possible.' },
      {
        role: 'assistant',
        text: 'Booked for Thursday at 10am Pacific — you will get a calendar invite by email.',
      },
    ],
  },
  {
    subject: 'Shopify integration',
    tags: ['integrations'],
    turns: [
      { role: 'user', text: 'Does Parcelpoint connect to Shopify?' },
      {
        role: 'assistant',
        text: 'Yes — the Shopify app imports orders automatically and writes tracking numbers back to each order. Setup takes about five minutes.',
      },
      { role: 'user', text: 'And WooCommerce?' },
      { role: 'assistant', text: 'WooCommerce is supported through our plugin too, with the same features.' },
    ],
  },
  {
    subject: 'Volume discount',
    tags: ['pricing', 'enterprise'],
    turns: [
      { role: 'user', text: 'Do you offer discounts above 5,000 parcels a month?' },
      {
        role: 'assistant',
        text: 'We do — above 5,000 parcels a month our team builds custom rates. I have passed your details to sales; expect an email within one business day.',
      },
      {
        role: 'agent',
        text: 'Hi {first}, Ethan from sales here. Could you share your average parcel weight and top destinations so I can prepare rates?',
      },
    ],
  },
];
