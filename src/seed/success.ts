/**
 * Seed 002: Helio Analytics' customer-success team: accounts with ARR, stage and health,
 * stakeholders, contracts and entitlements, training modules and progress. Meetings, insights,
 * conversations and approvals are in success-engagement.ts.
 *
 * Size: declarative demo data (the tenant's rows as literals), not logic.
 */
import { accounts, contacts } from '../domains/crm/tables.js';
import { knowledgeSources } from '../domains/knowledge/tables.js';
import {
  type CONTRACT_STATUSES,
  contracts,
  entitlements,
  trainingModules,
  trainingProgress,
} from '../domains/success/tables.js';
import { auditLog } from '../platform/http/tables.js';
import { addDays, daysAgo, plusMinutes, stamp } from './clock.js';
import type { DemoContext, DemoTenant, RowOf } from './context.js';
import { sha256 } from './ids.js';
import { ACCOUNTS, type SeededAccount, TRAINING } from './success-content.js';
import { populateEngagement } from './success-engagement.js';

const TZ = 'America/Chicago';
const SETUP = daysAgo(195);

/** An account as the engagement data needs it. */
const CONTRACT_STATUS = {
  prospect: 'draft',
  onboarding: 'active',
  active: 'active',
  renewal: 'active',
  churned: 'terminated',
} as const;

const LINE_ITEMS = [
  {
    name: 'Analyst seats',
    unit: 'seats',
    category: 'licenses',
    perArr: 0.55,
    qty: (arr: number) => Math.max(10, Math.round(arr / 4_000)),
  },
  {
    name: 'Data connectors',
    unit: 'connectors',
    category: 'platform',
    perArr: 0.25,
    qty: (arr: number) => Math.max(3, Math.round(arr / 30_000)),
  },
  { name: 'Premium support', unit: 'plan', category: 'support', perArr: 0.15, qty: () => 1 },
  { name: 'Onboarding package', unit: 'package', category: 'services', perArr: 0.05, qty: () => 1 },
] as const;

async function populate(ctx: DemoContext): Promise<void> {
  const { write, staff } = ctx;
  const csms = [staff.agent, staff.admin];
  const seeded: SeededAccount[] = ACCOUNTS.map((a, i) => ({
    id: ctx.id(`account:${a.key}`, plusMinutes(SETUP, i)),
    seed: a,
    contactIds: a.people.map((_, n) => ctx.id(`contact:${a.key}:${n}`, plusMinutes(SETUP, 20 + i * 3 + n))),
    csm: csms[i % 2]!,
  }));

  await write.insert(
    accounts,
    seeded.map(({ id, seed: a, csm }, i) => ({
      id,
      name: a.name,
      domain: a.domain,
      industry: a.industry,
      arrCents: a.arr * 100,
      stage: a.stage,
      relationshipStatus: a.relationship,
      healthScore: a.health,
      accountManagerUserId: csm,
      startDate: a.start,
      renewalDate: a.renewal,
      salesforceId: a.stage === 'prospect' ? null : `0015g00000HL${String(1000 + i)}`,
      hubspotId: String(81_000_000 + i * 7_331),
      metadata: { segment: a.arr >= 250_000 ? 'enterprise' : a.arr >= 100_000 ? 'mid-market' : 'smb' },
      ...stamp(plusMinutes(SETUP, i)),
    })),
  );
  await write.insert(
    contacts,
    seeded.flatMap(({ id: accountId, seed: a, contactIds }, i) =>
      a.people.map(([name, role, sentiment], n) => {
        const at = plusMinutes(SETUP, 20 + i * 3 + n);
        const handle = name
          .toLowerCase()
          .replace(/^dr\. /, '')
          .replace(/[^a-z]+/g, '.');
        return {
          id: contactIds[n]!,
          accountId,
          name,
          role,
          email: `${handle}@${a.domain}`,
          phone: `+1312555${String(1000 + i * 10 + n)}`,
          isPrimary: n === 0,
          sentiment,
          linkedinUrl: `https://www.linkedin.com/in/${handle.replace(/\./g, '-')}`,
          notes: n === 0 ? 'Economic buyer. Prefers a short monthly summary by email.' : null,
          tags: ['stakeholder'],
          ...stamp(at),
        };
      }),
    ),
  );

  // One contract per account (its current term), plus the expired previous term of two old accounts.
  const contractRows: RowOf<typeof contracts>[] = [];
  const lineItems: RowOf<typeof entitlements>[] = [];
  seeded.forEach(({ id: accountId, seed: a }, i) => {
    const terms: Array<[string, string, (typeof CONTRACT_STATUSES)[number], number]> = [
      [a.start, addDays(a.renewal, -1), CONTRACT_STATUS[a.stage], a.arr || 48_000],
    ];
    if (a.start < '2024-01-01')
      terms.push([addDays(a.start, -365), addDays(a.start, -1), 'expired', Math.round(a.arr * 0.8)]);
    if (a.stage === 'renewal')
      terms.push([a.renewal, addDays(a.renewal, 729), 'pending', Math.round(a.arr * 1.05)]);
    terms.forEach(([start, end, status, arr], t) => {
      const at = plusMinutes(SETUP, 60 + i * 5 + t);
      const id = ctx.id(`contract:${a.key}:${t}`, at);
      contractRows.push({
        id,
        accountId,
        fileName: `${a.key}-order-form-${start.slice(0, 4)}.pdf`,
        fileUrl: `https://files.helio.example/contracts/${a.key}-${start.slice(0, 4)}.pdf`,
        rawText: `ORDER FORM — ${a.name} and Helio Analytics, Inc. Term: ${start} to ${end}. Annual fee: $${arr.toLocaleString('en-US')}.`,
        companyName: a.name,
        arrCents: arr * 100,
        contractTerm: status === 'pending' ? '24 months, auto-renew' : '12 months, auto-renew',
        startDate: start,
        endDate: end,
        status,
        parsedData: {
          parties: [a.name, 'Helio Analytics, Inc.'],
          governingLaw: 'Delaware',
          paymentTerms: 'Net 30',
        },
        pricingTerms: {
          annualFee: arr,
          currency: 'USD',
          uplift: status === 'pending' ? '5%' : '0%',
          billing: 'annual in advance',
        },
        technicalRequirements: {
          sso: a.arr >= 100_000,
          dataResidency: a.industry === 'Banking' ? 'US' : null,
          uptimeSla: '99.9%',
        },
        missingInfo: status === 'draft' ? { items: ['signatory', 'PO number'] } : null,
        nextSteps: status === 'pending' ? { items: ['legal review', 'countersignature'] } : null,
        ...stamp(at),
      });
      lineItems.push(
        ...LINE_ITEMS.map((li, n) => ({
          id: ctx.id(`entitlement:${a.key}:${t}:${n}`, at),
          contractId: id,
          name: li.name,
          description: `${li.name} for ${a.name}`,
          quantity: li.qty(arr),
          unit: li.unit,
          priceCents: Math.round(arr * li.perArr) * 100,
          category: li.category,
          ...stamp(at),
        })),
      );
    });
  });
  await write.insert(contracts, contractRows);
  await write.insert(entitlements, lineItems);

  const moduleIds = Object.fromEntries(TRAINING.map((m) => [m.key, ctx.id(`training:${m.key}`, SETUP)]));
  await write.insert(
    trainingModules,
    TRAINING.map((m) => ({
      id: moduleIds[m.key]!,
      title: m.title,
      description: `${m.title}: a ${m.minutes}-minute ${m.level} module.`,
      content: `# ${m.title}\n\nLessons, a worked example and a short quiz.`,
      durationMinutes: m.minutes,
      level: m.level,
      category: m.category,
      prerequisites: m.prereq.map((k) => moduleIds[k]!),
      ...stamp(SETUP),
    })),
  );
  const progress: RowOf<typeof trainingProgress>[] = [];
  seeded
    .filter((s) => s.seed.stage !== 'prospect')
    .forEach(({ id: accountId, seed: a, contactIds }, i) => {
      TRAINING.forEach((m, n) => {
        // Account-level progress for every module, and the champion's own progress for the first three.
        const who: Array<string | null> = n < 3 ? [null, contactIds[1]!] : [null];
        for (const contactId of who) {
          const pct = Math.min(100, Math.max(0, a.health + 30 - n * 22 - (contactId ? 0 : 10) + (i % 3) * 7));
          const status = pct >= 100 ? 'completed' : pct > 0 ? 'in_progress' : 'not_started';
          const startedAt = status === 'not_started' ? null : daysAgo(80 - n * 9 - i, 15);
          const completedAt = status === 'completed' ? plusMinutes(startedAt!, 60 * 24 * (3 + n)) : null;
          progress.push({
            id: ctx.id(`progress:${a.key}:${m.key}:${contactId ?? 'account'}`, startedAt ?? SETUP),
            accountId,
            contactId,
            moduleId: moduleIds[m.key]!,
            status,
            progress: pct,
            score: completedAt ? 70 + ((i * 7 + n * 3) % 30) : null,
            startedAt,
            completedAt,
            ...stamp(startedAt ?? SETUP),
            updatedAt: completedAt ?? startedAt ?? SETUP,
          });
        }
      });
    });
  await write.insert(trainingProgress, progress);

  await write.insert(
    knowledgeSources,
    [
      [
        'Renewal playbook',
        'Playbooks',
        'Start renewals 120 days out. At 120 days: health review and success plan refresh. At 90: executive sponsor call. At 60: quote. At 30: signature. Accounts under health 60 get a recovery plan first.',
      ],
      [
        'QBR template',
        'Playbooks',
        'A QBR covers outcomes against the success plan, adoption by team, open support issues, roadmap items the customer asked for, and the renewal timeline. Send the deck two days ahead.',
      ],
      [
        'Onboarding checklist',
        'Onboarding',
        'Week 1: kickoff, SSO, first data connector. Week 2: core dashboards. Week 4: first business review with the champion. Onboarding is done when three teams use the tool weekly.',
      ],
    ].map(([title, category, content], i) => ({
      id: ctx.id(`knowledge:${i}`, plusMinutes(SETUP, 300 + i)),
      kind: 'article' as const,
      status: 'queued' as const,
      title: title!,
      category,
      content,
      contentHash: sha256(content!),
      isPublic: false,
      tags: ['internal', category!.toLowerCase()],
      createdBy: staff.owner,
      ...stamp(plusMinutes(SETUP, 300 + i)),
    })),
  );
  await write.insert(
    auditLog,
    seeded.map(({ id, seed: a, csm }, i) => {
      const at = daysAgo(60 - i * 4, 16);
      return {
        id: ctx.id(`audit:stage:${a.key}`, at),
        actorType: 'user' as const,
        actorId: csm,
        action: 'account.updated',
        resourceType: 'account',
        resourceId: id,
        accountId: id,
        oldValues: { healthScore: Math.min(100, a.health + 6) },
        newValues: { healthScore: a.health, stage: a.stage },
        ip: `10.20.${i}.14`,
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Frontdesk Console',
        createdAt: at,
      };
    }),
  );

  await populateEngagement(ctx, seeded, TZ);
}

export const success: DemoTenant = {
  slug: 'helio',
  plan: 'enterprise',
  tenant: {
    name: 'Helio Analytics',
    tenantType: 'b2b_saas',
    domain: 'helio.example',
    websiteUrl: 'https://helio.example',
    brandConfig: {
      productName: 'Helio Success',
      colors: { primary: '#4F46E5', secondary: '#F59E0B' },
      showPoweredBy: false,
    },
    emailConfig: {
      fromName: 'Helio Customer Success',
      fromEmail: 'success@helio.example',
      replyTo: 'success@in.helio.example',
    },
    timezone: TZ,
    locale: 'en-US',
    vertical: 'customer_success',
    subscriptionStatus: 'active',
    enabledModules: ['success'],
  },
  staff: [
    { role: 'owner', name: 'Dana Brooks' },
    { role: 'admin', name: 'Carlos Vega' },
    { role: 'agent', name: 'Emma Lindgren' },
    { role: 'viewer', name: "Kevin O'Neil" },
  ],
  populate,
};
