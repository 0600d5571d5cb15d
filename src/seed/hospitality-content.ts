/**
 * Texts of the vacation-rental demo tenant (seed 003): guest conversations, the FAQ, and the
 * scheduled T-3 / T-1 / day-of message templates.
 *
 * Size: declarative demo data (the tenant's rows as literals), not logic.
 */
import type { TemplateTrigger } from '../domains/content/tables.js';

export interface FaqCategorySeed {
  slug: string;
  name: string;
  examples: string[];
  items: Array<[question: string, answer: string]>;
}

export const FAQ: FaqCategorySeed[] = [
  {
    slug: 'wifi',
    name: 'Wi-Fi & entertainment',
    examples: ["What's the wifi password?", 'Is there Netflix?'],
    items: [
      [
        'What is the wifi password?',
        'The network name and password are on the card inside the pantry door of every property.',
      ],
      [
        'The internet is slow or not working.',
        'Restart the router (hallway cupboard) by switching it off for 30 seconds. If it is still down, message us and we will call the provider.',
      ],
      [
        'Is there a smart TV?',
        'Yes. Every property has a smart TV with Netflix and Stan; log in with your own account and log out before you leave.',
      ],
    ],
  },
  {
    slug: 'parking',
    name: 'Parking',
    examples: ['Is there parking?', 'Can I park a boat trailer?'],
    items: [
      [
        'Is parking included?',
        'Every property has one off-street space. Details for each property are in your T-1 message.',
      ],
      [
        'Is there EV charging?',
        'Bondi and Noosa have a 7 kW charger in the garage; bring your own Type 2 cable.',
      ],
      [
        'Can I park a trailer or boat?',
        'Not on site; the council car park two streets away allows trailers overnight.',
      ],
    ],
  },
  {
    slug: 'check-in',
    name: 'Check-in',
    examples: ['What time is check-in?', "What's the lockbox code?"],
    items: [
      ['What time is check-in?', 'Check-in is from 3pm local time at every property.'],
      [
        'How do I get in?',
        'Each property has a lockbox. The code is sent on the morning of arrival to the phone number on the booking.',
      ],
      [
        'Can I check in early?',
        'Early check-in depends on the cleaners; ask us the day before and we will confirm by 10am on the day.',
      ],
    ],
  },
  {
    slug: 'checkout',
    name: 'Checkout',
    examples: ['What time is checkout?', 'Can we leave late?'],
    items: [
      ['What time is checkout?', 'Checkout is 10am.'],
      [
        'Can we check out late?',
        'Late checkout until 12pm is free when there is no arrival that day; ask us the evening before.',
      ],
      [
        'What should we do before leaving?',
        'Start the dishwasher, leave used towels in the laundry, take rubbish to the bins and return the key to the lockbox.',
      ],
    ],
  },
  {
    slug: 'pets',
    name: 'Pets',
    examples: ['Can I bring my dog?'],
    items: [
      [
        'Are pets allowed?',
        'Dogs are welcome at Byron Hinterland Cottage and Noosa Riverside Villa (max two, $50 cleaning fee). The other properties are pet-free.',
      ],
      [
        'Are assistance animals allowed?',
        'Yes, assistance animals are welcome at every property, free of charge.',
      ],
    ],
  },
  {
    slug: 'amenities',
    name: 'Amenities',
    examples: ['Is there a BBQ?', 'Are beach towels provided?'],
    items: [
      [
        'Are beach towels provided?',
        'Yes, beach towels are in the linen press. Please do not take bath towels to the beach.',
      ],
      [
        'Is there a BBQ?',
        'Every property except the Hobart apartment has a gas BBQ; a spare gas bottle is in the garage.',
      ],
      [
        'Is the pool heated?',
        'The Noosa pool is heated from April to October; the Bondi plunge pool is not heated.',
      ],
    ],
  },
  {
    slug: 'local-area',
    name: 'Local area',
    examples: ['Where can we eat?', 'Where is the nearest supermarket?'],
    items: [
      [
        'Where is the nearest supermarket?',
        'The guidebook on the coffee table lists the nearest supermarket, pharmacy and bottle shop for your property.',
      ],
      [
        'Any restaurant recommendations?',
        'Our favourites are in the guidebook; book ahead for Friday and Saturday nights.',
      ],
    ],
  },
  {
    slug: 'house-rules',
    name: 'House rules',
    examples: ['Can we have a party?', 'Can we smoke outside?'],
    items: [
      ['Are parties allowed?', 'No parties or events. Quiet time is 10pm to 8am; neighbours are close.'],
      [
        'Is smoking allowed?',
        'No smoking or vaping inside. Smoking is allowed only in the marked area of the garden, away from windows.',
      ],
      [
        'How many guests can stay?',
        'Only the guests on the booking may stay overnight; the maximum is on your booking confirmation.',
      ],
    ],
  },
];

/** [channel, trigger, name, subject, body]: the scheduled guest messages. */
export const TEMPLATES: Array<
  [channel: 'sms' | 'email' | 'telegram', TemplateTrigger, string, string | null, string]
> = [
  [
    'sms',
    'T_MINUS_3',
    'Three days to go (SMS)',
    null,
    'Hi {{guest_first_name}}, {{assistant_name}} from Paradise Stays here — 3 days until {{property_name}}! Check-in is from {{checkin_time}}. Reply to this number any time with questions.',
  ],
  [
    'sms',
    'T_MINUS_1',
    'See you tomorrow (SMS)',
    null,
    'Hi {{guest_first_name}}, see you tomorrow at {{property_name}}, {{property_address}}. Parking: {{parking_info}}. Your door code arrives tomorrow morning.',
  ],
  [
    'sms',
    'DAY_OF',
    'Arrival day (SMS)',
    null,
    'Welcome day! Lockbox code for {{property_name}}: {{lockbox_code}}. Check-in from {{checkin_time}}. Wi-Fi details are inside the pantry door. Enjoy!',
  ],
  [
    'sms',
    'CHECK_OUT',
    'Checkout reminder (SMS)',
    null,
    'Hi {{guest_first_name}}, a reminder that checkout is {{checkout_time}} tomorrow. Please leave the key in the lockbox. Safe travels!',
  ],
  [
    'email',
    'BOOKING_CONFIRMED',
    'Booking confirmation',
    'Your stay at {{property_name}} is confirmed',
    'Hi {{guest_first_name}},\n\nThank you for booking {{property_name}} from {{check_in}} to {{check_out}}. We will be in touch before you arrive.\n\nThe Paradise Stays team',
  ],
  [
    'email',
    'T_MINUS_3',
    'Three days to go',
    'Getting ready for {{property_name}}',
    "Hi {{guest_first_name}},\n\nYour stay at {{property_name}} starts in 3 days. Check-in is from {{checkin_time}}; if you'd like to arrive early, just reply to this email.\n\n{{assistant_name}}, Paradise Stays",
  ],
  [
    'email',
    'T_MINUS_1',
    'Arrival details',
    'Arrival details for tomorrow',
    'Hi {{guest_first_name}},\n\nAddress: {{property_address}}\nParking: {{parking_info}}\nCheck-in: from {{checkin_time}}\n\nYour lockbox code arrives tomorrow morning by SMS.',
  ],
  [
    'email',
    'DAY_OF',
    'Welcome',
    'Welcome to {{property_name}}',
    'Hi {{guest_first_name}},\n\nYour lockbox code is {{lockbox_code}}. House guide: {{guide_url}}. Message us any time — we reply between 8am and 10pm.',
  ],
  [
    'email',
    'POST_STAY',
    'Thank you for staying',
    'How was {{property_name}}?',
    'Hi {{guest_first_name}},\n\nThank you for staying with us. We would love a review: {{review_url}}\n\nThe Paradise Stays team',
  ],
  [
    'telegram',
    'DAY_OF',
    'Arrival day (Telegram)',
    null,
    'Welcome to {{property_name}}, {{guest_first_name}}! 🏡 Lockbox code: {{lockbox_code}}. Check-in from {{checkin_time}}.',
  ],
];

export const PROMPTS = [
  'You are Mark, the guest assistant for Paradise Stays. Answer guest questions politely.',
  'You are Mark, the guest assistant for Paradise Stays holiday rentals in Australia. Answer questions about the stay using the property details and FAQ. Keep SMS replies under 300 characters. Escalate refunds, complaints and emergencies.',
  'You are Mark, the guest concierge of Paradise Stays, a holiday-rental company with properties in NSW, Queensland and Tasmania.\n\n- Answer only from the property details, house rules and FAQ; never invent codes, prices or policies.\n- Never send lockbox codes except to the phone number on the booking.\n- Keep SMS replies under 300 characters; email replies may be longer.\n- Escalate refunds, complaints, emergencies and booking changes to the team and tell the guest a person will follow up.\n- Be warm and brief. Sign off as Mark.',
  'DRAFT — as v3, plus: mention the Noosa pool heating season when guests ask about the pool, and offer the guidebook link for local recommendations.',
];

export const PROPERTIES = [
  {
    key: 'bondi',
    name: 'Bondi Beach House',
    address: '12 Campbell Parade, Bondi Beach NSW 2026',
    tz: 'Australia/Sydney',
    beds: 3,
    wifi: 'BondiBeachHouse',
    parking: 'One space in the garage off the rear lane; the remote is on the key ring.',
    pets: 'Sorry, Bondi Beach House is pet-free.',
  },
  {
    key: 'manly',
    name: 'Manly Harbour Loft',
    address: '3/48 East Esplanade, Manly NSW 2095',
    tz: 'Australia/Sydney',
    beds: 2,
    wifi: 'ManlyLoft5G',
    parking: 'Bay 14 in the basement; enter from Belgrave St with the fob.',
    pets: 'Sorry, the building does not allow pets.',
  },
  {
    key: 'byron',
    name: 'Byron Hinterland Cottage',
    address: '88 Coopers Shoot Rd, Byron Bay NSW 2481',
    tz: 'Australia/Sydney',
    beds: 2,
    wifi: 'HinterlandCottage',
    parking: 'Plenty of space on the gravel drive by the cottage.',
    pets: 'Dogs are welcome (max two, $50 cleaning fee); the yard is fully fenced.',
  },
  {
    key: 'noosa',
    name: 'Noosa Riverside Villa',
    address: '7 Gympie Terrace, Noosaville QLD 4566',
    tz: 'Australia/Brisbane',
    beds: 4,
    wifi: 'NoosaVilla',
    parking: 'Double garage plus one space on the driveway.',
    pets: 'Dogs are welcome outside and on the deck (max two, $50 cleaning fee).',
  },
  {
    key: 'hobart',
    name: 'Salamanca Waterfront Apartment',
    address: '21 Salamanca Place, Hobart TAS 7000',
    tz: 'Australia/Hobart',
    beds: 2,
    wifi: 'SalamancaApt',
    parking: 'One undercover space, level 1, bay 7.',
    pets: 'Sorry, the apartment is pet-free.',
  },
] as const;

export const GUESTS = [
  'Emily Carter',
  'Jack Thompson',
  'Sophie Nguyen',
  'Oliver Smith',
  'Isla Wilson',
  'Lachlan Brown',
  'Ruby Martin',
  'Cooper White',
  'Matilda Taylor',
  'Harrison Lee',
  'Zoe Anderson',
  'Archie Walker',
  'Grace Hall',
  'Hamish Young',
  'Charlotte King',
  'Thomas Wright',
  'Mia Scott',
  'Riley Green',
  'Amelia Baker',
  'Leo Adams',
  'Evie Campbell',
  'Max Mitchell',
  'Harper Roberts',
  'William Turner',
] as const;

export const EARLY = 'Early check-in from 12pm is free when the property is ready; ask the day before.';
export const LATE = 'Late checkout until 12pm is free when nobody arrives that day; later is $40 per hour.';

/** The SMS number, inbound email address and Telegram bot guests write to. */
export const GUEST_CHANNELS = [
  {
    key: 'sms',
    kind: 'sms',
    name: 'Guest SMS (+61 480 000 123)',
    account: '+61480000123',
    config: { provider: 'twilio', messagingServiceSid: 'MG0000demo' },
  },
  {
    key: 'email',
    kind: 'email',
    name: 'Guest email',
    account: 'stay@in.paradisestays.example',
    config: { provider: 'smtp', fromName: 'Paradise Stays' },
  },
  {
    key: 'telegram',
    kind: 'telegram',
    name: 'Telegram @ParadiseStaysBot',
    account: '7012345678',
    config: { botUsername: 'ParadiseStaysBot' },
  },
] as const;
