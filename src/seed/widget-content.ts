/**
 * Texts of the chat-widget demo tenant (seed 004): widget conversations for the support and
 * sales agents, canned responses and help-centre articles.
 */

export const CANNED: Array<[shortcut: string, title: string, category: string, content: string]> = [
  [
    'tracking',
    'Tracking link',
    'Shipping',
    'You can follow your parcel live at parcelpoint.example/track — just enter the tracking number starting with PP.',
  ],
  [
    'refund-policy',
    'Refund policy',
    'Returns',
    'Refunds are issued within 5 business days of the return scan, to the original payment method.',
  ],
  [
    'return-label',
    'Return label',
    'Returns',
    'Start your return at parcelpoint.example/returns to print a free prepaid label (domestic orders).',
  ],
  [
    'address-change',
    'Address change',
    'Shipping',
    'I have updated the delivery address. If the parcel already left the depot, the courier will redirect it within 24 hours.',
  ],
  [
    'lost-parcel',
    'Lost parcel trace',
    'Claims',
    'I have opened a trace with the courier. Traces take up to 3 business days; if the parcel is not found we will send a replacement or refund.',
  ],
  [
    'damaged',
    'Damaged item claim',
    'Claims',
    'Please upload photos of the box and the item at parcelpoint.example/claims so we can approve your claim quickly.',
  ],
  ['hours', 'Support hours', 'General', 'Our team is online 7am–7pm Pacific, Monday to Saturday.'],
  [
    'pricing',
    'Plans overview',
    'Sales',
    'Starter $19/month, Business $79/month with discounted rates, Enterprise with custom rates. Full details: parcelpoint.example/pricing',
  ],
  [
    'api-docs',
    'API documentation',
    'Developers',
    'Our REST API and webhooks are documented at developers.parcelpoint.example.',
  ],
  [
    'thanks',
    'Closing',
    'General',
    'Thanks for reaching out! Is there anything else I can help you with today?',
  ],
];

export const ARTICLES: Array<{ title: string; category: string; content: string }> = [
  {
    title: 'Tracking your parcel',
    category: 'Shipping',
    content:
      'Every shipment gets a tracking number starting with PP. Enter it at parcelpoint.example/track to see live status. Status "At depot" means the parcel is in your city; "Out for delivery" means it arrives today before 6pm.',
  },
  {
    title: 'Returns and refunds',
    category: 'Returns',
    content:
      'Items can be returned within 30 days. Domestic return labels are free; international returns cost $9.95. Refunds are issued within 5 business days after the return is scanned.',
  },
  {
    title: 'Shipping rates and zones',
    category: 'Shipping',
    content:
      'Rates depend on weight and zone. Zone 1 covers your own state; zone 5 covers Alaska and Hawaii. Business plans get up to 38% off retail rates. Canada and Mexico ship at international rates.',
  },
  {
    title: 'Damaged or lost parcels',
    category: 'Claims',
    content:
      'Report damage within 7 days with photos at parcelpoint.example/claims. Parcels marked delivered but not received can be traced after 24 hours. Approved claims are refunded or replaced.',
  },
  {
    title: 'Changing a delivery address',
    category: 'Shipping',
    content:
      'Addresses can be changed until the parcel leaves the depot. After that, the courier can redirect it for a $4 fee. Contact support with the tracking number.',
  },
  {
    title: 'API and integrations',
    category: 'Developers',
    content:
      'Parcelpoint integrates with Shopify, WooCommerce and BigCommerce. The REST API creates shipments, buys labels and registers webhooks for tracking events.',
  },
];

export const AGENTS = [
  {
    key: 'support',
    template: 'support',
    name: 'Parcel Support',
    assistant: 'Pip',
    type: 'support',
    status: 'active',
    welcome: 'Hi! I am Pip. Ask me about tracking, returns or your account.',
  },
  {
    key: 'sales',
    template: 'sales',
    name: 'Parcel Sales',
    assistant: 'Sky',
    type: 'sales',
    status: 'active',
    welcome: 'Shipping more than 100 parcels a month? Let me find you the best plan.',
  },
  {
    key: 'faq',
    template: 'faq',
    name: 'Quick FAQ',
    assistant: 'Pip',
    type: 'general',
    status: 'paused',
    welcome: 'Quick answers to common questions.',
  },
  {
    key: 'onboarding',
    template: 'onboarding',
    name: 'Onboarding Guide',
    assistant: 'Pip',
    type: 'success',
    status: 'draft',
    welcome: 'Welcome to Parcelpoint! Let us get your first label printed.',
  },
] as const;

export const VISITORS = [
  'Olivia Park',
  'Marcus Reed',
  'Priya Das',
  'Tyler Brooks',
  'Hana Sato',
  'Diego Alvarez',
  'Emma Larsen',
  'Caleb Ward',
  'Fatima Noor',
  'Ryan Cho',
  'Nina Petrova',
  'Luis Ortega',
  'Ava Morgan',
  'Jamal Price',
  'Elena Rossi',
  'Kenji Mori',
  'Sara Lund',
  'Omar Aziz',
  'Bella Hart',
  'Victor Huang',
] as const;
