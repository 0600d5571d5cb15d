/** Guest conversations of the vacation-rental demo tenant, by SMS, email and Telegram. */
import type { Script } from './threads.js';

export const GUEST_SCRIPTS: Script[] = [
  {
    subject: 'Wi-Fi password at {property}',
    tags: ['wifi'],
    turns: [
      { role: 'user', text: "Hi, we've just arrived at {property} — what's the wifi password?" },
      {
        role: 'assistant',
        text: 'Welcome, {first}! The network is "{wifi}" and the password is on the card inside the pantry door. The router is in the hallway cupboard if you need to restart it.',
      },
      { role: 'user', text: 'Found it, all connected. Thanks {assistant}!' },
    ],
  },
  {
    subject: 'Parking at {property}',
    tags: ['parking'],
    turns: [
      { role: 'user', text: 'Is there parking at {property}? We are driving up on Friday.' },
      { role: 'assistant', text: 'Yes — {parking}' },
      { role: 'user', text: 'Can we fit a second car?' },
      {
        role: 'assistant',
        text: 'There is only the one bay, but the street is unrestricted after 6pm and on weekends.',
      },
    ],
  },
  {
    subject: 'Early check-in request',
    tags: ['check-in'],
    turns: [
      { role: 'user', text: 'Our flight lands at 9am — any chance we can check in early?' },
      { role: 'assistant', text: 'Check-in is from 3pm. {early} I have asked the team to confirm for you.' },
      {
        role: 'agent',
        text: 'Hi {first}, good news: the cleaners will be done by 12:30, so you can head in from 1pm.',
      },
      { role: 'user', text: 'Amazing, thank you!' },
    ],
  },
  {
    subject: 'Late checkout',
    tags: ['checkout'],
    turns: [
      { role: 'user', text: 'Could we leave at 1pm instead of 10am on our last day?' },
      { role: 'assistant', text: '{late} Shall I check with the team for your dates?' },
      { role: 'user', text: 'Yes please.' },
      {
        role: 'agent',
        text: 'All sorted {first} — 12pm checkout is yours, no charge. Enjoy the last morning.',
      },
    ],
  },
  {
    subject: 'Bringing a dog',
    tags: ['pets'],
    turns: [
      { role: 'user', text: 'We have a small, very well behaved cavoodle. Can she come?' },
      { role: 'assistant', text: '{pets}' },
      { role: 'user', text: 'Ok, thanks for letting me know.' },
    ],
  },
  {
    subject: 'Lockbox code',
    tags: ['check-in', 'access'],
    turns: [
      { role: 'user', text: "What's the lockbox code? I can't find the email." },
      {
        role: 'assistant',
        text: "For security I can only send the code to the phone number on the booking, {first}. I've just texted it to you — it's also in your day-of message.",
      },
      { role: 'user', text: 'Got it, we are in.' },
    ],
  },
  {
    subject: 'Air conditioning not working',
    tags: ['maintenance'],
    turns: [
      { role: 'user', text: "The air con in the main bedroom isn't turning on. It's really hot tonight." },
      {
        role: 'assistant',
        text: "Sorry about that, {first}. Please check the isolator switch on the wall beside the unit is on, then use the remote's MODE button to pick the snowflake. Did that help?",
      },
      { role: 'user', text: 'Switch is on, still nothing.' },
      {
        role: 'agent',
        text: "Thanks for checking — I've booked our technician for 8am tomorrow and there's a pedestal fan in the laundry cupboard for tonight. Really sorry for the trouble.",
        internal: false,
      },
      {
        role: 'agent',
        text: 'Tech booked with CoolAir, job #4471. Offer a partial refund if not fixed by noon.',
        internal: true,
      },
    ],
  },
  {
    subject: 'Extra towels',
    tags: ['housekeeping'],
    turns: [
      { role: 'user', text: 'Hi, could we get a few extra beach towels?' },
      {
        role: 'assistant',
        text: 'Of course! There are beach towels in the linen press at the end of the hallway. If you need more bath towels, reply "towels" and we will drop some off tomorrow morning.',
      },
      { role: 'user', text: 'Towels please, 4 would be great.' },
      { role: 'assistant', text: 'Done — four bath towels will be left at the door by 11am tomorrow.' },
    ],
  },
  {
    subject: 'Restaurant recommendations',
    tags: ['local-area'],
    turns: [
      { role: 'user', text: 'Any good dinner spots near {property}? Something casual.' },
      {
        role: 'assistant',
        text: 'Guests love the fish and chips at the wharf (10 minutes on foot) and the Thai place on the main street — book ahead on weekends. The guidebook on the coffee table has a full list.',
      },
      { role: 'user', text: 'Perfect, thanks.' },
    ],
  },
  {
    subject: 'Refund request',
    tags: ['refund'],
    escalation: {
      type: 'refund',
      severity: 'high',
      summary: 'Guest asks for a partial refund after the pool heating failed for two days.',
      suggestedAction: 'Offer one night refunded; confirm pool repair date.',
    },
    turns: [
      {
        role: 'user',
        text: "The pool heating has been broken since we arrived and it was the main reason we booked. I'd like a partial refund.",
      },
      {
        role: 'assistant',
        text: "I'm sorry, {first} — that's not the stay you paid for. I've passed this to our guest team, who handle refunds, and someone will reply within the hour.",
      },
      {
        role: 'agent',
        text: "Hi {first}, I'm sorry about the pool. We've refunded one night to your card; it should appear in 3–5 business days.",
      },
      { role: 'user', text: 'Thank you, that is fair.' },
    ],
  },
  {
    subject: 'Noise complaint',
    tags: ['complaint'],
    escalation: {
      type: 'complaint',
      severity: 'medium',
      summary: 'Guest complains about building works starting at 7am next door.',
      suggestedAction: 'Apologise, share the council permit hours, offer late checkout.',
    },
    turns: [
      {
        role: 'user',
        text: 'There is construction next door starting at 7am every day. Nobody told us about this!',
      },
      {
        role: 'assistant',
        text: "That's really frustrating, {first}, and I'm sorry it wasn't mentioned. I've flagged it to our team right away.",
      },
      {
        role: 'agent',
        text: "Hi {first}, we've just been told the works run until Friday. We'd like to offer you a free late checkout and a restaurant voucher — would that help?",
      },
      { role: 'user', text: 'That would help, thanks.' },
    ],
  },
  {
    subject: 'Change of dates',
    tags: ['booking'],
    escalation: {
      type: 'booking_change',
      severity: 'low',
      summary: 'Guest wants to move the stay by two days.',
      suggestedAction: 'Check availability and re-quote.',
    },
    turns: [
      { role: 'user', text: 'Can we push our booking back by two days? Work has got in the way.' },
      {
        role: 'assistant',
        text: "I'll check that for you, {first}. Date changes are handled by the team, so I've passed it on — they'll confirm availability shortly.",
      },
      {
        role: 'agent',
        text: "Good news — the new dates are free. I've moved the booking; the price is the same.",
      },
    ],
  },
  {
    subject: 'Water leaking from ceiling',
    tags: ['emergency', 'maintenance'],
    escalation: {
      type: 'emergency',
      severity: 'critical',
      summary: 'Water leaking through the bathroom ceiling light fitting.',
      suggestedAction: 'Call the on-call plumber; tell the guest to switch off the bathroom circuit.',
    },
    turns: [
      { role: 'user', text: 'URGENT water is dripping from the bathroom ceiling light!!' },
      {
        role: 'assistant',
        text: 'Please stay out of the bathroom and switch off the circuit marked "Bathroom" in the meter box by the front door. I am alerting our on-call team now.',
      },
      {
        role: 'agent',
        text: "{first}, our plumber is 20 minutes away. Thank you for acting so quickly — we'll make this right.",
      },
      { role: 'user', text: 'Ok the power is off. Thank you.' },
    ],
  },
  {
    subject: 'Checkout instructions',
    tags: ['checkout'],
    turns: [
      { role: 'user', text: 'What do we need to do before we leave tomorrow?' },
      {
        role: 'assistant',
        text: 'Just load and start the dishwasher, put used towels in the laundry, take rubbish to the bins at the side gate and pop the key back in the lockbox. Checkout is 10am. Safe travels, {first}!',
      },
      { role: 'user', text: 'Easy, thanks!' },
    ],
  },
];
