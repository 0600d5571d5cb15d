/**
 * The customer-success tenant's engagement data: meetings with transcripts, insights of every
 * type, email threads with stakeholders and CSM assistant sessions, and the approvals the
 * assistant asked for (pending, approved, rejected, edited, expired).
 */
import { agents, promptVersions } from '../domains/ai/tables.js';
import { channels } from '../domains/channels/tables.js';
import { approvals } from '../domains/conversations/tables.js';
import { insights, meetings, transcripts } from '../domains/success/tables.js';
import { ANCHOR, DAY, daysAgo, plusMinutes, stamp } from './clock.js';
import type { DemoContext, RowOf } from './context.js';
import { writeThreads } from './rollups.js';
import { INSIGHTS, MEETING_TYPES, type SeededAccount } from './success-content.js';
import { CSM_SCRIPTS, EMAIL_SCRIPTS } from './success-scripts.js';
import { buildThreads, endThreadAt, type MessageRow, type Person, type Thread } from './threads.js';

const SETUP = daysAgo(190);
const SOURCES = ['meeting', 'email', 'crm', 'agent', 'conversation', 'manual'] as const;
const IMPORTANCE = ['low', 'medium', 'high', 'critical'] as const;
const INSIGHT_STATUS = ['open', 'in_progress', 'done', 'dismissed'] as const;

export async function populateEngagement(
  ctx: DemoContext,
  accounts: SeededAccount[],
  tz: string,
): Promise<void> {
  const { write, staff, rng } = ctx;

  // Meetings: a QBR and a check-in behind each customer, one upcoming, some cancelled or missed.
  const meetingRows: RowOf<typeof meetings>[] = [];
  const transcriptRows: RowOf<typeof transcripts>[] = [];
  const insightRows: RowOf<typeof insights>[] = [];
  accounts.forEach(({ id: accountId, seed: a, contactIds }, i) => {
    const plan: Array<[number, number, 'completed' | 'scheduled' | 'cancelled' | 'no_show']> = [
      [0, 70 - i * 2, 'completed'],
      [1, 28 - i, i % 5 === 4 ? 'no_show' : 'completed'],
      [a.health < 60 ? 2 : 1, -(3 + i), i % 4 === 3 ? 'cancelled' : 'scheduled'],
    ];
    plan.forEach(([type, ago, status], n) => {
      const kind = MEETING_TYPES[type]!;
      const at = daysAgo(ago, 15 + (i % 4));
      const id = ctx.id(`meeting:${a.key}:${n}`, at);
      const attendees = a.people
        .slice(0, 2 + (n % 2))
        .map(([name, role]) => ({ name, role, external: true }));
      meetingRows.push({
        id,
        accountId,
        title: `${kind.title} — ${a.name}`,
        description: `${kind.title} with ${a.people[0]![0]} and team.`,
        scheduledAt: at,
        durationMinutes: kind.minutes,
        status,
        meetingUrl: `https://meet.helio.example/${a.key}-${n}`,
        calendarEventId: `evt_${a.key}_${n}_${at.getTime().toString(36)}`,
        attendees: [...attendees, { name: 'Emma Lindgren', role: 'CSM', external: false }],
        agenda: { items: [...kind.agenda] },
        ...stamp(daysAgo(ago + 10)),
        updatedAt: status === 'scheduled' ? daysAgo(ago + 10) : at,
      });
      if (status !== 'completed') return;
      const [champion, buyer] = [a.people[1]![0], a.people[0]![0]];
      const lines = [
        `Emma: Thanks for making time. Let's start with wins since our last ${type === 0 ? 'review' : 'call'}.`,
        `${champion}: Adoption is up — the ops team now uses the weekly dashboard every Monday.`,
        `${buyer}: The refresh delays last month were painful, though. Executives noticed.`,
        'Emma: Understood. We moved you to hourly refresh and added monitoring so we see delays first.',
        `${champion}: Good. We'd also like to pilot forecasting with Finance.`,
        'Emma: I will send the pilot order form and the SSO guide by Friday.',
      ];
      const content = lines.join('\n');
      transcriptRows.push({
        id: ctx.id(`transcript:${id}`, plusMinutes(at, kind.minutes + 5)),
        meetingId: id,
        content,
        durationSeconds: kind.minutes * 60 - 120,
        speakers: [
          { name: 'Emma Lindgren', talkPct: 42 },
          { name: champion, talkPct: 38 },
          { name: buyer, talkPct: 20 },
        ],
        wordCount: content.split(/\s+/).length,
        ...stamp(plusMinutes(at, kind.minutes + 5)),
      });
      for (let k = 0; k < 3; k++) {
        const idx = (i * 3 + n * 2 + k) % INSIGHTS.length;
        const insight = INSIGHTS[idx]!;
        const iat = plusMinutes(at, kind.minutes + 10 + k);
        insightRows.push({
          id: ctx.id(`insight:${id}:${k}`, iat),
          accountId,
          meetingId: id,
          source: k === 2 ? SOURCES[(i + n) % SOURCES.length]! : 'meeting',
          type: insight.type,
          content: insight.text,
          importance: IMPORTANCE[(idx + i) % IMPORTANCE.length]!,
          owner: insight.type === 'action_item' ? (k % 2 ? 'Emma Lindgren' : champion) : null,
          dueDate:
            insight.type === 'action_item'
              ? daysAgo(ago - 7)
                  .toISOString()
                  .slice(0, 10)
              : null,
          status: INSIGHT_STATUS[(i + k + n) % INSIGHT_STATUS.length]!,
          metadata: { contactId: contactIds[k % contactIds.length] },
          ...stamp(iat),
        });
      }
    });
  });
  await write.insert(meetings, meetingRows);
  await write.insert(transcripts, transcriptRows);
  await write.insert(insights, insightRows);

  const agentId = ctx.id('agent:cs-copilot', SETUP);
  await write.insert(agents, [
    {
      id: agentId,
      name: 'CS Copilot',
      assistantName: 'Helio Copilot',
      description:
        'Drafts stakeholder replies and follow-ups for CSM approval; prepares meetings; flags risk.',
      type: 'success',
      status: 'active',
      modelConfig: { model: 'claude-3-5-sonnet', temperature: 0.3 },
      toolsConfig: { tools: ['account_lookup', 'meeting_notes', 'draft_email', 'request_approval'] },
      escalationConfig: { churnRiskHealthBelow: 60 },
      autoReplyEnabled: false,
      confidenceThreshold: 0.8,
      templateId: ctx.templates['customer-success'] ?? null,
      createdBy: staff.owner,
      ...stamp(SETUP),
    },
  ]);
  const promptId = ctx.id('prompt:cs-copilot:v1', SETUP);
  await write.insert(promptVersions, [
    {
      id: promptId,
      agentId,
      version: 1,
      content:
        'You are the Helio Analytics customer-success copilot. Draft replies to stakeholders in a warm, specific, concise tone; every external message is a draft for the CSM to approve. When asked about an account, cite health, stage, recent meetings and open concerns.',
      isPublished: true,
      publishedAt: plusMinutes(SETUP, 30),
      publishedBy: staff.owner,
      createdBy: staff.owner,
      ...stamp(SETUP),
    },
  ]);
  const emailId = ctx.id('channel:email', SETUP);
  await write.insert(channels, [
    {
      id: emailId,
      kind: 'email',
      name: 'success@helio.example',
      externalAccountId: 'success@in.helio.example',
      agentId,
      config: { provider: 'smtp' },
      ...stamp(SETUP),
    },
  ]);

  const stakeholderPeople: Person[] = accounts
    .filter((a) => a.seed.stage !== 'churned')
    .flatMap((a) =>
      a.seed.people.map(([name], n) => ({
        contactId: a.contactIds[n]!,
        name,
        accountId: a.id,
        vars: { company: a.seed.name },
      })),
    );
  const accountPeople: Person[] = accounts.map((a) => ({
    contactId: null,
    name: a.seed.people[0]![0],
    accountId: a.id,
    vars: { company: a.seed.name, health: String(a.seed.health), stage: a.seed.stage },
  }));
  const common = {
    closers: false,
    agentId,
    promptVersionId: promptId,
    assistantName: 'Helio Copilot',
    model: 'claude-3-5-sonnet',
    daysBack: 75,
    id: ctx.id,
    rng,
  };
  const email = buildThreads({
    ...common,
    key: 'email',
    count: 40,
    scripts: EMAIL_SCRIPTS,
    people: stakeholderPeople,
    channels: [{ id: emailId, kind: 'email' }],
    staffUserIds: [staff.agent, staff.admin],
    replyDelaySeconds: [20, 120],
    externalMessageId: () => `<${rng.hex(24)}@mail.helio.example>`,
  });
  const sessions = buildThreads({
    ...common,
    key: 'session',
    count: 20,
    scripts: CSM_SCRIPTS,
    people: accountPeople,
    channels: [null],
    staffUserIds: [staff.agent, staff.admin],
    startedByStaff: true,
    replyDelaySeconds: [3, 15],
  });
  const approvalRows = [...email, ...sessions].map((t, n) => approvalFor(ctx, t, n, agentId));
  await writeThreads(ctx, [...email, ...sessions], tz);
  await write.insert(approvals, approvalRows);
}

const STATUSES = [
  'pending',
  'approved',
  'approved',
  'rejected',
  'edited',
  'pending',
  'approved',
  'expired',
] as const;
const ACTIONS = ['send_follow_up_email', 'schedule_meeting', 'update_crm_stage'] as const;

/**
 * The approval the assistant asked for in a thread: its last AI message is the draft. Nothing
 * after an unsent draft happened: a pending or expired draft ends the thread, a rejected one is
 * followed by the CSM's own reply, and an edited one went out with the CSM's text.
 */
function approvalFor(ctx: DemoContext, t: Thread, n: number, agentId: string): RowOf<typeof approvals> {
  const draft = [...t.messages].reverse().find((m) => m.role === 'assistant')!;
  const status = STATUSES[n % STATUSES.length]!;
  const original = draft.content;
  const requestedAt = plusMinutes(draft.createdAt, -1);
  const expiresAt = plusMinutes(requestedAt, 60 * 48);
  const resolvedAt =
    status === 'pending' ? null : status === 'expired' ? expiresAt : plusMinutes(requestedAt, 12 + (n % 50));
  draft.requiresApproval = true;
  if (status === 'pending' || status === 'rejected' || status === 'expired') {
    draft.deliveryStatus = null;
    draft.isInternal = true;
    const own: MessageRow[] = [];
    if (status === 'rejected' && resolvedAt) {
      const at = plusMinutes(resolvedAt, 3);
      own.push({
        id: ctx.id(`${draft.id}:own-reply`, at),
        conversationId: t.conversation.id,
        channelId: draft.channelId ?? null,
        role: 'agent',
        content: `Hi ${t.person.name.split(' ')[0]}, thanks for this — I'd rather talk it through properly, so I'll call you this afternoon.`,
        authorUserId: ctx.staff.agent,
        deliveryStatus: draft.channelId ? 'delivered' : null,
        createdAt: at,
        updatedAt: at,
      });
    }
    endThreadAt(t, draft.id, own);
    if (status === 'pending') {
      t.conversation.status = 'waiting';
      t.conversation.resolvedAt = null;
      t.conversation.closedAt = null;
    }
  }
  const edited = status === 'edited' ? `${original} (I have also copied your account executive.)` : null;
  if (edited) draft.content = edited;
  const internal = t.channel === null;
  return {
    id: ctx.id(`approval:${t.conversation.id}`, requestedAt),
    conversationId: t.conversation.id,
    messageId: draft.id,
    agentId,
    requestedByUserId: internal ? (t.conversation.startedByUserId ?? null) : null,
    action: internal ? ACTIONS[n % ACTIONS.length]! : 'send_reply',
    details: internal ? `Requested in "${t.conversation.subject}"` : `Reply to ${t.person.name}`,
    draftContent: original,
    editedContent: edited,
    status,
    resolvedBy: resolvedAt && status !== 'expired' ? ctx.staff.agent : null,
    resolvedAt,
    // Pending approvals expire a year after the anchor: the expiry job (which runs on real time)
    // must leave the demo some open drafts to approve.
    expiresAt: status === 'pending' ? new Date(ANCHOR.getTime() + 365 * DAY) : expiresAt,
    comment: status === 'rejected' ? 'Too pushy before the renewal call — I will reply myself.' : null,
    metadata: { subAgent: internal ? 'account-analyst' : 'email-drafter' },
    ...stamp(requestedAt),
    updatedAt: resolvedAt ?? requestedAt,
  };
}
